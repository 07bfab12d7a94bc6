@testable import DossierKit
import Foundation
import XCTest

final class TextDecodingTests: XCTestCase {
    /// Line ends are made LF on the bytes exactly as Foundation's two replacements made them on
    /// the text (CRLF first, then any CR left), over random mixes of CR, LF and other text.
    func testLineFeedsOnlyMatchesTheTextRule() {
        var generator = SeededGenerator(state: 2026_1130_02)
        let pieces = ["\r", "\n", "\r\n", "\r\r\n", "a", "é", "中", " ", "---"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...20, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            XCTAssertEqual(String(decoding: TextDecoding.lineFeedsOnly(Array(text.utf8)), as: UTF8.self), expected, text.debugDescription)
        }
    }

    func testDecodedFileHasLineFeedsOnly() throws {
        let file = SourceFile(path: "Content/actors/a.md", bytes: Data([0xEF, 0xBB, 0xBF] + Array("---\r\nname: A\rtype: person\r\n---\r\nÉ\r\r\n".utf8)))
        XCTAssertEqual(try TextDecoding.decode(file).get(), "---\nname: A\ntype: person\n---\nÉ\n\n")
    }
}
