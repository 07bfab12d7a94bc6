import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes mapped into memory, read-only, for as long as something holds it. The caches
/// are read this way so that a rebuild pays only for the entries it uses: at 10,000 actions the
/// Markdown cache is 73 MB, and a one-body edit needs a few kilobytes of it.
///
/// The work folder's caches are replaced by renaming a new file over the old one, never written
/// in place, so a mapping keeps seeing the file it opened.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// False for bytes copied into memory (`init(copying:)`).
    private let isMapped: Bool

    private init(bytes: UnsafeRawBufferPointer, isMapped: Bool) {
        self.bytes = bytes
        self.isMapped = isMapped
    }

    /// Nil when the file cannot be opened or mapped.
    convenience init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let count = Int(status.st_size)
        guard count > 0 else {
            self.init(copying: Data())
            return
        }
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else { return nil }
        self.init(bytes: UnsafeRawBufferPointer(start: base, count: count), isMapped: true)
    }

    /// Bytes already in memory, read the same way.
    convenience init(copying data: Data) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 8)
        data.copyBytes(to: copy.bindMemory(to: UInt8.self))
        self.init(bytes: UnsafeRawBufferPointer(rebasing: copy[0..<data.count]), isMapped: false)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) } else { base.deallocate() }
    }

    /// The UTF-8 text in `range`, which the caller has checked lies within the file.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
