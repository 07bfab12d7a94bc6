/// A JSON value written with sorted keys and no insignificant whitespace, so the same input
/// gives the same bytes. Written by hand because it is on the hot path of every build and
/// `JSONEncoder` costs several microseconds a record.
public indirect enum JSONValue: Sendable, Hashable {
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
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    /// Escapes quotes, backslashes and control characters, and `<`, `>`, `&` and the line
    /// separators too, so the JSON is safe to embed in HTML and to evaluate as JavaScript.
    /// Works on UTF-8 bytes and appends unescaped runs whole: every byte it escapes is ASCII or
    /// starts a separator, so a run always ends on a character boundary.
    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            var escape: String?
            var width = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "<"): escape = "\\u003c"
            case UInt8(ascii: ">"): escape = "\\u003e"
            case UInt8(ascii: "&"): escape = "\\u0026"
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in JavaScript.
                let next = utf8.index(after: index)
                if next < utf8.endIndex, utf8[next] == 0x80 {
                    let last = utf8.index(after: next)
                    if last < utf8.endIndex, utf8[last] == 0xA8 || utf8[last] == 0xA9 {
                        escape = utf8[last] == 0xA8 ? "\\u2028" : "\\u2029"
                        width = 3
                    }
                }
            default:
                break
            }
            if let escape {
                output += text[runStart..<index]
                output += escape
                index = utf8.index(index, offsetBy: width)
                runStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        output += text[runStart..<utf8.endIndex]
        output += "\""
    }
}
