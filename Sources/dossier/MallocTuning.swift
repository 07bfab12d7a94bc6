#if canImport(Glibc)
import Glibc
#endif

/// How this process asks glibc's allocator for memory. By default each of its heaps grows by
/// 128 KB at a time, with an `mprotect` call each: a rebuild at 10,000 actions spent 3 % of its
/// CPU time in them. Growing by 64 MB costs address space, not memory, since pages are resident
/// only once written. `mallopt` is not in Swift's Glibc module (it is in `malloc.h`), so it is
/// looked up by name; where it is missing nothing changes.
enum MallocTuning {
    /// `M_TOP_PAD` in glibc's `malloc.h`.
    private static let topPad: Int32 = -2

    static func apply() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(topPad, 64 << 20)
        #endif
    }
}
