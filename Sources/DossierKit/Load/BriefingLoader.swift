import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a briefing's `Content/` and `Templates/` from disk. One of the two stages that touch the
/// file system (the other is `SiteWriter`); everything after works on the values it returns.
public struct BriefingLoader: Sendable {
    public let root: URL
    /// How old a file's times must be for its signature to be trusted (`FileSignature`).
    public let trustedAge: Double

    /// The largest case file or site.yml read: ten times the longest real briefing
    /// entry, and small enough that a stray 100 MB file is refused in bounded time and memory.
    public static let textFileLimit = 10 * 1024 * 1024

    public init(root: URL, trustedAge: Double = FileSignature.defaultTrustedAge) {
        self.root = root.standardizedFileURL
        self.trustedAge = trustedAge
    }

    /// `signatures` gives, by relative path, the `FileSignature` with which an earlier build
    /// read a case file (0 for none): a case file that still has it is not read, and comes back
    /// with no bytes and its `unreadPath` (the parse cache holds its model).
    ///
    /// `listing`, from the input stamp's walk a moment before, gives the case folders' entries
    /// and their metadata, which are then not listed and looked up again.
    public func load(signatures: @Sendable (String) -> UInt64 = { _ in 0 }, listing: InputStamp.Listing? = nil) -> (BriefingSources, [Diagnostic]) {
        var sources = BriefingSources()
        var diagnostics: [Diagnostic] = []
        let content = root.appendingPathComponent("Content")

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.error("no Content/ folder here: run 'dossier init' to start a briefing, or pass --root", at: SourceLocation(path: "Content")))
            return (sources, diagnostics)
        }

        let siteURL = content.appendingPathComponent("site.yml")
        if FileManager.default.fileExists(atPath: siteURL.path) {
            if let file = read(siteURL, limit: Self.textFileLimit, into: &diagnostics) { sources.siteFile = file }
        } else {
            diagnostics.append(.error("missing file: every briefing needs Content/site.yml with at least 'title' and 'base_url'", at: SourceLocation(path: "Content/site.yml")))
        }

        let now = FileSignature.now()
        sources.actorFiles = caseFiles(in: "actors", signatures: signatures, listing: listing, now: now, diagnostics: &diagnostics)
        sources.actionFiles = caseFiles(in: "actions", signatures: signatures, listing: listing, now: now, diagnostics: &diagnostics)
        sources.pageFiles = caseFiles(in: "pages", signatures: signatures, listing: listing, now: now, diagnostics: &diagnostics)
        sources.contentAssets = files(under: "Content/assets", diagnostics: &diagnostics)
        sources.themeOverrides = files(under: "Templates", diagnostics: &diagnostics)
        return (sources, diagnostics)
    }

    /// `Templates/` alone, as `load` reads it into `themeOverrides`.
    func themeOverrides() -> ([SourceFile], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let files = files(under: "Templates", diagnostics: &diagnostics)
        return (files, diagnostics)
    }

    /// `Content/site.yml` alone, as `load` reads it; nil (with why) if it cannot be read.
    func siteFile() -> (SourceFile?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let file = Self.readFile(root.appendingPathComponent("Content/site.yml").path, relativePath: "Content/site.yml", limit: Self.textFileLimit, into: &diagnostics)
        return (file, diagnostics)
    }

    /// The `.md` files directly in `Content/<folder>/`, sorted by name; anything else there is
    /// reported, because a misplaced file is usually a mistake the author wants to hear about.
    private func caseFiles(in folder: String, signatures: @Sendable (String) -> UInt64, listing: InputStamp.Listing?, now: timespec, diagnostics: inout [Diagnostic]) -> [SourceFile] {
        let relativeFolder = "Content/\(folder)"
        let directory = root.appendingPathComponent(relativeFolder)
        // The walk's metadata is trusted as of when the walk started, not now: it is older.
        // Names in the order of their bytes, as the walk sorts them.
        let listed = listing?.folders[relativeFolder]?.filter { !$0.name.hasPrefix(".") }
        let trustedAt = listed != nil ? listing?.started ?? now : now
        guard let names = listed.map({ $0.map(\.name) }) ?? (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).filter({ !$0.hasPrefix(".") }) else { return [] }
        // A file that is not a link, in a folder inside the root, is inside the root: only links
        // (or a folder that leads out) need `realpath`, which stats every step of the path.
        let rootPath = Self.realPath(root.path) ?? root.path
        let folderInside = Self.realPath(directory.path).map { $0.hasPrefix(rootPath + "/") } ?? false
        // Read on several threads: at 12,000 files, reading one after the other took half a
        // second; and with eight reads in flight instead of one a core, reading the 60,000 files
        // of a 50,000-action briefing that were not in the page cache took 1.9 s instead of 4.1-4.8.
        let results: [(SourceFile?, [Diagnostic])] = Array(names.indices).parallelMap(threads: ProcessInfoCores.fileReaders) { index in
            let name = names[index]
            var diagnostics: [Diagnostic] = []
            let relativePath = "\(relativeFolder)/\(name)"
            let path = directory.path + "/" + name
            if folderInside, name.hasSuffix(".md") {
                // A file as an earlier build read it, by its metadata, is left unread.
                let known = signatures(relativePath)
                if known != 0 {
                    var status = listed?[index].status ?? stat()
                    if listed != nil || lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                       FileSignature.of(status, now: trustedAt, trustedAge: trustedAge) == known {
                        var file = SourceFile(path: relativePath, bytes: Data())
                        file.signature = known
                        file.unreadPath = path
                        return (file, [])
                    }
                }
                // The common case in one `open`: a case file that is not a link (`O_NOFOLLOW`
                // fails on one) in a folder inside the root. Anything else is looked at first, below.
                let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
                if descriptor >= 0 {
                    defer { close(descriptor) }
                    var status = stat()
                    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR {
                        var file = Self.readFile(descriptor: descriptor, status: status, path: path, relativePath: relativePath, limit: Self.textFileLimit, into: &diagnostics)
                        // The metadata from before the read: a file changed while it is read has
                        // newer times next time, and is read again.
                        if (status.st_mode & S_IFMT) == S_IFREG { file?.signature = FileSignature.of(status, now: now, trustedAge: trustedAge) }
                        return (file, diagnostics)
                    }
                }
            }
            var status = stat()
            let isLink = lstat(path, &status) != 0 || (status.st_mode & S_IFMT) == S_IFLNK
            if isLink || !folderInside {
                guard isInsideRoot(URL(fileURLWithPath: path), relativePath: relativePath, diagnostics: &diagnostics) else { return (nil, diagnostics) }
                stat(path, &status)
            }
            if (status.st_mode & S_IFMT) == S_IFDIR || !name.hasSuffix(".md") {
                diagnostics.append(.warning("ignored: only .md files directly in \(relativeFolder)/ are case files", at: SourceLocation(path: relativePath)))
                return (nil, diagnostics)
            }
            return (Self.readFile(path, relativePath: relativePath, limit: Self.textFileLimit, into: &diagnostics), diagnostics)
        }
        diagnostics += results.flatMap(\.1)
        return results.compactMap(\.0)
    }

    /// Reads a whole file with `open`/`fstat`/`read`, refusing one over `limit` unread.
    static func readFile(_ path: String, relativePath: String, limit: Int, into diagnostics: inout [Diagnostic]) -> SourceFile? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            diagnostics.append(.error("cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(path: relativePath)))
            return nil
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            diagnostics.append(.error("cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(path: relativePath)))
            return nil
        }
        return readFile(descriptor: descriptor, status: status, path: path, relativePath: relativePath, limit: limit, into: &diagnostics)
    }

    /// Reads the rest of `readFile` from a file already open, whose `fstat` is `status`.
    private static func readFile(descriptor: Int32, status: stat, path: String, relativePath: String, limit: Int, into diagnostics: inout [Diagnostic]) -> SourceFile? {
        let size = Int(status.st_size)
        if size > limit {
            diagnostics.append(.error("the file is \(size / (1024 * 1024)) MB; a case file may be at most \(limit / (1024 * 1024)) MB", at: SourceLocation(path: relativePath)))
            return nil
        }
        // The size is a hint: a file may grow or shrink while it is read.
        var bytes = Data(count: size + 1)
        var count = 0
        let failed: Bool = bytes.withUnsafeMutableBytes { buffer in
            while true {
                if count == buffer.count { return false }
                let got = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if got < 0 { if errno == EINTR { continue }; return true }
                if got == 0 { return false }
                count += got
            }
        }
        if failed {
            diagnostics.append(.error("cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(path: relativePath)))
            return nil
        }
        if count == size + 1 {
            // It grew while being read: read it whole the slow way, within the limit.
            guard let data = FileManager.default.contents(atPath: path), data.count <= limit else {
                diagnostics.append(.error("the file changed while it was read", at: SourceLocation(path: relativePath)))
                return nil
            }
            return SourceFile(path: relativePath, bytes: data)
        }
        bytes.count = count
        return SourceFile(path: relativePath, bytes: bytes)
    }

    /// Every regular file below `relativeFolder`, recursively, sorted by path.
    private func files(under relativeFolder: String, diagnostics: inout [Diagnostic]) -> [SourceFile] {
        let directory = root.appendingPathComponent(relativeFolder)
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var relativePaths: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            relativePaths.append(item)
        }
        var files: [SourceFile] = []
        for item in relativePaths.sorted() {
            let url = directory.appendingPathComponent(item)
            let relativePath = "\(relativeFolder)/\(item)"
            guard isInsideRoot(url, relativePath: relativePath, diagnostics: &diagnostics) else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if let file = read(url, relativePath: relativePath, into: &diagnostics) { files.append(file) }
        }
        return files
    }

    /// A symbolic link may point anywhere, loop, or point at nothing; a briefing may only use
    /// what is inside its root. `realpath` resolves every link on the way and reports loops.
    private func isInsideRoot(_ url: URL, relativePath: String, diagnostics: inout [Diagnostic]) -> Bool {
        guard let resolved = Self.realPath(url.path) else {
            let reason = errno == ELOOP ? "a symbolic link that loops" : errno == ENOENT ? "a symbolic link that points at nothing" : String(cString: strerror(errno))
            diagnostics.append(.error("refused: \(reason)", at: SourceLocation(path: relativePath)))
            return false
        }
        let rootPath = Self.realPath(root.path) ?? root.path
        if resolved == rootPath || resolved.hasPrefix(rootPath + "/") { return true }
        diagnostics.append(.error("refused: a symbolic link that points outside the briefing's root", at: SourceLocation(path: relativePath)))
        return false
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func read(_ url: URL, relativePath: String? = nil, limit: Int? = nil, into diagnostics: inout [Diagnostic]) -> SourceFile? {
        let path = relativePath ?? String(url.path.dropFirst(root.path.count + 1))
        if let limit, let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? Int, size > limit {
            diagnostics.append(.error("the file is \(size / (1024 * 1024)) MB; a case file may be at most \(limit / (1024 * 1024)) MB", at: SourceLocation(path: path)))
            return nil
        }
        do {
            return SourceFile(path: path, bytes: try Data(contentsOf: url))
        } catch {
            diagnostics.append(.error("cannot read the file: \(error.localizedDescription)", at: SourceLocation(path: path)))
            return nil
        }
    }
}
