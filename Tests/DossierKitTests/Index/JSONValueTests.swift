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

    func testEscapingWorksOnBytesAndKeepsEveryOtherCharacter() {
        XCTAssertEqual(JSONValue.string("a\u{2028}b<\u{1}é\u{2029}\"\\&>\u{E2}").serialized, "\"a\\u2028b\\u003c\\u0001é\\u2029\\\"\\\\\\u0026\\u003e\u{E2}\"")
        XCTAssertEqual(JSONValue.string("plain text, ünïcode").serialized, "\"plain text, ünïcode\"")
        XCTAssertEqual(XML.escape("a\u{1}b&<>\"'\u{FFFE}c\u{FFFF}é\t\u{FFFD}"), "ab&amp;&lt;&gt;&quot;&#39;cé\t\u{FFFD}")
        XCTAssertEqual(XML.escape("nothing to do ✓"), "nothing to do ✓")
    }

    /// Every control character, as `\u00xx` in lowercase hex but the three with a short form, and
    /// the same bytes whether a value is written on its own, into bytes or onto a String.
    func testEveryControlCharacterAndEveryWayOfWriting() throws {
        for scalar in 0..<0x20 {
            let text = "a" + String(UnicodeScalar(UInt8(scalar))) + "b"
            let short: [Int: String] = [0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"]
            let expected = "\"a" + (short[scalar] ?? "\\u00" + (scalar < 0x10 ? "0" : "") + String(scalar, radix: 16)) + "b\""
            XCTAssertEqual(JSONValue.string(text).serialized, expected)
            let parsed = try JSONSerialization.jsonObject(with: Data(("[" + expected + "]").utf8)) as? [String]
            XCTAssertEqual(parsed, [text])
        }
        let value = JSONValue.object(["z": .array([.string("\u{2029}<"), .number(-12)]), "a": .object(["é": .null, "b": .bool(false)])])
        var onString = "x"
        value.write(to: &onString)
        var onBytes = Array("x".utf8)
        value.write(into: &onBytes)
        XCTAssertEqual(onString, "x" + value.serialized)
        XCTAssertEqual(onBytes, Array(onString.utf8))
        XCTAssertEqual(value.serializedBytes, Array(value.serialized.utf8))
        XCTAssertEqual(value.serialized, #"{"a":{"b":false,"é":null},"z":["\u2029\u003c",-12]}"#)
    }
}
