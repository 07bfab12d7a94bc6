import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fingerprint of everything a build reads, taken from file metadata alone (`lstat`, and `stat`
/// through symbolic links): every path under `Content/` and `Templates/` with its size, inode,
/// modification and change times, plus the build's options and the running executable itself
/// (the theme is compiled into it). A rebuild whose stamp equals the one recorded with the site in
/// place has nothing to do. At 12,000 files it costs tens of milliseconds, where reading them
/// costs most of a second.
///
/// Like git's index, it distrusts times too close to now: a file changed twice within the file
/// system's clock tick, keeping its size, would look unchanged. If any time is within two
/// seconds of the stamp, there is no stamp (nil), and the next build does its work.
public enum InputStamp {
    /// What the stamp's walk saw of the case folders, so that the loader does not list and
    /// `lstat` their 12,000 files a second time (`BriefingLoader.load(signatures:listing:)`).
    public struct Listing: Sendable {
        /// By folder relative to the root (`Content/actions`), each entry directly in it with its
        /// `lstat` metadata, sorted by name: the folders a case file may be in, when the walk
        /// entered them.
        var folders: [String: [(name: String, status: stat)]] = [:]
        /// When the walk started: a signature made from its metadata trusts only times older
        /// than that (`FileSignature`).
        var started = timespec()
        /// The stamp of everything but the case files' own metadata (and their folders'): the
        /// same as the last build's when only case files were edited in place, which a
        /// rebuild then patches by their metadata (Build/BodyPatch.swift). Their names count.
        var rest: UInt64 = 0

        static let caseFolders: Set<String> = ["Content/actors", "Content/actions", "Content/pages"]

        /// The case files listed (`.md`, not hidden, as the loader takes them), by folder then
        /// name: the order the patch state keeps them in (Build/PatchState.swift). Each path is
        /// `folder/name`, not made here: a patched rebuild compares 12,000 of them with the
        /// state's (`isPath`) and makes none.
        var caseFiles: [(folder: String, name: String, status: stat)] {
            var files: [(folder: String, name: String, status: stat)] = []
            forEachCaseFile { files.append(($0, $1, $2)) }
            return files
        }

        /// The same, handed over one by one: a patched rebuild goes through 12,000 of them, and an
        /// array of them filtered from another was 4 MB of memory new to the process.
        func forEachCaseFile(_ body: (_ folder: String, _ name: String, _ status: stat) throws -> Void) rethrows {
            for folder in Self.caseFolders.sorted() {
                for entry in folders[folder] ?? [] where Self.isCaseFile(entry.name) { try body(folder, entry.name, entry.status) }
            }
        }

        /// Whether the loader takes a file named `name`: `.md`, not hidden. Compared by bytes:
        /// `hasSuffix` compares characters, which for 12,000 names was a visible part of a patch.
        static func isCaseFile(_ name: String) -> Bool {
            let bytes = name.utf8
            return bytes.count > 3 && bytes.first != UInt8(ascii: ".") && bytes.suffix(3).elementsEqual(".md".utf8)
        }

        /// Whether `path` is `folder/name`.
        static func isPath(_ path: String, folder: String, name: String) -> Bool {
            let path = path.utf8, folder = folder.utf8, name = name.utf8
            guard path.count == folder.count + 1 + name.count, path.starts(with: folder) else { return false }
            let rest = path.dropFirst(folder.count)
            return rest.first == UInt8(ascii: "/") && rest.dropFirst().elementsEqual(name)
        }
    }

    /// The stamp (nil if a time is too recent to trust) and the listing of the case folders.
    public static func walk(root: URL, includeDrafts: Bool, baseURL: String?) -> (stamp: String?, listing: Listing) {
        var listing = Listing()
        clock_gettime(CLOCK_REALTIME, &listing.started)
        var hash = ContentHash()
        hash.add(tool())
        hash.add(includeDrafts ? "drafts" : "published")
        hash.add(baseURL ?? "-")
        var rest = hash
        var newest = timespec()
        let rootPath = root.standardizedFileURL.path
        for folder in ["Content", "Templates"] {
            walk(rootPath + "/" + folder, relative: folder, into: &hash, rest: &rest, newest: &newest, listing: &listing, depth: 0)
        }
        listing.rest = rest.value
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        guard now.tv_sec - newest.tv_sec >= 2 else { return (nil, listing) }
        let value = hash.value
        let digits = String(value, radix: 16)
        return (String(repeating: "0", count: 16 - digits.count) + digits, listing)
    }

    /// The running dossier: its version and its executable's metadata. A rebuilt binary may
    /// render differently even with the same version number.
    public static func tool() -> UInt64 {
        var hash = ContentHash()
        hash.add(DossierVersion.current)
        var newest = timespec()
        add(path: "/proc/self/exe", name: "tool", into: &hash, newest: &newest, follow: true)
        return hash.value
    }

    /// Adds one entry's metadata; false if it does not exist.
    @discardableResult
    private static func add(path: String, name: String, into hash: inout ContentHash, newest: inout timespec, follow: Bool) -> Bool {
        var status = stat()
        guard (follow ? stat(path, &status) : lstat(path, &status)) == 0 else {
            hash.add(name + " missing")
            return false
        }
        add(status, name: name, into: &hash, newest: &newest)
        return true
    }

    private static func add(_ status: stat, name: String, into hash: inout ContentHash, newest: inout timespec) {
        hash.add(name)
        var numbers = (UInt64(status.st_mode), UInt64(status.st_ino), UInt64(bitPattern: Int64(status.st_size)),
                       UInt64(bitPattern: Int64(status.st_mtim.tv_sec)), UInt64(status.st_mtim.tv_nsec),
                       UInt64(bitPattern: Int64(status.st_ctim.tv_sec)), UInt64(status.st_ctim.tv_nsec))
        withUnsafeBytes(of: &numbers) { hash.add($0) }
        // Not a loop over an array of the two: an array made for each of 24,000 calls.
        func keep(_ time: timespec) {
            if time.tv_sec > newest.tv_sec || (time.tv_sec == newest.tv_sec && time.tv_nsec > newest.tv_nsec) { newest = time }
        }
        keep(status.st_mtim)
        keep(status.st_ctim)
    }

    /// Every entry below `path`, sorted by name; folders are entered, symbolic links are stamped
    /// both as links and as what they point to, and never followed into. Each entry is looked up
    /// once, relative to its open folder (`fstatat`), not by its whole path.
    private static func walk(_ path: String, relative: String, into hash: inout ContentHash, rest: inout ContentHash, newest: inout timespec, listing: inout Listing, depth: Int) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            hash.add(relative + " missing")
            rest.add(relative + " missing")
            return
        }
        add(status, name: relative, into: &hash, newest: &newest)
        add(status, name: relative, into: &rest, newest: &newest)
        guard depth < 64 else { return }
        walkEntries(path, relative: relative, into: &hash, rest: &rest, newest: &newest, listing: &listing, depth: depth)
    }

    private static func walkEntries(_ path: String, relative: String, into hash: inout ContentHash, rest: inout ContentHash, newest: inout timespec, listing: inout Listing, depth: Int) {
        guard depth < 64, let folder = opendir(path) else { return }
        defer { closedir(folder) }
        let descriptor = dirfd(folder)
        var names: [[UInt8]] = []
        let dot = Array(".".utf8), dotDot = Array("..".utf8)
        while let entry = readdir(folder) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                let bytes = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
                return Array(UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))))
            }
            if name != dot && name != dotDot { names.append(name) }
        }
        let isCaseFolder = Listing.caseFolders.contains(relative)
        var entries: [(name: String, status: stat)] = []
        // In the order of their bytes, which is that of their Unicode scalars: compared as
        // strings, 12,000 names took a third of the stamp's own time.
        names.sort { first, second in
            first.withUnsafeBufferPointer { first in second.withUnsafeBufferPointer { second in compareBytes(first, 0..<first.count, second, 0..<second.count) < 0 } }
        }
        let sorted = names.map { String(decoding: $0, as: UTF8.self) }
        // A big folder's entries are looked up on every core (10,000 actions: most of the
        // stamp's time, on the build's critical path), then hashed in order.
        let statuses: [stat?] = sorted.count < 512 ? sorted.map { Self.lookUp($0, in: descriptor) } : sorted.parallelMap(threads: ProcessInfoCores.fileReaders) { Self.lookUp($0, in: descriptor) }
        for (name, found) in zip(sorted, statuses) {
            guard let status = found else { continue }
            if isCaseFolder { entries.append((name, status)) }
            let child = relative + "/" + name
            add(status, name: child, into: &hash, newest: &newest)
            // A case file, or a case folder, by name alone: edited in place, it keeps the rest.
            let isFolder = status.st_mode & S_IFMT == S_IFDIR
            // (An entry of a case folder is never one itself: the set is looked up only outside.)
            if isCaseFolder ? !isFolder : Listing.caseFolders.contains(child) { rest.add(child) } else { add(status, name: child, into: &rest, newest: &newest) }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                walkEntries(path + "/" + name, relative: child, into: &hash, rest: &rest, newest: &newest, listing: &listing, depth: depth + 1)
            case S_IFLNK:
                let target = path + "/" + name
                add(path: target, name: "-> " + child, into: &hash, newest: &newest, follow: true)
                add(path: target, name: "-> " + child, into: &rest, newest: &newest, follow: true)
            default:
                break
            }
        }
        if isCaseFolder { listing.folders[relative] = entries }
    }

    /// `lstat` of the entry `name` of the open folder `descriptor`; nil if it is gone.
    private static func lookUp(_ name: String, in descriptor: Int32) -> stat? {
        var status = stat()
        return fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }
}
