import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a file's metadata says of its bytes, as git's index uses it: the inode, the size and
/// the modification and change times to the nanosecond, hashed into one word. A rebuild does not
/// read a case file whose signature is the one the parse cache recorded with its model: at
/// 10,000 actions that is 43 MB not read, hashed and copied for every edit.
///
/// The change time cannot be set back (`touch -d` and `rsync -t` set only the modification
/// time), and a new inode or size differs, so other bytes give another signature, with git's
/// one caveat: a file written twice within one tick of the file system's clock keeps its times.
/// A file whose times are not at least `trustedAge` seconds old when it is read therefore has no
/// signature (0): it is read again by the next build, and by then its times are old enough.
public enum FileSignature {
    /// Two seconds, as `InputStamp` distrusts: a clock tick is a few milliseconds, but file
    /// systems mounted from elsewhere may keep whole seconds.
    public static let defaultTrustedAge = 2.0

    /// Never 0 for a file whose times are `trustedAge` older than `now`; 0 otherwise.
    public static func of(_ status: stat, now: timespec, trustedAge: Double) -> UInt64 {
        let newest = max(seconds(status.st_mtim), seconds(status.st_ctim))
        guard seconds(now) - newest >= trustedAge else { return 0 }
        var numbers = (UInt64(status.st_ino), UInt64(bitPattern: Int64(status.st_size)),
                       UInt64(bitPattern: Int64(status.st_mtim.tv_sec)), UInt64(status.st_mtim.tv_nsec),
                       UInt64(bitPattern: Int64(status.st_ctim.tv_sec)), UInt64(status.st_ctim.tv_nsec))
        return withUnsafeBytes(of: &numbers) { ContentHash.of($0) } | 1
    }

    public static func now() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    private static func seconds(_ time: timespec) -> Double {
        Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension Body {
    /// The body with its Markdown, read from its file if the loader left it there; nil if the
    /// file no longer ends with that Markdown (it changed while the build ran). The one read
    /// after the load stage: a body left in its file is needed only when the body cache cannot
    /// give its rendering (its links now resolve differently, or the cache was lost).
    func loaded() -> Body? {
        guard let (path, length) = leftInFile else { return self }
        var diagnostics: [Diagnostic] = []
        guard let file = BriefingLoader.readFile(path, relativePath: path, limit: BriefingLoader.textFileLimit, into: &diagnostics),
              file.bytes.count >= length else { return nil }
        let markdown = String(decoding: file.bytes.suffix(length), as: UTF8.self)
        guard ContentHash.of(markdown) == markdownHash else { return nil }
        return Body(markdown: markdown, firstLine: firstLine, markdownHash: markdownHash)
    }
}
