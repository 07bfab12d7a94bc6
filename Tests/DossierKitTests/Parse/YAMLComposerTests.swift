@testable import DossierKit
import XCTest

/// The composer reads libyaml's events into values that keep where each starts, as the
/// diagnostics need them: lines and columns in characters, styles, anchors, libyaml's problems.
final class YAMLComposerTests: XCTestCase {
    func testEveryValueKeepsItsLineAndCharacterColumn() throws {
        let yaml = "title: Zhu Hailun\nnamé: \"ü\"\nlist:\n  - a\n  - [b, 'c']\n"
        let root = try XCTUnwrap(YAMLComposer.compose(yaml))
        let pairs = try XCTUnwrap(root.mapping)
        XCTAssertEqual(pairs.map { $0.key.scalar?.string }, ["title", "namé", "list"])
        XCTAssertEqual(root.mark, YAMLMark(line: 1, column: 1))
        XCTAssertEqual(pairs[0].value.mark, YAMLMark(line: 1, column: 8))
        // "namé: " is six characters (seven bytes): the value starts at the seventh.
        XCTAssertEqual(pairs[1].value.mark, YAMLMark(line: 2, column: 7))
        guard case .sequence(let items, let listMark) = pairs[2].value else { return XCTFail("not a list: \(pairs[2].value)") }
        XCTAssertEqual(listMark, YAMLMark(line: 4, column: 3))
        XCTAssertEqual(items[0].scalar?.string, "a")
        guard case .sequence(let inner, let innerMark) = items[1] else { return XCTFail("not a list: \(items[1])") }
        XCTAssertEqual(innerMark, YAMLMark(line: 5, column: 5))
        XCTAssertEqual(inner.map { $0.scalar?.string }, ["b", "c"])
        XCTAssertEqual(inner[1].mark, YAMLMark(line: 5, column: 9))
    }

    func testStylesTellPlainScalarsFromQuotedOnes() throws {
        let root = try XCTUnwrap(YAMLComposer.compose("a: yes\nb: 'yes'\nc: \"no\"\nd: |\n  text\ne: >\n  folded\nf: OFF\ng: maybe\n"))
        let values = try XCTUnwrap(root.mapping).map(\.value)
        XCTAssertEqual(values.map { $0.scalar?.style }, [.plain, .singleQuoted, .doubleQuoted, .literal, .folded, .plain, .plain])
        XCTAssertEqual(values.map(\.bool), [true, true, false, nil, nil, false, nil])
        XCTAssertEqual(values[3].scalar?.string, "text\n")
    }

    func testAnAliasStandsForItsAnchorsValue() throws {
        let root = try XCTUnwrap(YAMLComposer.compose("a: &x [1, 2]\nb: *x\n"))
        let values = try XCTUnwrap(root.mapping).map(\.value)
        guard case .sequence(let items, _) = values[1] else { return XCTFail("not a list: \(values[1])") }
        XCTAssertEqual(items.map { $0.scalar?.string }, ["1", "2"])
        XCTAssertThrowsError(try YAMLComposer.compose("a: *nowhere\n")) { error in
            guard case YAMLError.syntax(let problem, let mark, nil) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problem, "found undefined alias")
            XCTAssertEqual(mark, YAMLMark(line: 1, column: 4))
        }
    }

    func testAStreamWithoutADocumentIsNilAndASecondDocumentIsAnError() throws {
        XCTAssertNil(try YAMLComposer.compose(""))
        XCTAssertNil(try YAMLComposer.compose("# only a comment\n"))
        XCTAssertThrowsError(try YAMLComposer.compose("a: 1\n---\nb: 2\n")) { error in
            guard case YAMLError.syntax(let problem, let mark, let context?) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problem, "but found another document")
            XCTAssertEqual(mark, YAMLMark(line: 2, column: 1))
            XCTAssertEqual(context.text, "expected a single document in the stream")
        }
    }

    func testLibyamlsProblemComesWithItsPlaceAndContext() {
        XCTAssertThrowsError(try YAMLComposer.compose("a: [1, 2\nb: 3\n")) { error in
            guard case YAMLError.syntax(let problem, _, let context?) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problem, "did not find expected ',' or ']'")
            XCTAssertEqual(context.text, "while parsing a flow sequence")
            XCTAssertEqual(context.mark, YAMLMark(line: 1, column: 4))
        }
        XCTAssertThrowsError(try YAMLComposer.compose("a: \u{7}\n")) { error in
            guard case YAMLError.reader(let problem) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problem, "control characters are not allowed")
        }
    }

    /// The nesting guard counts brackets line by line, so a flow collection left open across
    /// lines gets past it; the composer, which recurses per level, refuses it itself.
    func testNestingPastTheLimitAcrossLinesIsRefusedNotRecursedInto() {
        let yaml = "a:\n" + String(repeating: "  {{{{{{{{{{\n", count: 300)
        XCTAssertNil(YAMLNestingGuard.firstExcess(in: yaml))
        XCTAssertThrowsError(try YAMLComposer.compose(yaml)) { error in
            guard case YAMLError.tooDeep(let mark) = error else { return XCTFail("\(error)") }
            // The root mapping and 63 braces are allowed: the 64th brace, the fourth on line 8.
            XCTAssertEqual(mark, YAMLMark(line: 8, column: 6))
        }
        let nested = String(repeating: "[", count: YAMLNestingGuard.limit - 1) + String(repeating: "]", count: YAMLNestingGuard.limit - 1)
        XCTAssertNoThrow(try YAMLComposer.compose("a: \(nested)\n"))
    }
}
