@testable import DossierKit
import XCTest

/// The nesting guard scans bytes but reports columns in characters, and counts only the nesting
/// YAML would build.
final class YAMLNestingGuardTests: XCTestCase {
    func testFlowNestingIsFoundAtItsCharacterColumn() {
        let deep = String(repeating: "[", count: 3)
        // The line's own level and three brackets.
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: "a: " + deep, limit: 4))
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "a: " + deep, limit: 2)?.column, 5)
        // Three characters of three, two and three bytes before it: still the seventh character.
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "名é€: " + deep, limit: 2).map { [$0.line, $0.column] }, [1, 7])
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "x: 1\n\n# [[[[\nb: ü" + deep, limit: 2).map { [$0.line, $0.column] }, [4, 6])
        // A CRLF line break ends a line too (a Swift `Character` split never saw it).
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "x: 1\r\nb: " + deep, limit: 2).map { [$0.line, $0.column] }, [2, 5])
    }

    func testQuotesAndCommentsHoldNoNesting() {
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: "a: \"[[[[\"\nb: '{{{{'\n", limit: 2))
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: "a: x # [[[[\n", limit: 2))
        // A `#` inside a word is no comment.
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "a: x#[[[\n", limit: 2)?.column, 7)
    }

    func testBlockNestingCountsIndentsAndDashes() {
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: "a:\n  b:\n    c: 1\n", limit: 3))
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "a:\n  b:\n    c: 1\n", limit: 2).map { [$0.line, $0.column] }, [3, 5])
        XCTAssertEqual(YAMLNestingGuard.firstExcess(in: "- - - x\n", limit: 3).map { [$0.line, $0.column] }, [1, 1])
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: "", limit: 1))
    }
}
