import Foundation

/// Turns a file's bytes into text the parsers can trust: valid UTF-8, no BOM, LF line ends, no NUL.
enum TextDecoding {
    static func decode(_ file: SourceFile) -> Result<String, Diagnostic> {
        var bytes = [UInt8](file.bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // The standard library's validation is the fast check; the byte it stopped at is looked
        // for only in a file that fails it.
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(bytes) ?? 0
            return .failure(.error("the file is not valid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))", at: location(ofByte: offset, in: bytes, path: file.path)))
        }
        // `memchr`, not `contains`: going through the text's UTF-8 view byte by byte was 1 % of a
        // full build.
        let (nul, carriageReturn) = bytes.withUnsafeBytes { buffer -> (Int?, Bool) in
            guard let start = buffer.baseAddress, !buffer.isEmpty else { return (nil, false) }
            return (memchr(start, 0, buffer.count).map { UnsafeRawPointer($0) - start },
                    memchr(start, Int32(UInt8(ascii: "\r")), buffer.count) != nil)
        }
        if let offset = nul {
            return .failure(.error("the file contains a NUL byte: is it a binary file?", at: location(ofByte: offset, in: bytes, path: file.path)))
        }
        if carriageReturn {
            // On the bytes: Foundation's `replacingOccurrences`, twice over the text, was most
            // of decoding a file saved with CRLF line ends. Both are ASCII, so the bytes stay
            // valid UTF-8.
            text = String(decoding: lineFeedsOnly(bytes), as: UTF8.self)
        }
        return .success(text)
    }

    /// `bytes` with each CRLF and each lone CR made LF.
    static func lineFeedsOnly(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\r") else {
                output.append(byte)
                continue
            }
            output.append(UInt8(ascii: "\n"))
            if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
        }
        return output
    }

    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            let length: Int
            let minimum: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            var scalar = UInt32(byte) & (0xFF >> (length + 1))
            for continuation in bytes[(index + 1)..<(index + length)] {
                guard continuation & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return index }
            index += length
        }
        return nil
    }

    /// Line and column (in scalars) of a byte offset in valid-UTF-8-up-to-there bytes.
    static func location(ofByte offset: Int, in bytes: [UInt8], path: String) -> SourceLocation {
        var line = 1, column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(path: path, line: line, column: column)
    }
}
