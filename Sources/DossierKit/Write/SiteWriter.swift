import CDossierSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one place that writes the site, double-buffered so that a rebuild costs what changed and
/// an interrupted one never shows.
///
/// Beside `Site/` lives `.Site.dossier/` (for `--output X`, `.X.dossier/` beside X):
///
///     back/                  the site as it was one build ago, brought up to date by this build
///     site-<identity>.record the `SiteRecord` of a folder, named after its device, inode and
///                            birth time, so it follows the folder through renames
///
/// A build (1) removes `back`'s record, so a build killed from here on leaves `back` untrusted;
/// (2) writes into `back` only what differs from what it already holds: a file that `Site/` holds
/// with the same bytes is hard-linked from there (one directory entry, no new inode, and the file
/// keeps its modification time), any other is written; files no longer made are removed;
/// (3) writes `back`'s new record; (4) exchanges `back` and `Site/` with one atomic
/// `renameat2(RENAME_EXCHANGE)`. `Site/` itself is never written to, so whenever the process is
/// killed, `Site/` is wholly the old site or wholly the new one; the old site becomes `back`,
/// with its record still true, for the next build. An untrusted `back` (a killed build, no record)
/// is moved aside and rebuilt from scratch, linked from `Site/` where bytes are equal.
///
/// Nothing is ever deleted before the new site is in place: on this kind of file system (ext4
/// without a journal) creating inodes soon after deleting many is many times slower.
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
    /// `.Site.dossier/`: the back folder and the records.
    public var workFolder: URL { parent.appendingPathComponent("." + output.lastPathComponent + ".dossier", isDirectory: true) }
    private var backFolder: String { workFolder.path + "/back" }
    private var trashPrefix: String { workFolder.path + "/trash-" }

    /// The record of the site in place now, if it has a true one.
    public func currentRecord() -> SiteRecord? {
        guard let identity = Self.identity(of: output.path) else { return nil }
        return readRecord(for: identity)
    }

    /// The memory of the site in place, without its list of files.
    public func currentMemory() -> SiteRecord.Memory? {
        // Mapped, not read: the memory is a few lines at the head of megabytes of files.
        guard let identity = Self.identity(of: output.path), let file = MappedFile(path: recordPath(for: identity)) else { return nil }
        return withExtendedLifetime(file) { SiteRecord.memory(encoded: file.bytes.assumingMemoryBound(to: UInt8.self))?.0 }
    }

    /// Writes `files` as the whole new site and swaps it in.
    public func write(_ files: [OutputFile]) throws {
        let staging = try makeStaging()
        for file in files { try staging.write(file.bytes, to: file.path) }
        try commit(staging, memory: SiteRecord.Memory())
    }

    /// Makes `back` ready to become the next site and returns it as the staging folder. Files go
    /// into it as they are made, from any thread; `commit` swaps it in. `clean` (`--clean`)
    /// starts `back` empty and writes every file anew.
    ///
    /// Two builds of the same output (a `dossier build` while another runs) take turns: the
    /// staging holds a lock on `.Site.dossier/lock` until it is committed or dropped, and the
    /// second waits for it before it looks at `back` and the records. `prepared` is that lock and
    /// those records taken earlier (`prepareStaging`), for the same `clean`.
    public func makeStaging(clean: Bool = false, prepared: StagingPreparation? = nil) throws -> SiteStaging {
        let preparation: StagingPreparation
        if let prepared, prepared.clean == clean, prepared.lock >= 0 {
            preparation = prepared
        } else {
            // A preparation for the other `clean` holds the lock: let go first, or this process
            // would wait on itself.
            prepared?.release()
            try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
            preparation = try lockAndRead(clean: clean)
        }
        let lock = preparation.lock
        preparation.lock = -1
        do {
            return try makeLockedStaging(preparation, lock: lock)
        } catch {
            close(lock)
            throw error
        }
    }

    /// The lock and the two records `makeStaging` needs, taken ahead, while the build still links
    /// (at 10,000 actions the records hold 26,000 files each). Nil where there is no work folder
    /// yet (a first build makes none until it writes) or it cannot be locked.
    /// `byLines`: both records kept as lines, not read into values, when both can be, for a
    /// rebuild that keeps every file it does not write (`SiteStaging.keepEveryOtherFile`).
    public func prepareStaging(clean: Bool, byLines: Bool = false) -> StagingPreparation? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workFolder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return try? lockAndRead(clean: clean, byLines: byLines)
    }

    private func lockAndRead(clean: Bool, byLines: Bool = false) throws -> StagingPreparation {
        let lock = open(workFolder.path + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard lock >= 0 else { throw Self.failure("cannot open \(workFolder.path)/lock") }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(lock)
                throw Self.failure("cannot lock \(workFolder.path)/lock")
            }
        }
        removeLeftovers()
        var isDirectory: ObjCBool = false
        let outputIsFolder = FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) && isDirectory.boolValue
        // The two lists of files are read at once, each on a core.
        let backIdentity = Self.identity(of: backFolder)
        let liveIdentity = outputIsFolder ? Self.identity(of: output.path) : nil
        let records: [(files: [String: SiteRecord.File], order: [String], lines: SiteRecord.Lines?)?] = [0, 1].parallelMap { which in
            guard let identity = which == 0 ? liveIdentity : clean ? nil : backIdentity else { return nil }
            if byLines, let file = MappedFile(path: recordPath(for: identity)), let lines = SiteRecord.Lines(file) { return ([:], [], lines) }
            return readFiles(for: identity, inOrder: which == 0).map { ($0.files, $0.order, nil) }
        }
        // Both as lines, or neither: one read into values after all.
        var (live, back) = (records[0], records[1])
        if live?.lines == nil || back?.lines == nil {
            if live?.lines != nil, let liveIdentity { live = readFiles(for: liveIdentity, inOrder: true).map { ($0.files, $0.order, nil) } }
            if back?.lines != nil, let backIdentity { back = readFiles(for: backIdentity, inOrder: false).map { ($0.files, $0.order, nil) } }
        }
        return StagingPreparation(lock: lock, clean: clean, outputIsFolder: outputIsFolder, backIdentity: backIdentity,
                                  live: live.map { ($0.files, $0.order) }, back: back.map { ($0.files, $0.order) },
                                  liveLines: live?.lines, backLines: back?.lines)
    }

    private func makeLockedStaging(_ preparation: StagingPreparation, lock: Int32) throws -> SiteStaging {
        var backFiles: [String: SiteRecord.File]?
        if let identity = preparation.backIdentity {
            backFiles = preparation.back?.files
            // From here on `back` is being changed: without a record it is never trusted again.
            unlink(recordPath(for: identity))
            unlink(patchPath(for: identity))
            if backFiles == nil {
                // Moved aside, and deleted only after the new site is in place.
                let trash = trashPrefix + String(getpid())
                guard rename(backFolder, trash) == 0 else { throw Self.failure("cannot move \(backFolder) aside") }
            }
        }
        if backFiles == nil {
            guard mkdir(backFolder, 0o777) == 0 else { throw Self.failure("cannot create \(backFolder)") }
            backFiles = [:]
        }
        removeStaleRecords()
        return SiteStaging(folder: backFolder, holds: backFiles!,
                           live: preparation.outputIsFolder && !preparation.clean ? output.path : nil,
                           liveFiles: preparation.liveLines == nil ? preparation.live?.files : nil, liveOrder: preparation.live?.order,
                           lines: preparation.liveLines.flatMap { live in preparation.backLines.map { (live, $0) } }, lock: lock)
    }

    /// Finishes `staging` (removes what it no longer holds), records it, and swaps it in place
    /// of the output. On an error the output is as it was.
    /// `patch`: what a rebuild that changes only bodies needs of this build (Build/PatchState.swift),
    /// kept beside the record; only a cache, so a failure to write it is not the build's.
    public func commit(_ staging: SiteStaging, memory: SiteRecord.Memory, patch: (@Sendable () -> PatchState?)? = nil) throws {
        // The record: with records as lines, the site in place's lines with the files written.
        let lines = staging.finishedLines()
        let files = lines == nil ? staging.finish() : [:]
        guard let identity = Self.identity(of: staging.folder) else { throw Self.failure("cannot stat \(staging.folder)") }
        let record = SiteRecord(files: files, memory: memory)
        // Encoded on another core while the record is.
        let patchWritten = DispatchGroup()
        if let patch {
            DispatchQueue.global().async(group: patchWritten) { [self] in
                guard let state = patch() else { return }
                let bytes = state.encoded()
                try? writeCache(at: patchPath(for: identity)) { try $0(bytes) }
            }
        }
        var bytes: [UInt8]
        if let lines {
            bytes = record.encodedMemory(reservingLines: lines.count / 80 + 1)
            bytes += lines
        } else {
            bytes = record.encoded(orderHint: staging.liveOrder)
        }
        try writeRecord(bytes, for: identity)
        patchWritten.wait()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: output.path])
            }
            if dossier_rename_exchange(staging.folder, output.path) != 0 {
                // Where renameat2 is missing: two renames, with a moment without a site.
                let old = trashPrefix + "old-" + String(getpid())
                guard rename(output.path, old) == 0 else { throw Self.failure("cannot move \(output.path)") }
                guard rename(staging.folder, output.path) == 0 else {
                    _ = rename(old, output.path)
                    throw Self.failure("cannot move the new site into \(output.path)")
                }
                _ = rename(old, staging.folder)
            }
        } else {
            guard rename(staging.folder, output.path) == 0 else { throw Self.failure("cannot move the new site into \(output.path)") }
        }
        removeTrash()
        staging.unlock()
    }

    /// Removes what a killed build, or a version of dossier before the back folder, left beside
    /// the output (`.Site.staging-PID`, `.Site.old-PID`), and this build's own trash.
    public func removeLeftovers() {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) {
            let prefixes = ["." + output.lastPathComponent + ".staging-", "." + output.lastPathComponent + ".old-"]
            for name in names where prefixes.contains(where: name.hasPrefix) {
                try? SiteStaging.removeTree(parent.appendingPathComponent(name).path)
            }
        }
        removeTrash()
    }

    private func removeTrash() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: workFolder.path) else { return }
        for name in names where name.hasPrefix("trash-") {
            try? SiteStaging.removeTree(workFolder.path + "/" + name)
        }
        // Records and caches are written to `<name>.tmp-<pid>` and renamed; a build killed in
        // between leaves the temporary file. Only those of processes that are gone are removed:
        // another build may be saving its caches right now.
        for folder in [workFolder.path, bodyCacheFolder] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let range = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[range.upperBound...]),
                      kill(pid, 0) != 0, errno == ESRCH else { continue }
                unlink(folder + "/" + name)
            }
        }
    }

    /// Records of folders that are neither the output nor `back` any more.
    private func removeStaleRecords() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: workFolder.path) else { return }
        let kept = Set([Self.identity(of: output.path), Self.identity(of: backFolder)].compactMap { $0 }.map(recordName))
        for name in names where name.hasSuffix(".record") && !kept.contains(name) {
            unlink(workFolder.path + "/" + name)
        }
        let keptPatches = Set(kept.map { String($0.dropLast(".record".count)) + ".patch" })
        for name in names where name.hasSuffix(".patch") && !keptPatches.contains(name) {
            unlink(workFolder.path + "/" + name)
        }
    }

    // MARK: The body cache

    private var bodyCacheFolder: String { workFolder.path + "/bodies" }

    private func bodyCachePath(shard: Int) -> String { bodyCacheFolder + "/" + String(shard) + ".cache" }

    /// The rendered bodies of earlier builds (Render/BodyCache.swift), every file of it read at
    /// once; empty if there are none.
    public func readBodyCache() -> BodyCache {
        let shards = Array(0..<BodyCache.shardCount).parallelMap { shard -> BodyCache in
            guard let file = MappedFile(path: bodyCachePath(shard: shard)) else { return BodyCache() }
            return BodyCache(file: file)
        }
        var cache = BodyCache()
        cache.entries.reserveCapacity(shards.reduce(0) { $0 + $1.entries.count })
        for shard in shards {
            cache.entries.merge(shard.entries) { first, _ in first }
        }
        cache.linksFingerprint = readBodyLinksFingerprint()
        return cache
    }

    /// The same files, each read only as far as its table (`BodyCache.Tables`).
    func readBodyCacheTables() -> BodyCache.Tables {
        var tables = BodyCache.Tables()
        for shard in 0..<BodyCache.shardCount {
            tables.tables[shard] = MappedFile(path: bodyCachePath(shard: shard)).flatMap(BodyCache.Table.init(file:))
        }
        tables.linksFingerprint = readBodyLinksFingerprint()
        return tables
    }

    private func readBodyLinksFingerprint() -> UInt64? {
        FileManager.default.contents(atPath: bodyLinksPath).flatMap(BodyCache.linksFingerprint(file:))
    }

    /// `BodyCache.linksFingerprint`: true of every entry in the shards only once they are all
    /// written, so it is removed before any shard is written and written again after the last.
    private var bodyLinksPath: String { bodyCacheFolder + "/links" }

    /// Writes the files of `shards` (all when nil). The cache is keyed by content, not by site
    /// folder, so it is right for any build whichever site is in place.
    public func writeBodyCache(_ cache: BodyCache, shards: Set<Int>? = nil) throws {
        // Split once: filtering every entry for each of 64 files was a visible part of a full build.
        // Only the shards to write: after one edit, one of 64.
        let written = shards ?? Set(0..<BodyCache.shardCount)
        var parts = BodyCache.Parts()
        parts.linksFingerprint = cache.linksFingerprint
        for (path, entry) in cache.entries {
            let shard = BodyCache.shard(of: path)
            if written.contains(shard) { parts.parts[shard].entries[path] = entry }
        }
        try writeBodyCache(parts, shards: written)
    }

    /// Writes the files of `shards` from their parts.
    func writeBodyCache(_ cache: BodyCache.Parts, shards: Set<Int>) throws {
        try FileManager.default.createDirectory(atPath: bodyCacheFolder, withIntermediateDirectories: true)
        // The single file of dossier before 2026-11-29.
        unlink(workFolder.path + "/bodies.cache")
        // A shard written with links the old fingerprint does not describe must not be trusted
        // by it, should this build stop before the new fingerprint is written.
        unlink(bodyLinksPath)
        for shard in shards.sorted() {
            try writeCache(at: bodyCachePath(shard: shard)) { try cache.parts[shard].encode(into: $0) }
        }
        if let linksFingerprint = cache.linksFingerprint {
            try writeCache(at: bodyLinksPath) { try $0(BodyCache.linksFileBytes(linksFingerprint)) }
        }
    }

    // MARK: The search cache

    private var searchCachePath: String { workFolder.path + "/search.cache" }
    private var searchOverlayPath: String { workFolder.path + "/search.overlay" }

    /// What earlier builds made of the search outputs (Index/SearchCache.swift), empty if none,
    /// with the overlay of the body patches since it was written (`SearchCache.Overlay`) applied,
    /// and that overlay, or an empty one over the cache's file (nil without a file). Mapped, not
    /// read: decoding copies out every value anyway, and reading it first was half the time.
    func readSearchCacheAndOverlay() -> (cache: SearchCache, overlay: SearchCache.Overlay?) {
        guard let file = MappedFile(path: searchCachePath) else { return (SearchCache(), nil) }
        var cache = withExtendedLifetime(file) { SearchCache(encoded: file.bytes) }
        guard let checksum = cache.checksum else { return (cache, nil) }
        if let overlayFile = MappedFile(path: searchOverlayPath),
           let overlay = withExtendedLifetime(overlayFile, { SearchCache.Overlay(encoded: overlayFile.bytes) }), cache.apply(overlay) {
            return (cache, overlay)
        }
        return (cache, SearchCache.Overlay(baseChecksum: checksum, baseTermCount: cache.terms.count))
    }

    /// The whole cache; an overlay of the one before no longer applies, and is removed.
    public func writeSearchCache(_ cache: SearchCache) throws {
        try writeCache(at: searchCachePath, cache.encode)
        unlink(searchOverlayPath)
    }

    func writeSearchOverlay(_ overlay: SearchCache.Overlay) throws {
        let bytes = overlay.encoded()
        try writeCache(at: searchOverlayPath) { try $0(bytes) }
    }

    // MARK: The parse cache

    private var parseCachePath: String { workFolder.path + "/parse.cache" }

    /// The parsed case files of earlier builds (Parse/ParseCache.swift); empty if there are none.
    public func readParseCache() -> ParseCache {
        // Mapped, not read: the cache keeps the bytes, and a rebuild reads the few entries it uses.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: parseCachePath), options: .alwaysMapped) else { return ParseCache() }
        return ParseCache(encoded: data)
    }

    /// Like the body cache. Only into a work folder that is there: a first build that fails
    /// leaves nothing beside the output.
    public func writeParseCache(_ cache: ParseCache.Next) throws {
        let bytes = cache.encoded()
        try writeCache(at: parseCachePath) { try $0(bytes) }
    }

    /// Through a temporary file and a rename: a cache file is there whole or not at all.
    private func writeCache(at path: String, _ encode: (([UInt8]) throws -> Void) throws -> Void) throws {
        let temporary = path + ".tmp-" + String(getpid())
        guard let file = fopen(temporary, "w") else { throw Self.failure("cannot write \(temporary)") }
        do {
            try encode { piece in
                guard fwrite(piece, 1, piece.count, file) == piece.count else { throw Self.failure("cannot write \(temporary)") }
            }
        } catch {
            fclose(file)
            unlink(temporary)
            throw error
        }
        guard fclose(file) == 0 else {
            unlink(temporary)
            throw Self.failure("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Self.failure("cannot write \(path)")
        }
    }

    // MARK: Records

    /// Device, inode and birth time of a folder; nil if there is none.
    static func identity(of path: String) -> [UInt64]? {
        var identity = [UInt64](repeating: 0, count: 4)
        let result = identity.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CUnsignedLongLong.self, capacity: 4) { dossier_folder_identity(path, $0) }
        }
        return result == 0 ? identity : nil
    }

    private func recordName(for identity: [UInt64]) -> String {
        "site-" + identity.map { String($0, radix: 16) }.joined(separator: "-") + ".record"
    }

    private func recordPath(for identity: [UInt64]) -> String {
        workFolder.path + "/" + recordName(for: identity)
    }

    /// The patch state beside the record (Build/PatchState.swift): `site-<identity>.patch`.
    private func patchPath(for identity: [UInt64]) -> String {
        workFolder.path + "/" + recordName(for: identity).dropLast("record".count) + "patch"
    }

    /// What the build of the site in place left for a rebuild that changes only bodies; nil if
    /// it left nothing this build of dossier can read.
    func currentPatchState() -> PatchState? {
        guard let identity = Self.identity(of: output.path), let file = MappedFile(path: patchPath(for: identity)) else { return nil }
        return withExtendedLifetime(file) { PatchState(encoded: file.bytes) }
    }

    private func readRecord(for identity: [UInt64]) -> SiteRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath(for: identity)) else { return nil }
        return SiteRecord(encoded: [UInt8](data))
    }

    /// Mapped, not copied into memory twice; `inOrder`, with the paths in the record's order.
    /// A record is replaced by a rename, never written in place, so the mapping stays whole.
    private func readFiles(for identity: [UInt64], inOrder: Bool) -> (files: [String: SiteRecord.File], order: [String])? {
        guard let file = MappedFile(path: recordPath(for: identity)) else { return nil }
        return withExtendedLifetime(file) { SiteRecord.files(encoded: file.bytes.assumingMemoryBound(to: UInt8.self), inOrder: inOrder) }
    }

    /// Through a temporary file and a rename: a record is there whole or not at all.
    private func writeRecord(_ bytes: [UInt8], for identity: [UInt64]) throws {
        let path = recordPath(for: identity)
        let temporary = path + ".tmp-" + String(getpid())
        try bytes.withUnsafeBytes { try SiteStaging(folder: "/").writeFile($0, at: temporary) }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Self.failure("cannot write \(path)")
        }
    }

    static func failure(_ message: String) -> Error {
        let code = errno
        return CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(message): \(String(cString: strerror(code)))"])
    }
}

