@testable import DossierKit
import XCTest

final class JSONValueTests: XCTestCase {
    func testSortsKeysAndEscapes() {
        let value = JSONValue.object(["b": .array([.number(1), .bool(true), .null]), "a": .string("q\"\\\n\u{1}</script>&\u{2028}é")])
        XCTAssertEqual(value.serialized, #"{"a":"q\"\\\n\u0001\u003c/script\u003e\u0026\u2028é","b":[1,true,null]}"#)
    }

    func testParsesBackWithFoundation() throws {
        let value = JSONValue.object(["text": .string("Zhu Hailun 朱海仑 \u{0}\t<b>")])
        let parsed = try JSONSerialization.jsonObject(with: Data(value.serialized.utf8)) as? [String: String]
        XCTAssertEqual(parsed?["text"], "Zhu Hailun 朱海仑 \u{0}\t<b>")
    }
}
