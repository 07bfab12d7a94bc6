import CDossierSystem
@testable import DossierKit
import XCTest

final class JSONValueTests: XCTestCase {
    func testSortsKeysAndEscapes() {
        let value = JSONValue.object(["b": .array([.number(1), .bool(true), .null]), "a": .string("q\"\\\n\u{1}</script>&\u{2028}é")])
        XCTAssertEqual(value.serialized, #"{"a":"q\"\\\n\u0001\u003c/script\u003e\u0026\u2028é","b":[1,true,null]}"#)
    }

    /// The byte scans sixteen at a time (HTML, JSON and XML escaping) find the first byte to look
    /// at exactly where a byte-by-byte look does, for every byte value, at every place across and
    /// around a block of sixteen.
    func testSpecialByteScansFindTheFirstOne() {
        let scans: [(name: String, special: (UInt8) -> Bool, scan: (UnsafePointer<UInt8>, UInt) -> UInt)] = [
            ("html", { [0x26, 0x3C, 0x3E, 0x22, 0x27].contains($0) }, dossier_html_special_offset),
            ("json", { $0 < 0x20 || [0x22, 0x5C, 0x3C, 0x3E, 0x26, 0xE2].contains($0) }, dossier_json_special_offset),
            ("xml", { $0 < 0x20 || [0x26, 0x3C, 0x3E, 0x22, 0x27, 0xEF].contains($0) }, dossier_xml_special_offset),
        ]
        for (name, special, scan) in scans {
            for byte in UInt8.min...UInt8.max {
                for place in [0, 1, 15, 16, 17, 31, 40] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 41)
                    bytes[place] = byte
                    let expected = bytes.firstIndex(where: special) ?? bytes.count
                    XCTAssertEqual(Int(bytes.withUnsafeBufferPointer { scan($0.baseAddress!, UInt($0.count)) }), expected, "\(name): byte \(byte) at \(place)")
                }
            }
        }
    }

    /// `dossier_xml_escape` against the byte rule it replaced, on random text with every kind of
    /// byte it treats: the five escaped characters, allowed and forbidden controls, U+FFFE, U+FFFF
    /// and U+FFFD (EF BF BD, kept), and other multi-byte characters.
    func testXMLEscapeMatchesTheByteRule() {
        var generator = SeededGenerator(state: 2026_1130_01)
        let pieces = ["a", "<p>", "&", "\"", "'", ">", "\t", "\n", "\r", "\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "é", "中", "😀", "\u{EFBF}"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...25, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            XCTAssertEqual(XML.escape(text), Self.xmlEscapeReference(text), text.debugDescription)
        }
    }

    /// `XML.escape` as it was written in Swift, a byte at a time.
    private static func xmlEscapeReference(_ text: String) -> String {
        let source = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < source.count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "&"): output += "&amp;".utf8
            case UInt8(ascii: "<"): output += "&lt;".utf8
            case UInt8(ascii: ">"): output += "&gt;".utf8
            case UInt8(ascii: "\""): output += "&quot;".utf8
            case UInt8(ascii: "'"): output += "&#39;".utf8
            case 0xEF where index + 2 < source.count && source[index + 1] == 0xBF && (source[index + 2] == 0xBE || source[index + 2] == 0xBF):
                index += 3
                continue
            case let control where control < 0x20 && control != 0x09 && control != 0x0A && control != 0x0D:
                break
            default:
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
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
