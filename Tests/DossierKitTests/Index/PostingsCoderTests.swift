@testable import DossierKit
import XCTest

final class PostingsCoderTests: XCTestCase {
    func testRoundTrips() {
        let postings: [(Int, SearchField)] = [(0, .body), (1, .nameStart), (2, .summary), (40, .name), (100_000, .body), (100_001, .summary)]
        let encoded = PostingsCoder.encode(postings.map { UInt32($0.0) << 2 | UInt32($0.1.rawValue - 1) })
        let decoded = PostingsCoder.decode(encoded)
        XCTAssertEqual(decoded.map(\.document), postings.map(\.0))
        XCTAssertEqual(decoded.map(\.field), postings.map { Int($0.1.rawValue) })
        XCTAssertEqual(PostingsCoder.decodePacked(encoded), postings.map { UInt32($0.0) << 2 | UInt32($0.1.rawValue - 1) })
        // Any postings, as a section carries them and a pick reads them back.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var document: UInt32 = 0
            let random = (0..<Int.random(in: 0...50, using: &generator)).map { _ -> UInt32 in
                document += UInt32.random(in: 1...5000, using: &generator)
                return document << 2 | UInt32.random(in: 0...3, using: &generator)
            }
            XCTAssertEqual(PostingsCoder.decodePacked(PostingsCoder.encode(random)), random)
        }
    }

    func testADenseTermCostsOneCharacterAPosting() {
        let encoded = PostingsCoder.encode((0..<1000).map { UInt32($0 * 3) << 2 })
        XCTAssertEqual(encoded.utf8.count, 1000)
        XCTAssertTrue(encoded.utf8.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
    }

    func testFirstPostingsAreWrittenAsExpected() {
        // Document 0 in a title's first word: (0 << 2) | 3 = 3. Then document 2 in the body: gap 1, (1 << 2) | 0 = 4.
        // Then document 100 in the summary: gap 97, (97 << 2) | 1 = 389 = 12 * 32 + 5: digit 12 + 32 -> "i", then digit 5 -> "5".
        XCTAssertEqual(PostingsCoder.encode([0 << 2 | 3, 2 << 2 | 0, 100 << 2 | 1]), "34i5")
    }
}
