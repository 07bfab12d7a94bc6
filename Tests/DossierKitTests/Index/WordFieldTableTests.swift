@testable import DossierKit
import XCTest

/// The table takes words as bytes the tokenizer lends: these lend a String's.
private extension WordFieldTable {
    mutating func add(_ word: String, _ field: SearchField) {
        Array(word.utf8).withUnsafeBufferPointer { add($0, field) }
    }

    mutating func remove(_ word: String, below keep: SearchField) {
        Array(word.utf8).withUnsafeBufferPointer { remove($0, below: keep) }
    }
}

final class WordFieldTableTests: XCTestCase {
    func testKeepsTheBestFieldOfEachDistinctWordInFirstSeenOrder() {
        var table = WordFieldTable()
        for round in 0..<2 {
            for number in 0..<1000 { table.add("w\(number)", round == 0 ? .body : .summary) }
        }
        table.add("w7", .nameStart)
        table.add("w7", .body)
        XCTAssertEqual(table.count, 1000)
        let entries = table.words
        XCTAssertEqual(entries.map(\.word), (0..<1000).map { "w\($0)" })
        XCTAssertEqual(entries[7].field, .nameStart)
        XCTAssertEqual(Set(entries.enumerated().filter { $0.offset != 7 }.map(\.element.field)), [.summary])
    }

    func testRemovesOnlyBelowAField() {
        var table = WordFieldTable()
        table.add("the", .body)
        table.add("of", .name)
        table.add("freeze", .body)
        table.remove("the", below: .name)
        table.remove("of", below: .name)
        table.remove("absent", below: .name)
        XCTAssertEqual(table.words.map(\.word), ["of", "freeze"])
    }
}
