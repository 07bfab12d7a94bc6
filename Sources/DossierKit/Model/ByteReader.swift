import Foundation

/// Reads the binary caches (`BodyCache`, `ParseCache`, `SearchCache`): bytes, little-endian
/// 64-bit words, LEB128 varints and UTF-8 texts, each nil when the bytes run out or make no
/// sense, so that a damaged cache reads as nothing rather than as something wrong.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func word() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return value
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// A count of things still to read: each takes at least a byte.
    mutating func count() -> Int? {
        guard let value = varint(), value <= UInt64(bytes.count - offset) else { return nil }
        return Int(value)
    }

    mutating func integer() -> Int? {
        guard let raw = varint() else { return nil }
        let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        return Int(value)
    }

    mutating func flag() -> Bool? {
        switch byte() {
        case 0: false
        case 1: true
        default: nil
        }
    }

    mutating func text(length: UInt64) -> String? {
        guard length <= UInt64(bytes.count - offset) else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)]), as: UTF8.self)
        offset += Int(length)
        return text
    }

    mutating func text() -> String? {
        guard let length = varint() else { return nil }
        return text(length: length)
    }

    /// `.some(nil)` for an absent text.
    mutating func optionalText() -> String?? {
        guard let length = varint() else { return nil }
        if length == 0 { return .some(nil) }
        return text(length: length - 1).map { .some($0) }
    }

    mutating func texts() -> [String]? {
        guard let count = count() else { return nil }
        var texts: [String] = []
        texts.reserveCapacity(count)
        for _ in 0..<count {
            guard let text = text() else { return nil }
            texts.append(text)
        }
        return texts
    }

    /// A count written as a word, no larger than the bytes left could hold.
    mutating func wordCount() -> Int? {
        guard let value = word(), value <= UInt64(bytes.count - offset) else { return nil }
        return Int(value)
    }

    /// A text whose length is written as a word.
    mutating func wordText() -> String? {
        guard let length = wordCount() else { return nil }
        return text(length: UInt64(length))
    }

    /// Where a text whose length is written as a word lies, skipped over unread.
    mutating func wordRange() -> Range<Int>? {
        guard let length = wordCount() else { return nil }
        defer { offset += length }
        return offset..<offset + length
    }

    /// A word count, then that many little-endian 32-bit numbers.
    mutating func uint32s() -> [UInt32]? { fixedWidthNumbers() }

    /// A word count, then that many words.
    mutating func words() -> [UInt64]? { fixedWidthNumbers() }

    private mutating func fixedWidthNumbers<Number: FixedWidthInteger>() -> [Number]? {
        let width = MemoryLayout<Number>.size
        guard let count = word(), count <= UInt64(bytes.count - offset) / UInt64(width) else { return nil }
        let start = offset
        let values = [Number](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            for index in 0..<Int(count) {
                buffer[index] = Number(littleEndian: bytes.loadUnaligned(fromByteOffset: start + index * width, as: Number.self))
            }
            initialized = Int(count)
        }
        offset += Int(count) * width
        return values
    }
}

/// Byte order of `a[first]` and `b[second]`, as `memcmp` and then length order: negative, zero
/// or positive.
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ second: Range<Int>) -> Int32 {
    let common = min(first.count, second.count)
    let order = common == 0 ? 0 : memcmp(a.baseAddress! + first.lowerBound, b.baseAddress! + second.lowerBound, common)
    if order != 0 { return order }
    return first.count == second.count ? 0 : first.count < second.count ? -1 : 1
}
