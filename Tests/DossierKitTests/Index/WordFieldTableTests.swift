@testable import DossierKit
import XCTest

final class WordFieldTableTests: XCTestCase {
    func testKeepsTheBestFieldOfEachDistinctWordInFirstSeenOrder() {
        var table = WordFieldTable()
        for round in 0..<2 {
            for number in 0..<1000 { table.add(Array("w\(number)".utf8), round == 0 ? .body : .summary) }
        }
        table.add(Array("w7".utf8), .nameStart)
        table.add(Array("w7".utf8), .body)
        XCTAssertEqual(table.count, 1000)
        let entries = table.entries
        XCTAssertEqual(entries.map(\.word), (0..<1000).map { "w\($0)" })
        XCTAssertEqual(entries[7].field, .nameStart)
        XCTAssertEqual(Set(entries.enumerated().filter { $0.offset != 7 }.map(\.element.field)), [.summary])
    }

    func testRemovesOnlyBelowAField() {
        var table = WordFieldTable()
        table.add(Array("the".utf8), .body)
        table.add(Array("of".utf8), .name)
        table.add(Array("freeze".utf8), .body)
        table.remove(Array("the".utf8), below: .name)
        table.remove(Array("of".utf8), below: .name)
        table.remove(Array("absent".utf8), below: .name)
        XCTAssertEqual(table.entries.map(\.word), ["of", "freeze"])
    }
}
