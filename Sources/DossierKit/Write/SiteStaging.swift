import CDossierSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder the next site is written into (`SiteWriter`'s `back`), from many threads at once.
/// It knows what the folder already holds and what the site in place holds, from their records,
/// and does the least for each file it is given: nothing when the folder holds those bytes
/// already, a hard link when the site in place has them (the file keeps its inode and
/// modification time, so rsync- and CDN-based deployment uploads only what changed), a write
/// otherwise. A file held only by this folder is rewritten in place, keeping its inode: the
/// site in place is never written to. Writing is plain `open`/`write`/`close`; Foundation's
/// `Data.write` also syncs each file to disk, which a site swapped in whole does not need.
public final class SiteStaging: @unchecked Sendable {
    public typealias File = SiteRecord.File

    /// Absolute path of the folder.
    public let folder: String
    /// What the folder holds now (its record; empty for a new folder).
    private let holds: [String: File]
    /// The site in place, if any, and its record; without a record its files are compared byte
    /// for byte (a site written by an earlier version, or whose record was lost).
    private let live: String?
    private let liveFiles: [String: File]?
    /// The paths of `liveFiles` in their record's order, which the new record's order is made
    /// from (`SiteRecord.encoded(orderHint:)`).
    let liveOrder: [String]?
    /// The records of the site in place and of the folder as lines, instead of `liveFiles` and
    /// `holds`.
    private let recordLines: (live: SiteRecord.Lines, held: SiteRecord.Lines)?

    private let lock = NSLock()
    /// Every file of the new site so far: its record once finished.
    private var made: [String: File] = [:]
    /// How many of `made`'s paths the folder held: when it is all of them, `finish` has nothing
    /// to remove and need not look each held path up (26,000 on one core, at the end of a build).
    private var madeHeld = 0
    /// Set by `keepEveryOtherFile`: the paths it left to others, and how many of the files it
    /// kept the folder held.
    private var keptLive: (except: Set<String>, held: Int)?

    /// The open lock file that keeps other builds of the same output waiting (`SiteWriter`), -1
    /// for none; closed (releasing the lock) on commit or when the staging is dropped.
    private var lockFile: Int32

    public convenience init(folder: String, holds: [String: File] = [:], live: String? = nil, liveFiles: [String: File]? = nil, liveOrder: [String]? = nil,
                            lock: Int32 = -1) {
        self.init(folder: folder, holds: holds, live: live, liveFiles: liveFiles, liveOrder: liveOrder, lines: nil, lock: lock)
    }

    /// `lines`: the records of the site in place and of the folder as lines (`SiteRecord.Lines`),
    /// the folder's given as no `holds`, for a staging that keeps every file it is not given
    /// (`keepEveryOtherFile`).
    init(folder: String, holds: [String: File], live: String?, liveFiles: [String: File]?, liveOrder: [String]?,
         lines: (live: SiteRecord.Lines, held: SiteRecord.Lines)?, lock: Int32) {
        self.folder = folder
        self.holds = holds
        self.live = live
        self.liveFiles = liveFiles
        self.liveOrder = liveOrder
        recordLines = lines
        lockFile = lock
        // Sized once for a site like the one in place: grown an insert at a time, it was
        // rehashed again and again while every other thread waited for the lock.
        made.reserveCapacity(max(liveFiles?.count ?? 0, holds.count))
    }

    deinit { unlock() }

    func unlock() {
        let descriptor = lockFile
        lockFile = -1
        if descriptor >= 0 { close(descriptor) }
    }

    public func write(_ bytes: Data, to path: String, key: UInt64 = 0) throws {
        try bytes.withUnsafeBytes { try write(UnsafeRawBufferPointer($0), to: path, key: key) }
    }

    public func write(_ bytes: [UInt8], to path: String, key: UInt64 = 0) throws {
        try bytes.withUnsafeBytes { try write($0, to: path, key: key) }
    }

    public func write(_ text: String, to path: String, key: UInt64 = 0) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path, key: key) }
    }

    /// Makes `path` (relative, `/`-separated) hold `bytes` in the new site. `key` is the
    /// fingerprint of what the bytes were rendered from (see `keep(_:key:)`), 0 for none.
    public func write(_ bytes: UnsafeRawBufferPointer, to path: String, key: UInt64 = 0) throws {
        let file = File(hash: ContentHash.of(bytes), size: bytes.count, key: key)
        let held = holds[path]
        note(file, at: path, held: held != nil)
        if let held, held.sameBytes(as: file) { return }
        let full = folder + "/" + path
        if let live {
            let old = live + "/" + path
            if liveFiles != nil || recordLines != nil {
                if let same = liveFile(path), same.sameBytes(as: file), link(old, to: full, path: path, replacing: held != nil) { return }
            } else if Self.holds(bytes, at: old), link(old, to: full, path: path, replacing: held != nil) {
                return
            }
        }
        try writeFile(bytes, at: full, path: path)
    }

    /// Makes `path` hold what `produce` hands to its `emit`, piece by piece, without the whole
    /// file ever in memory (`search-index.json` is 190 MB at 50,000 actions). The pieces go over
    /// the file there when nothing else shares it, cut to size at the end: a new file renamed over
    /// it freed all its blocks on the way, 28 ms on the rebuild's last stretch for 39 MB at
    /// 10,000 actions. Otherwise they go into a file beside it; once complete, it is dropped for
    /// the same bytes already held or in the site in place, or renamed into place. The hash is
    /// over the pieces as cut, which the producer cuts the same way for the same content.
    public func writeStreamed(to path: String, key: UInt64 = 0, produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        try writeStream(to: path, key: key) { stream in
            // The pieces are hashed and written on a thread of their own, in order, while the
            // producer makes the next ones on every core: written by the producer, the file's 38 MB
            // at 10,000 actions went to the disk with the other core idle. At most eight pieces wait.
            let writer = DispatchQueue(label: "dossier.staging.stream")
            let slots = DispatchSemaphore(value: 8)
            defer { writer.sync {} }
            try produce { piece in
                slots.wait()
                writer.async {
                    defer { slots.signal() }
                    piece.withUnsafeBytes { stream.add($0) }
                }
            }
        }
    }

    /// The same, with each piece hashed and written when `produce` hands it over, on this
    /// thread, from where it is: for pieces of a file already in memory (mapped), which copying
    /// into pieces of their own would only touch twice.
    func writeStreamed(to path: String, key: UInt64 = 0, producingInPlace produce: (_ emit: (UnsafeRawBufferPointer) -> Void) throws -> Void) throws {
        try writeStream(to: path, key: key) { stream in try produce { stream.add($0) } }
    }

    private func writeStream(to path: String, key: UInt64, fill: (StreamedPieces) throws -> Void) throws {
        let full = folder + "/" + path
        let temporary = full + ".dossier-partial"
        // The back folder has no record while it is staged, so a build stopped half way through
        // this file leaves nothing that says what it holds.
        var status = stat()
        let overwritten = lstat(full, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && status.st_nlink == 1
        var descriptor = overwritten ? open(full, O_WRONLY | O_NOFOLLOW | O_CLOEXEC) : -1
        let inPlace = descriptor >= 0
        if !inPlace {
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            if descriptor < 0, errno == ENOENT || errno == ENOTDIR {
                try makeFolders(for: path)
                descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            }
        }
        guard descriptor >= 0 else { throw SiteWriter.failure("cannot create \(path)") }
        let written = inPlace ? full : temporary
        let stream = StreamedPieces(descriptor: descriptor, path: path)
        do {
            try fill(stream)
            if let failure = stream.failure { throw failure }
            if inPlace, ftruncate(descriptor, off_t(stream.size)) != 0 { throw SiteWriter.failure("cannot write \(path)") }
        } catch {
            close(descriptor)
            unlink(written)
            throw error
        }
        close(descriptor)
        let file = File(hash: stream.hash.value, size: stream.size, key: key)
        let held = holds[path]
        note(file, at: path, held: held != nil)
        if let held, held.sameBytes(as: file) {
            if !inPlace { unlink(temporary) }
            return
        }
        if let live, let same = liveFile(path), same.sameBytes(as: file), link(live + "/" + path, to: full, path: path, replacing: held != nil || inPlace) {
            if !inPlace { unlink(temporary) }
            return
        }
        if inPlace { return }
        // A rename replaces the entry, never the inode, so a file shared with the site in place
        // is left alone there.
        if rename(temporary, full) != 0 {
            // A folder where the file now goes (the old site's shape): removed, then again.
            let retried = (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) && (try? Self.removeTree(full)) != nil && rename(temporary, full) == 0
            if !retried {
                unlink(temporary)
                throw SiteWriter.failure("cannot write \(path)")
            }
        }
    }

    /// A file being streamed: its hash and size so far, and the first failure to write, which
    /// is reported once the pieces are all handed over. Used by one thread at a time.
    private final class StreamedPieces: @unchecked Sendable {
        let descriptor: Int32
        let path: String
        var hash = ContentHash()
        var size = 0
        var failure: Error?

        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        func add(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil else { return }
            hash.add(bytes)
            size += bytes.count
            do { try SiteStaging.writeAll(bytes, to: descriptor, path: path) } catch { failure = error }
        }
    }

    /// Keeps the site in place's file at `path` without rendering it again, when it was rendered
    /// from the same `key`; false (and nothing done) otherwise, and the caller renders it.
    public func keep(_ path: String, key: UInt64) -> Bool {
        guard key != 0, let live, let file = liveFile(path), file.key == key else { return false }
        let held = holds[path]
        if let held, held.sameBytes(as: file) {
            note(file, at: path, held: true)
            return true
        }
        guard link(live + "/" + path, to: folder + "/" + path, path: path, replacing: held != nil) else { return false }
        note(file, at: path, held: held != nil)
        return true
    }

    /// Keeps, as they are, every file of the site in place but those `written` (by other threads,
    /// before or meanwhile): what a rebuild that patched a few files leaves alone
    /// (Build/BodyPatch.swift). Only the files that differ from the folder's are linked, and the
    /// new site's record is the site in place's with the written files' (`finish`): noted one by
    /// one under the lock, 26,000 files at 10,000 actions were a tenth of such a rebuild's CPU
    /// time. False (the build must not be committed) if the site in place has no record or a
    /// link fails.
    func keepEveryOtherFile(except written: Set<String>) -> Bool {
        guard let live else { return false }
        if let recordLines { return keepEveryOtherFile(except: written, live: live, lines: recordLines) }
        guard let liveFiles else { return false }
        var held = 0
        for (path, file) in liveFiles where !written.contains(path) {
            let heldFile = holds[path]
            if heldFile != nil { held += 1 }
            if let heldFile, heldFile.sameBytes(as: file) { continue }
            guard link(live + "/" + path, to: folder + "/" + path, path: path, replacing: heldFile != nil) else { return false }
        }
        lock.withLock { keptLive = (written, held) }
        return true
    }

    /// `keepEveryOtherFile` with both records as lines, walked side by side in path order with
    /// the written paths, none read into a value: a file whose line in the folder's record has
    /// other bytes, or none, is linked from the site in place, and one the site in place does not
    /// have is removed.
    private func keepEveryOtherFile(except written: Set<String>, live: String, lines: (live: SiteRecord.Lines, held: SiteRecord.Lines)) -> Bool {
        let writtenPaths = written.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var removed: [String] = []
        let (liveLines, heldLines) = (lines.live.lines, lines.held.lines)
        let liveBytes = lines.live.file.bytes.assumingMemoryBound(to: UInt8.self), heldBytes = lines.held.file.bytes.assumingMemoryBound(to: UInt8.self)
        /// Whether the path is one written, moving `next` past those before it.
        var next = 0
        func isWritten(_ bytes: UnsafeBufferPointer<UInt8>, _ path: Range<Int>) -> Bool {
            while next < writtenPaths.count {
                let order = writtenPaths[next].withUnsafeBufferPointer { compareBytes($0, 0..<$0.count, bytes, path) }
                if order > 0 { return false }
                next += 1
                if order == 0 { return true }
            }
            return false
        }
        var (a, b) = (0, 0)
        while a < liveLines.count || b < heldLines.count {
            let placeOrder: Int32 = a == liveLines.count ? 1 : b == heldLines.count ? -1 : compareBytes(liveBytes, liveLines[a].path, heldBytes, heldLines[b].path)
            if placeOrder > 0 {
                // Only the folder has it.
                if !isWritten(heldBytes, heldLines[b].path) { removed.append(lines.held.path(b)) }
                b += 1
                continue
            }
            let same = placeOrder == 0 && compareBytes(liveBytes, liveLines[a].hash, heldBytes, heldLines[b].hash) == 0
                && compareBytes(liveBytes, liveLines[a].size, heldBytes, heldLines[b].size) == 0
            if !same, !isWritten(liveBytes, liveLines[a].path) {
                let path = lines.live.path(a)
                guard link(live + "/" + path, to: folder + "/" + path, path: path, replacing: placeOrder == 0) else { return false }
            }
            a += 1
            if placeOrder == 0 { b += 1 }
        }
        remove(removed)
        lock.withLock { keptLive = (written, 0) }
        return true
    }

    /// The bytes of the site in place's file at `path`, mapped, when its record says it was made
    /// with `key`: what a build can take parts of without making them again.
    public func liveBytes(_ path: String, key: UInt64) -> Data? {
        guard key != 0, let live, let file = liveFile(path), file.key == key,
              let bytes = try? Data(contentsOf: URL(fileURLWithPath: live + "/" + path), options: .alwaysMapped), bytes.count == file.size else { return nil }
        return bytes
    }

    /// Makes `folders` (relative, each after its parent) one after the other on a thread of its
    /// own, when this folder starts empty (a first build, `--clean`, or a back folder made
    /// anew), and returns the group to wait on before the folder is finished; nil otherwise.
    /// Pages are rendered on every core and each written into its own new folder (`actions/<slug>/`),
    /// and on a disk two threads making folders in one parent take turns at its lock while the
    /// file system reads inode tables: on ext4 the cores sat idle for half of a full build's
    /// page writing. Made ahead, a page finds its folder there and takes no lock to reach it.
    public func makeFoldersAhead(_ folders: [String]) -> DispatchGroup? {
        guard holds.isEmpty, !folders.isEmpty else { return nil }
        let group = DispatchGroup()
        let thread = Thread { [folder] in
            for relative in folders { mkdir(folder + "/" + relative, 0o777) }
            group.leave()
        }
        group.enter()
        thread.start()
        return group
    }

    /// `held`: whether the folder held `path` (`holds`), which every caller has looked up.
    private func note(_ file: File, at path: String, held: Bool) {
        lock.withLock {
            if made.updateValue(file, forKey: path) == nil, held { madeHeld += 1 }
        }
    }

    /// The site in place's file at `path`, from its record.
    private func liveFile(_ path: String) -> File? {
        if let liveFiles { return liveFiles[path] }
        guard let lines = recordLines?.live, let number = lines.find(path) else { return nil }
        return lines.entry(number)
    }

    /// For a staging whose records are lines, once `keepEveryOtherFile` kept the rest: the new
    /// site's record's lines, the site in place's with the files written. Nil otherwise (`finish`).
    func finishedLines() -> [UInt8]? {
        guard let recordLines, lock.withLock({ keptLive != nil }) else { return nil }
        return recordLines.live.replacing(lock.withLock { made })
    }

    /// Removes what the folder held but the new site does not have, and the folders that leaves
    /// empty; returns the new site's record of files.
    func finish() -> [String: File] {
        var (made, madeHeld, keptLive) = lock.withLock { (self.made, self.madeHeld, self.keptLive) }
        if let keptLive, var files = liveFiles {
            assert(made.keys.allSatisfy(keptLive.except.contains), "a file was made that keepEveryOtherFile kept")
            for (path, file) in made { files[path] = file }
            made = files
            madeHeld += keptLive.held
        }
        if madeHeld == holds.count { return made }
        remove(holds.keys.filter { made[$0] == nil })
        return made
    }

    /// Removes `paths` from the folder, and the folders that leaves empty.
    private func remove(_ paths: [String]) {
        var folders = Set<String>()
        for path in paths {
            unlink(folder + "/" + path)
            var parent = path
            while let slash = parent.lastIndex(of: "/") {
                parent = String(parent[..<slash])
                folders.insert(parent)
            }
        }
        // Deepest first; a folder that still has files stays (rmdir fails).
        for path in folders.sorted(by: { $0.count > $1.count }) { rmdir(folder + "/" + path) }
    }

    // MARK: Files

    /// Hard-links `old` at `full`, replacing what is there; false if it cannot.
    private func link(_ old: String, to full: String, path: String, replacing: Bool) -> Bool {
        if replacing { unlink(full) }
        if Glibc.link(old, full) == 0 { return true }
        if errno == EEXIST, unlink(full) == 0 { return Glibc.link(old, full) == 0 }
        guard errno == ENOENT || errno == ENOTDIR, (try? makeFolders(for: path)) != nil else { return false }
        return Glibc.link(old, full) == 0
    }

    /// Writes `bytes` at `full`: into the file there if no other folder shares it (keeping its
    /// inode: creating inodes is what costs most here), else into a new file.
    func writeFile(_ bytes: UnsafeRawBufferPointer, at full: String, path: String? = nil) throws {
        var descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if descriptor < 0, errno == ENOENT || errno == ENOTDIR, let path {
            // Its folder is new: make it (and its parents); another thread may make it too.
            try makeFolders(for: path)
            descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        if descriptor < 0, errno == EEXIST {
            var status = stat()
            if lstat(full, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_nlink == 1 {
                descriptor = open(full, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)
            } else {
                // Shared with the site in place, a link or a folder where a file now goes.
                try? Self.removeTree(full)
                descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            }
        }
        guard descriptor >= 0 else { throw SiteWriter.failure("cannot create \(path ?? full)") }
        defer { close(descriptor) }
        try Self.writeAll(bytes, to: descriptor, path: path ?? full)
    }

    /// `write` until every byte is written, again after a signal.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SiteWriter.failure("cannot write \(path)")
            }
            offset += written
        }
    }

    func writeFile(_ bytes: [UInt8], at full: String) throws {
        try bytes.withUnsafeBytes { try writeFile($0, at: full) }
    }

    /// True when the file at `old` holds exactly `bytes`.
    private static func holds(_ bytes: UnsafeRawBufferPointer, at old: String) -> Bool {
        let descriptor = open(old, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == bytes.count else { return false }
        guard bytes.count > 0 else { return true }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < bytes.count {
            let count = read(descriptor, buffer + offset, bytes.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return memcmp(buffer, bytes.baseAddress!, bytes.count) == 0
    }

    /// Makes the folder `path` goes in, and its parents. The folder itself is tried first: most
    /// new files go in a new folder of a folder that exists (`actions/<slug>/`), and one `mkdir`
    /// that succeeds needs no `stat` after it (three calls a page, for 12,000 pages, before).
    private func makeFolders(for path: String) throws {
        guard let slash = path.lastIndex(of: "/") else { return }
        try makeFolder(String(path[..<slash]))
    }

    private func makeFolder(_ relative: String) throws {
        let full = folder + "/" + relative
        if mkdir(full, 0o777) == 0 { return }
        switch errno {
        case EEXIST:
            var status = stat()
            if lstat(full, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { return }
            // A file the old site had where a folder now goes (or another thread's folder).
            unlink(full)
        case ENOENT:
            guard let slash = relative.lastIndex(of: "/") else { throw SiteWriter.failure("cannot create the folder \(relative)") }
            try makeFolder(String(relative[..<slash]))
        default:
            throw SiteWriter.failure("cannot create the folder \(relative)")
        }
        if mkdir(full, 0o777) != 0, errno != EEXIST { throw SiteWriter.failure("cannot create the folder \(relative)") }
    }

    /// Deletes a folder tree with one `unlinkat` per file (`dossier_remove_tree`, no `stat`s), its
    /// top-level folders in parallel: `FileManager.removeItem` took as long to delete a site as
    /// the build took to write it.
    static func removeTree(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            if unlink(path) != 0 { throw SiteWriter.failure("cannot remove \(path)") }
            return
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            _ = dossier_remove_tree((path + "/" + entries[index]))
        }
        if rmdir(path) != 0 { throw SiteWriter.failure("cannot remove \(path)") }
    }
}