/// The lock on a work folder and the records of the site in place and of `back`, read under it
/// (`SiteWriter.prepareStaging`). Dropped unused, it releases the lock.
public final class StagingPreparation: @unchecked Sendable {
    /// -1 once handed to a staging.
    fileprivate var lock: Int32
    fileprivate let clean: Bool
    fileprivate let outputIsFolder: Bool
    fileprivate let backIdentity: [UInt64]?
    fileprivate let live: (files: [String: SiteRecord.File], order: [String])?
    /// With `backLines`, no files: the back folder's record is those lines (and the site in
    /// place's is `liveLines`).
    fileprivate let back: (files: [String: SiteRecord.File], order: [String])?
    /// Both records as lines (`prepareStaging(byLines:)`), or neither.
    fileprivate let liveLines: SiteRecord.Lines?
    fileprivate let backLines: SiteRecord.Lines?

    fileprivate init(lock: Int32, clean: Bool, outputIsFolder: Bool, backIdentity: [UInt64]?,
                     live: (files: [String: SiteRecord.File], order: [String])?, back: (files: [String: SiteRecord.File], order: [String])?,
                     liveLines: SiteRecord.Lines? = nil, backLines: SiteRecord.Lines? = nil) {
        self.lock = lock
        self.clean = clean
        self.outputIsFolder = outputIsFolder
        self.backIdentity = backIdentity
        self.live = live
        self.back = back
        self.liveLines = liveLines
        self.backLines = backLines
    }

    /// The render key the site in place's record has for `path`; nil without one.
    func liveKey(of path: String) -> UInt64? {
        if let liveLines { return liveLines.find(path).map { liveLines.entry($0).key } }
        return live?.files[path]?.key
    }

    /// Lets go of the lock, unused.
    func release() {
        if lock >= 0 { close(lock) }
        lock = -1
    }

    deinit { release() }
}
