@testable import DossierKit
import XCTest

final class TemplateKeyTests: XCTestCase {
    /// Keys are equal exactly when their names are, whichever way they were made, and a
    /// dictionary finds every one of many keys (its hash is the stored one, mixed with the seed).
    func testKeysBehaveAsTheirNames() {
        let names = (0..<2_000).map { "name_\($0)" } + ["", "a", "é", "title", "tïtle", "ti\u{0301}tle"]
        var table: [TemplateKey: Int] = [:]
        for (index, name) in names.enumerated() { table[TemplateKey(name)] = index }
        XCTAssertEqual(table.count, names.count)
        for (index, name) in names.enumerated() { XCTAssertEqual(table[TemplateKey(name)], index, name) }
        XCTAssertNil(table["missing"])
        let literal: TemplateKey = "title"
        XCTAssertEqual(literal, TemplateKey("title"))
        XCTAssertNotEqual(TemplateKey("title"), TemplateKey("titles"))
        // Compared as Swift strings compare: "é" written as one scalar or as e + accent is one name.
        XCTAssertEqual(TemplateKey("\u{e9}"), TemplateKey("e\u{301}"))
        XCTAssertEqual(TemplateKey("K"), TemplateKey("\u{212A}"), "the Kelvin sign is canonically K")
        XCTAssertEqual(table[TemplateKey("e\u{301}")], names.firstIndex(of: "é"))
        XCTAssertEqual(Set(names.map { TemplateKey($0) }).count, names.count)
        XCTAssertEqual([TemplateKey("b"), "a", "c"].sorted().map(\.name), ["a", "b", "c"])
    }
}
