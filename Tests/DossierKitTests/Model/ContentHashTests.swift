@testable import DossierKit
import XCTest

final class ContentHashTests: XCTestCase {
    /// Every bit of an input counts, in each of the four lanes of a long input, in its tail and in
    /// the short form; and so does where one `add` ends and the next begins.
    func testEveryBitAndEveryBoundaryChangesTheHash() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 31, 63, 64, 65, 95, 96, 127, 200, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let original = bytes.withUnsafeBytes { ContentHash.of($0) }
            XCTAssertEqual(original, bytes.withUnsafeBytes { ContentHash.of($0) }, "stable, \(length) bytes")
            var seen: Set<UInt64> = [original]
            for bit in 0..<min(length * 8, 2048) {
                var flipped = bytes
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                XCTAssertTrue(seen.insert(flipped.withUnsafeBytes { ContentHash.of($0) }).inserted, "bit \(bit) of \(length) bytes")
            }
            XCTAssertNotEqual(original, (bytes + [0]).withUnsafeBytes { ContentHash.of($0) }, "a zero byte more, \(length) bytes")
            if length >= 2 {
                var split = ContentHash()
                bytes.withUnsafeBytes { buffer in
                    split.add(UnsafeRawBufferPointer(rebasing: buffer[0..<length / 2]))
                    split.add(UnsafeRawBufferPointer(rebasing: buffer[(length / 2)...]))
                }
                XCTAssertNotEqual(split.value, original, "cut in two, \(length) bytes")
            }
        }
    }
}
