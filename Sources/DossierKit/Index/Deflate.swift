import CZlib
import Foundation

/// zlib's deflate, for the search index's files: `search.js` reads them back with the browser's
/// own `DecompressionStream("deflate")`, so the index costs a quarter of its JSON on the wire
/// whatever the host, and can be cut into a few hundred files instead of ten thousand.
/// The same bytes and level give the same output, so builds stay byte-identical. Level 6 (zlib's
/// default) makes files within 1% of level 9's, in two thirds of the time.
public enum Deflate {
    /// The zlib format (RFC 1950): a two-byte header, the deflate stream, an Adler-32 checksum.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> Data {
        var size = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = bytes.withUnsafeBufferPointer { input in
            compress2(&output, &size, input.baseAddress, uLong(input.count), level)
        }
        // Only a too-small buffer or a lack of memory fail, and compressBound rules out the first.
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        return Data(output[0..<Int(size)])
    }

    /// The inverse, for tests and tools; nil when `data` is not a whole zlib stream.
    public static func decompress(_ data: Data) -> Data? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = [UInt8](data)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = input.count
        return input.withUnsafeMutableBufferPointer { inputPointer -> Data? in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = uInt(count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                if status == Z_STREAM_END { return output }
                if status != Z_OK { return nil }
            }
        }
    }
}
