/// A JSON value written with sorted keys and no insignificant whitespace, so the same input
/// gives the same bytes. Written by hand because it is on the hot path of every build and
/// `JSONEncoder` costs several microseconds a record.
public enum JSONValue: Sendable, Hashable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    public var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    public func write(to output: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .number(let number): output += String(number)
        case .bool(let bool): output += bool ? "true" : "false"
        case .null: output += "null"
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Escapes quotes, backslashes and control characters, and `<`, `>`, `&` and the line
    /// separators too, so the JSON is safe to embed in HTML and to evaluate as JavaScript.
    /// Works on UTF-8 bytes and appends unescaped runs whole: every byte it escapes is ASCII or
    /// starts a separator, so a run always ends on a character boundary.
    static func writeString(_ text: String, to output: inout String) {
        var bytes = text
        bytes.withUTF8 { source in
            output += "\""
            let escaped = ByteEscaper.rewrite(source, needsWork: needsWork) { index -> ([UInt8], Int)? in
                switch source[index] {
                case UInt8(ascii: "\""): return (Escape.quote, 1)
                case UInt8(ascii: "\\"): return (Escape.backslash, 1)
                case UInt8(ascii: "\n"): return (Escape.newline, 1)
                case UInt8(ascii: "\r"): return (Escape.carriageReturn, 1)
                case UInt8(ascii: "\t"): return (Escape.tab, 1)
                case UInt8(ascii: "<"): return (Escape.lessThan, 1)
                case UInt8(ascii: ">"): return (Escape.greaterThan, 1)
                case UInt8(ascii: "&"): return (Escape.ampersand, 1)
                case let byte where byte < 0x20:
                    let hex = String(byte, radix: 16)
                    return (Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8), 1)
                default:
                    // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in JavaScript.
                    guard index + 2 < source.count, source[index + 1] == 0x80, source[index + 2] == 0xA8 || source[index + 2] == 0xA9 else { return nil }
                    return (Array((source[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8), 3)
                }
            }
            // Nothing escaped (most strings): the text itself, not a copy decoded from its bytes.
            if let escaped { output += String(decoding: escaped, as: UTF8.self) } else { output += text }
            output += "\""
        }
    }

    /// The replacements, made once rather than at every escape.
    private enum Escape {
        static let quote = Array("\\\"".utf8), backslash = Array("\\\\".utf8), newline = Array("\\n".utf8)
        static let carriageReturn = Array("\\r".utf8), tab = Array("\\t".utf8), lessThan = Array("\\u003c".utf8)
        static let greaterThan = Array("\\u003e".utf8), ampersand = Array("\\u0026".utf8)
    }

    /// Bytes that are escaped, or may start U+2028/U+2029.
    private static let needsWork: [Bool] = (0..<256).map { byte in
        byte < 0x20 || [0x22, 0x5C, 0x3C, 0x3E, 0x26, 0xE2].contains(byte)
    }
}
