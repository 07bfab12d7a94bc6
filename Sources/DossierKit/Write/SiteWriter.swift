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
        let staging = try makeStaging()
        do {
            for file in files { try staging.write(file.bytes, to: file.path) }
            try commit(staging)
        } catch {
            staging.discard()
            throw error
        }
    }

    /// A new, empty staging folder beside the output, after removing any a killed build left.
    /// Files go into it as they are made (from any thread); `commit` swaps it in, `discard`
    /// removes it, so the output folder is only ever replaced whole.
    /// `reuse: false` writes every file anew instead of linking unchanged ones (`--clean`).
    public func makeStaging(reuse: Bool = true) throws -> SiteStaging {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        let staging = parent.appendingPathComponent(stagingPrefix + String(getpid()))
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        var isDirectory: ObjCBool = false
        let previous = reuse && FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) && isDirectory.boolValue ? output.path : nil
        return SiteStaging(folder: staging.path, previous: previous)
    }

    /// Swaps a fully written staging folder in place of the output.
    public func commit(_ staging: SiteStaging) throws {
        do {
            try swapIntoPlace(URL(fileURLWithPath: staging.folder, isDirectory: true))
        } catch {
            staging.discard()
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
            try SiteStaging.removeTree(staging.path)
            return
        }
        let old = parent.appendingPathComponent("." + output.lastPathComponent + ".old-" + String(getpid()))
        try fileManager.moveItem(at: output, to: old)
        try fileManager.moveItem(at: staging, to: output)
        try? SiteStaging.removeTree(old.path)
    }

    private func exchange(_ a: URL, _ b: URL) -> Bool {
        dossier_rename_exchange(a.path, b.path) == 0
    }

    /// Staging and old folders a killed build left behind.
    public func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        let oldPrefix = "." + output.lastPathComponent + ".old-"
        for name in names where name.hasPrefix(stagingPrefix) || name.hasPrefix(oldPrefix) {
            try? SiteStaging.removeTree(parent.appendingPathComponent(name).path)
        }
    }
}

/// A staging folder being filled. Writing is plain `open`/`write`/`close`: Foundation's
/// `Data.write` also syncs every file to disk, which a build that is swapped in whole does not
/// need, and `FileManager` stats every folder it creates. Holds no state, so pages are written by
/// the threads that render them, and no page's bytes outlive its write.
public struct SiteStaging: Sendable {
    /// Absolute path of the folder.
    public let folder: String
    /// The site being replaced, if any. A file whose bytes are the same as there is hard-linked
    /// from it instead of written, so it keeps its inode and modification time: rsync- and
    /// CDN-based deployment then uploads only what changed, and the kernel is spared creating
    /// an inode for every unchanged file. The old site is never written to.
    public let previous: String?

    public init(folder: String, previous: String? = nil) {
        self.folder = folder
        self.previous = previous
    }

    public func write(_ bytes: Data, to path: String) throws {
        try bytes.withUnsafeBytes { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    public func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write($0, to: path) }
    }

    public func write(_ text: String, to path: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    /// Writes one file at `path` (relative, `/`-separated), creating its folders as needed.
    public func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        let full = folder + "/" + path
        if let previous, keep(previous + "/" + path, ifSameAs: bytes, at: full, path: path) { return }
        var descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        if descriptor < 0, errno == ENOENT {
            // Its folder is new: make it (and its parents); another thread may make it too.
            try makeFolders(for: path)
            descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        }
        guard descriptor >= 0 else { throw Self.failure("cannot create \(path)") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure("cannot write \(path)")
            }
            offset += written
        }
    }

    /// Links `old` to `full` when `old` holds exactly `bytes`; false (and nothing done) otherwise.
    private func keep(_ old: String, ifSameAs bytes: UnsafeRawBufferPointer, at full: String, path: String) -> Bool {
        let descriptor = open(old, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == bytes.count else { return false }
        if bytes.count > 0 {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
            defer { buffer.deallocate() }
            var offset = 0
            while offset < bytes.count {
                let count = read(descriptor, buffer + offset, bytes.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            guard memcmp(buffer, bytes.baseAddress!, bytes.count) == 0 else { return false }
        }
        if link(old, full) == 0 { return true }
        guard errno == ENOENT, (try? makeFolders(for: path)) != nil else { return false }
        return link(old, full) == 0
    }

    /// Removes the staging folder and everything in it.
    public func discard() {
        try? Self.removeTree(folder)
    }

    private func makeFolders(for path: String) throws {
        var current = folder
        for component in path.split(separator: "/").dropLast() {
            current += "/" + component
            if mkdir(current, 0o777) != 0, errno != EEXIST { throw Self.failure("cannot create the folder \(component)") }
        }
    }

    private static func failure(_ message: String) -> Error {
        let code = errno
        return CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(message): \(String(cString: strerror(code)))"])
    }

    /// Deletes a folder tree with one `unlinkat` per file (`dossier_remove_tree`, no `stat`s), its
    /// top-level folders in parallel: an old site has as many files as a new one, and `FileManager.removeItem` took
    /// as long to delete it as the build took to write it.
    static func removeTree(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            if unlink(path) != 0 { throw failure("cannot remove \(path)") }
            return
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            _ = dossier_remove_tree((path + "/" + entries[index]))
        }
        if rmdir(path) != 0 { throw failure("cannot remove \(path)") }
    }
}
