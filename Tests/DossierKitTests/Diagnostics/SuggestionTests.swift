@testable import DossierKit
import XCTest

final class SuggestionTests: XCTestCase {
    func testSuggestsTheClosestCandidate() {
        XCTAssertEqual(Suggestion.closest(to: "wang-junzeng", in: ["wang-junzheng", "wang-mingshan", "zhu-hailun"]), "wang-junzheng")
        XCTAssertEqual(Suggestion.closest(to: "titel", in: CaseFileParser.actionKeys), "title")
    }

    func testSuggestsNothingWhenNothingIsClose() {
        XCTAssertNil(Suggestion.closest(to: "banana", in: ["wang-junzheng", "zhu-hailun"]))
        XCTAssertEqual(Suggestion.didYouMean("banana", in: ["zhu-hailun"]), "")
    }

    func testEditDistance() {
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting", limit: 5), 3)
        XCTAssertEqual(Suggestion.editDistance("", "abc", limit: 5), 3)
        XCTAssertEqual(Suggestion.editDistance("same", "same", limit: 1), 0)
    }

    func testDiagnosticsAreSortedByPathThenPosition() {
        var diagnostics = Diagnostics()
        diagnostics.error("b", at: SourceLocation(path: "Content/b.md", line: 1, column: 1))
        diagnostics.error("a2", at: SourceLocation(path: "Content/a.md", line: 3, column: 1))
        diagnostics.warning("a1", at: SourceLocation(path: "Content/a.md", line: 2, column: 9))
        diagnostics.error("a2", at: SourceLocation(path: "Content/a.md", line: 3, column: 1))
        XCTAssertEqual(diagnostics.sorted.map(\.description), [
            "Content/a.md:2:9: warning: a1",
            "Content/a.md:3:1: error: a2",
            "Content/b.md:1:1: error: b",
        ])
        XCTAssertEqual(diagnostics.errorCount, 3)
        XCTAssertTrue(diagnostics.hasErrors)
    }
}
