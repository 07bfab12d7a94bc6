import CDossierSystem
/// A JSON value written with sorted keys and no insignificant whitespace, so the same input
/// gives the same bytes. Written by hand because it is on the hot path of every build and
/// `JSONEncoder` costs several microseconds a record.
public enum JSONValue: Sendable, Hashable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    /// An object whose members are given in the order `object` writes them, sorted by key:
    /// neither hashed into a dictionary nor sorted again, for the records written a dozen
    /// thousand times a build (`RecordJSON`, `SearchIndex`).
    case sorted([JSONMember])
    case null

    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    public var serialized: String {
        String(decoding: serializedBytes, as: UTF8.self)
    }

    /// `serialized` as UTF-8 bytes, ready to write.
    public var serializedBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output)
        return output
    }

    public func write(to output: inout String) {
        output += serialized
    }

    /// Written as bytes: appending the many short pieces of a record (quotes, colons, commas) to
    /// a String cost more than escaping its text, a third of the records' time in a full build.
    public func write(into output: inout [UInt8]) {
        switch self {
        case .string(let text): Self.writeString(text, into: &output)
        case .number(let number): output.append(contentsOf: String(number).utf8)
        case .bool(let bool): Self.append(bool ? "true" : "false", to: &output)
        case .null: Self.append("null", to: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for index in values.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                values[index].write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .sorted(let members):
            assert(zip(members, members.dropFirst()).allSatisfy { $0.key < $1.key }, "members out of order")
            output.append(UInt8(ascii: "{"))
            for index in members.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(members[index].key, into: &output)
                output.append(UInt8(ascii: ":"))
                members[index].value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// `writeString(_:into:)`, onto a String. Text with nothing to escape (most of it) is
    /// appended as it is, not taken to bytes and back.
    static func writeString(_ text: String, to output: inout String) {
        var text = text
        let plain = text.withUTF8 { source in source.isEmpty || dossier_json_special_offset(source.baseAddress!, UInt(source.count)) == UInt(source.count) }
        if plain {
            output += "\""
            output += text
            output += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        writeString(text, into: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes quotes, backslashes and control characters, and `<`, `>`, `&` and the line
    /// separators too, so the JSON is safe to embed in HTML and to evaluate as JavaScript.
    /// Works on UTF-8 bytes and appends unescaped runs whole: every byte it escapes is ASCII or
    /// starts a separator, so a run always ends on a character boundary.
    static func writeString(_ text: String, into output: inout [UInt8]) {
        var text = text
        output.append(UInt8(ascii: "\""))
        text.withUTF8 { source in
            guard let base = source.baseAddress else { return }
            var runStart = 0
            var index = 0
            while index < source.count {
                // The next byte to look at (`dossier_json_special_offset`, sixteen bytes at a
                // time: most text has few).
                index += Int(dossier_json_special_offset(base + index, UInt(source.count - index)))
                guard index < source.count else { break }
                let replacement: StaticString
                var width = 1
                switch source[index] {
                case UInt8(ascii: "\""): replacement = "\\\""
                case UInt8(ascii: "\\"): replacement = "\\\\"
                case UInt8(ascii: "\n"): replacement = "\\n"
                case UInt8(ascii: "\r"): replacement = "\\r"
                case UInt8(ascii: "\t"): replacement = "\\t"
                case UInt8(ascii: "<"): replacement = "\\u003c"
                case UInt8(ascii: ">"): replacement = "\\u003e"
                case UInt8(ascii: "&"): replacement = "\\u0026"
                case let byte where byte < 0x20:
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                    let hex: StaticString = "0123456789abcdef"
                    append("\\u00", to: &output)
                    output.append(hex.utf8Start[Int(byte >> 4)])
                    output.append(hex.utf8Start[Int(byte & 0xF)])
                    index += 1
                    runStart = index
                    continue
                default:
                    // 0xE2: U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in JavaScript.
                    guard index + 2 < source.count, source[index + 1] == 0x80, source[index + 2] == 0xA8 || source[index + 2] == 0xA9 else {
                        index += 1
                        continue
                    }
                    replacement = source[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                append(replacement, to: &output)
                index += width
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

/// A member of `JSONValue.sorted`: `JSONMember("date", .string(...))`, so a record's members read
/// in the code in the order the JSON has them.
public struct JSONMember: Sendable, Hashable {
    public let key: String
    public let value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
