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

/// A fast 64-bit hash of bytes, eight at a time (wyhash's folded 128-bit multiply), for telling
/// whether an output file's bytes changed. Every byte a build writes goes through it, so it must
/// cost far less than writing them; like `Fingerprint`, it is stable across runs and machines and
/// is not a security boundary (the author is the only one who chooses the input).
public struct ContentHash: Sendable {
    private var state: UInt64
    private var length: UInt64 = 0

    public init(seed: UInt64 = 0) {
        state = seed ^ 0xa076_1d64_78bd_642f
    }

    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ContentHash()
        hash.add(bytes)
        return hash.value
    }

    public static func of(_ text: String) -> UInt64 {
        var hash = ContentHash()
        hash.add(text)
        return hash.value
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        // Long inputs (every page a build writes) in four lanes of eight bytes: one chain of
        // multiplies, each waiting on the last, ran at a third of what the core can do.
        if bytes.count >= 64 {
            var lanes = (state, state ^ 0x8ebc_6af0_9c88_c6e3, state ^ 0x5899_65cc_7537_4cc3, state ^ 0x1d8e_4e27_c47d_124f)
            while offset + 32 <= bytes.count {
                lanes.0 = Self.mix(lanes.0 ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)), 0xe703_7ed1_a0b4_28db)
                lanes.1 = Self.mix(lanes.1 ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)), 0xe703_7ed1_a0b4_28db)
                lanes.2 = Self.mix(lanes.2 ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)), 0xe703_7ed1_a0b4_28db)
                lanes.3 = Self.mix(lanes.3 ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)), 0xe703_7ed1_a0b4_28db)
                offset += 32
            }
            state = Self.mix(Self.mix(lanes.0, lanes.1 ^ 0x5899_65cc_7537_4cc3) ^ lanes.2, lanes.3 ^ 0x1d8e_4e27_c47d_124f)
        }
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = Self.mix(state ^ word, 0xe703_7ed1_a0b4_28db)
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
            state = Self.mix(state ^ tail ^ 0x8ebc_6af0_9c88_c6e3, 0x5899_65cc_7537_4cc3)
        }
        // A boundary between two adds counts, so ("ab", "c") and ("a", "bc") differ.
        state = Self.mix(state ^ UInt64(bytes.count), 0x1d8e_4e27_c47d_124f)
    }

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { add($0) }
    }

    public var value: UInt64 {
        Self.mix(state ^ length, 0xe703_7ed1_a0b4_28db ^ 0x5899_65cc_7537_4cc3)
    }
}
