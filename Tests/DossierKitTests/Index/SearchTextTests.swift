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

    /// A word of `maxWordLength` characters is kept whatever their width in bytes once folded
    /// (the tokenizer keeps a word in a buffer of 4 bytes a character); one more, and it is not.
    func testTheLongestWordIsKeptAtEveryCharacterWidth() {
        var tokenizer = SearchTokenizer()
        for character in ["x", "É", "ж", "𝐀", "\u{1F1}"] {
            let longest = String(repeating: character, count: SearchTokenizer.maxWordLength)
            let words = tokenizer.words("a \(longest) \(longest + character) b")
            XCTAssertEqual(words.count, 3, character)
            XCTAssertEqual(words[1], tokenizer.fold(longest), character)
        }
    }

    /// The byte tokenizer against the rules read scalar by scalar, on random text mixing ASCII,
    /// marks, other scripts, apostrophes and words around the length limit.
    func testBytesGiveTheWordsTheRulesGive() {
        func reference(_ text: String) -> [String] {
            var tokenizer = SearchTokenizer()
            var words: [String] = []
            var word = String.UnicodeScalarView()
            func flush() {
                if !word.isEmpty, word.count <= SearchTokenizer.maxWordLength { words.append(String(word)) }
                word = String.UnicodeScalarView()
            }
            for scalar in text.unicodeScalars where scalar != "'" && scalar != "\u{2019}" {
                for folded in tokenizer.fold(String(scalar)).unicodeScalars {
                    if SearchTokenizer.isIdeograph(folded.value) {
                        flush()
                        word.append(folded)
                        flush()
                    } else if SearchTokenizer.isWordCharacter(folded) {
                        word.append(folded)
                    } else {
                        flush()
                    }
                }
            }
            flush()
            return words
        }
        let pieces = ["a", "Z", "9", " ", "'", "’", "-", "_", "é", "É", "e\u{301}", "ж", "王", "𝐀", "ς", "İ", "\u{1F1}", "ﬁ", "\n",
                      String(repeating: "q", count: 39), String(repeating: "ж", count: 20)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var tokenizer = SearchTokenizer()
            XCTAssertEqual(tokenizer.words(text), reference(text), text)
        }
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
