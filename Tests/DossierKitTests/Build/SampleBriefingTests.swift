@testable import DossierKit
import Foundation
import XCTest

/// The sample briefing in the repository's `Content/`, built as `make site` builds it.
final class SampleBriefingTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func buildSample(into output: URL) -> BuildReport {
        Builder(options: BuildOptions(root: Self.repositoryRoot, output: output)).run()
    }

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("dossier-sample-\(UUID().uuidString)")
    }

    /// A site and the work folder the build keeps beside it.
    private static func remove(_ output: URL) {
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: SiteWriter(output: output).workFolder)
    }

    func testBuildsCleanlyAndIdenticallyTwice() throws {
        let first = temporaryFolder(), second = temporaryFolder()
        defer { Self.remove(first); Self.remove(second) }
        let report = buildSample(into: first)
        XCTAssertEqual(report.lines, [], "the sample briefing has no warnings or errors")
        XCTAssertGreaterThan(report.pageCount, 40)
        XCTAssertEqual(buildSample(into: second).lines, [])
        let a = TemporaryBriefing.snapshot(of: first), b = TemporaryBriefing.snapshot(of: second)
        XCTAssertEqual(a.count, b.count)
        for (path, bytes) in a { XCTAssertEqual(b[path], bytes, path) }
    }

    /// Every href and src that points into the site, every `[[slug]]` among them, names a file
    /// the build wrote, and every `#fragment` an id on that page.
    func testEveryInternalLinkResolves() throws {
        let output = temporaryFolder()
        defer { Self.remove(output) }
        XCTAssertEqual(buildSample(into: output).lines, [])
        let files = TemporaryBriefing.snapshot(of: output)
        let basePath = "/xinjiang/"
        var checked = 0
        var broken: [String] = []
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for link in Self.attributeValues(in: html, names: ["href", "src", "data-index"]) {
                guard link.hasPrefix("/") else { continue }
                XCTAssertTrue(link.hasPrefix(basePath), "\(path): \(link) lacks the base path")
                var target = String(link.dropFirst(basePath.count))
                var fragment: String?
                if let hash = target.firstIndex(of: "#") { fragment = String(target[target.index(after: hash)...]); target = String(target[..<hash]) }
                if target.hasSuffix("/") || target.isEmpty { target += "index.html" }
                checked += 1
                guard let page = files[target] else { broken.append("\(path) -> \(link)"); continue }
                if let fragment, !fragment.isEmpty, !String(decoding: page, as: UTF8.self).contains("id=\"\(fragment)\"") {
                    broken.append("\(path) -> \(link) (no such id)")
                }
            }
        }
        XCTAssertEqual(broken, [])
        XCTAssertGreaterThan(checked, 500)
    }

    /// Every `[[slug]]` in a body outside code became a link to that slug's page.
    func testEveryWikiLinkBecameALink() throws {
        let output = temporaryFolder()
        defer { Self.remove(output) }
        XCTAssertEqual(buildSample(into: output).lines, [])
        let files = TemporaryBriefing.snapshot(of: output)
        for (path, data) in files where path.hasSuffix("/index.html") && (path.hasPrefix("actors/") || path.hasPrefix("actions/")) && path.split(separator: "/").count == 3 {
            let html = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(html.replacingOccurrences(of: "<code>[[", with: "").contains("[["), "\(path) has an unlinked [[...]]")
        }
    }

    static func attributeValues(in html: String, names: [String]) -> [String] {
        var values: [String] = []
        for name in names {
            var rest = html[...]
            let marker = " \(name)=\""
            while let start = rest.range(of: marker) {
                let valueStart = start.upperBound
                guard let end = rest[valueStart...].firstIndex(of: "\"") else { break }
                values.append(String(rest[valueStart..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = rest[end...]
            }
        }
        return values
    }
}
