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
        var text = text
        text.withUTF8 { source in
            output += "\""
            var bytes: [UInt8] = []
            var runStart = 0
            var index = 0
            while index < source.count {
                let byte = source[index]
                guard needsWork[Int(byte)] else { index += 1; continue }
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
                default:
                    // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in JavaScript.
                    if index + 2 < source.count, source[index + 1] == 0x80, source[index + 2] == 0xA8 || source[index + 2] == 0xA9 {
                        escape = source[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                        width = 3
                    }
                }
                guard let escape else { index += 1; continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                bytes.append(contentsOf: escape.utf8)
                index += width
                runStart = index
            }
            if runStart == 0 {
                // Nothing escaped: the text as it is.
                output += String(decoding: source, as: UTF8.self)
            } else {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<source.count]))
                output += String(decoding: bytes, as: UTF8.self)
            }
            output += "\""
        }
    }

    /// Bytes that are escaped, or may start U+2028/U+2029.
    private static let needsWork: [Bool] = (0..<256).map { byte in
        byte < 0x20 || [0x22, 0x5C, 0x3C, 0x3E, 0x26, 0xE2].contains(byte)
    }
}
