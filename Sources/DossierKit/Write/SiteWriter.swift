import CDossierSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one place that writes the site. Everything goes into a staging folder beside the output
/// first; only when all of it is written is the staging folder moved into place, so a failed or
/// interrupted build never leaves a half-written site.
public struct SiteWriter: Sendable {
    public let output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// Why `output` must not be written, or nil. Building into the content, the theme, the root
    /// itself or a folder that holds the root would destroy the sources.
    public func refusal(root: URL) -> String? {
        let outputPath = output.resolvingSymlinksInPath().path
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        if outputPath == "/" { return "refusing to write the site to '/'" }
        if outputPath == rootPath || rootPath.hasPrefix(outputPath + "/") {
            return "refusing to write the site to '\(output.path)': it would replace the briefing itself"
        }
        for protected in ["Content", "Templates"] {
            let protectedPath = (rootPath as NSString).appendingPathComponent(protected)
            if outputPath == protectedPath || outputPath.hasPrefix(protectedPath + "/") {
                return "refusing to write the site into \(protected)/: choose another --output"
            }
        }
        return nil
    }

    private var parent: URL { output.deletingLastPathComponent() }
    private var stagingPrefix: String { "." + output.lastPathComponent + ".staging-" }

    /// Writes `files` as the whole new site and swaps it in.
    public func write(_ files: [OutputFile]) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        let staging = parent.appendingPathComponent(stagingPrefix + String(getpid()))
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            var createdFolders = Set<String>()
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                let folder = url.deletingLastPathComponent().path
                if createdFolders.insert(folder).inserted {
                    try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                try file.bytes.write(to: url)
            }
            try swapIntoPlace(staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Replaces `output` with `staging`. On Linux one `renameat2(RENAME_EXCHANGE)` swaps both
    /// folders atomically; where the system or file system cannot, two renames do it.
    private func swapIntoPlace(_ staging: URL) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        guard isDirectory.boolValue else {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: output.path])
        }
        if exchange(staging, output) {
            // `staging` now holds the old site.
            try fileManager.removeItem(at: staging)
            return
        }
        let old = parent.appendingPathComponent("." + output.lastPathComponent + ".old-" + String(getpid()))
        try fileManager.moveItem(at: output, to: old)
        try fileManager.moveItem(at: staging, to: output)
        try? fileManager.removeItem(at: old)
    }

    private func exchange(_ a: URL, _ b: URL) -> Bool {
        dossier_rename_exchange(a.path, b.path) == 0
    }

    /// Staging and old folders a killed build left behind.
    public func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        let oldPrefix = "." + output.lastPathComponent + ".old-"
        for name in names where name.hasPrefix(stagingPrefix) || name.hasPrefix(oldPrefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }
}
