import DossierKit
import Foundation
import XCTest

/// A briefing written to a fresh temporary folder, for tests that build real files on disk.
struct TemporaryBriefing {
    let root: URL

    /// The smallest valid site.yml, for tests that are about something else.
    static let siteYAML = """
    title: Test briefing
    base_url: https://example.org/brief/

    """

    init(_ files: [String: String], siteYAML: String? = TemporaryBriefing.siteYAML) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var files = files
        if let siteYAML, files["Content/site.yml"] == nil { files["Content/site.yml"] = siteYAML }
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    var site: URL { root.appendingPathComponent("Site") }

    func build(drafts: Bool = false, writes: Bool = true, output: URL? = nil) -> BuildReport {
        var options = BuildOptions(root: root, output: output)
        options.includeDrafts = drafts
        options.writes = writes
        return Builder(options: options).run()
    }

    /// Every file below `folder` as relative path -> bytes.
    static func snapshot(of folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            files[String(path.dropFirst(base.count + 1))] = try? Data(contentsOf: url)
        }
        return files
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Case files for tests, written as an author would.
enum CaseFile {
    static func actor(_ name: String, type: String = "person", extra: String = "", body: String = "A body.") -> String {
        "---\nname: \(name)\ntype: \(type)\n\(extra)---\n\(body)\n"
    }

    static func action(_ title: String, date: String = "2021-03-22", type: String = "sanction", by: String = "[eu]", extra: String = "", body: String = "A body.") -> String {
        "---\ntitle: \(title)\ndate: \(date)\ntype: \(type)\nby: \(by)\n\(extra)---\n\(body)\n"
    }
}

extension BuildReport {
    /// The diagnostics as the author reads them, sorted.
    var lines: [String] { diagnostics.sorted.map(\.description) }
}
