@testable import DossierKit
import Foundation
import XCTest

/// Folding, tokenizing and stemming: the rules `search.js` must mirror exactly.
final class SearchTextTests: XCTestCase {
    func testFoldsCaseAndDiacriticsButNotLetters() {
        var tokenizer = SearchTokenizer()
        XCTAssertEqual(tokenizer.fold("Müller ÉCOLE İstanbul"), "muller ecole istanbul")
        // Ø and ß are letters of their own, not marked letters: they stay.
        XCTAssertEqual(tokenizer.fold("Øresund Straße"), "øresund straße")
        // Final sigma folds like any sigma, so ΟΔΟΣ and οδος meet.
        XCTAssertEqual(tokenizer.fold("ΟΔΟΣ οδος"), "οδοσ οδοσ")
    }

    func testCutsWordsAtAnythingButLettersAndDigits() {
        var tokenizer = SearchTokenizer()
        XCTAssertEqual(tokenizer.words("China's counter-sanctions (2021), E.O. 13818!"), ["chinas", "counter", "sanctions", "2021", "e", "o", "13818"])
        XCTAssertEqual(tokenizer.words("O’Brien"), ["obrien"])
    }

    func testEachHanCharacterIsAWord() {
        var tokenizer = SearchTokenizer()
        XCTAssertEqual(tokenizer.words("王海伦 (Wang Hailun)"), ["王", "海", "伦", "wang", "hailun"])
    }

    func testSkipsOverlongWords() {
        var tokenizer = SearchTokenizer()
        XCTAssertEqual(tokenizer.words("a " + String(repeating: "x", count: 41) + " b"), ["a", "b"])
    }

    func testStemsPluralsAndVerbFormsOnly() {
        let cases = [
            ("sanctions", "sanction"), ("sanctioned", "sanction"), ("sanctioning", "sanction"),
            ("companies", "compani"), ("company", "compani"), ("freezes", "freez"), ("banned", "ban"),
            ("agreed", "agre"), ("feed", "feed"), ("hopping", "hop"), ("filing", "file"), ("falling", "fall"),
            ("freeze", "freez"), ("freezing", "freez"), ("hope", "hope"), ("hoping", "hope"),
            ("caress", "caress"), ("uyghurs", "uyghur"), ("as", "as"), ("sky", "sky"),
            // Not stemmed: digits, other scripts, names with no suffix.
            ("1718", "1718"), ("σισυφοσ", "σισυφοσ"), ("hailun", "hailun"),
        ]
        for (word, stem) in cases { XCTAssertEqual(SearchStemmer.stem(word), stem, word) }
    }

    func testTermsAreStemmedWords() {
        var tokenizer = SearchTokenizer()
        XCTAssertEqual(tokenizer.terms("Sanctioned companies"), ["sanction", "compani"])
    }

    /// The same table `Tests/EndToEnd/search_logic_test.js` runs through `search.js`.
    func testSharedNormalizationTable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/search-normalization.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertGreaterThan(lines.count, 10)
        for line in lines {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(columns.count, 3, String(line))
            var tokenizer = SearchTokenizer()
            XCTAssertEqual(tokenizer.words(columns[0]).joined(separator: " "), columns[1], columns[0])
            XCTAssertEqual(tokenizer.terms(columns[0]).joined(separator: " "), columns[2], columns[0])
        }
    }
}
