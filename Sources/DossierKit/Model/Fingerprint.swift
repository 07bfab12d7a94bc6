/// 64-bit FNV-1a as 16 hex digits: stable across runs and machines (Swift's `Hasher` is seeded per
/// process), and enough to notice an edit or tell two versions of a page apart. It is not a
/// security boundary.
public enum Fingerprint {
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
