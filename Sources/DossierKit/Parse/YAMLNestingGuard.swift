/// YAML nested thousands deep would overflow the stack of anything that builds its tree
/// recursively, as `YAMLComposer` does. This scan bounds the nesting first, in one linear pass,
/// and points at where the limit is crossed. It counts flow brackets outside quoted scalars, and
/// block nesting through indentation and `- ` entries, and over-counts rather than under-counts
/// on any one line; but a flow collection left open across lines (`{{{` on line after line) gets
/// past it, and the composer refuses that itself.
enum YAMLNestingGuard {
    static let limit = 64

    /// The 1-based line and column in `yaml` where nesting first exceeds `limit`, or nil.
    /// Scanned as UTF-8: every character it looks for is ASCII, and no byte of a longer
    /// character is ever ASCII; only a column reported counts characters (scalars).
    static func firstExcess(in yaml: String, limit: Int = limit) -> (line: Int, column: Int)? {
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), hash = UInt8(ascii: "#"), dash = UInt8(ascii: "-")
            let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'")
            var line = 1
            var indents: [Int] = []
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != newline { end += 1 }
                defer { line += 1; start = end + 1 }
                // Scalars of the line before `offset`, plus one.
                func column(_ offset: Int) -> Int {
                    var count = 1
                    for index in start..<offset where bytes[index] & 0xC0 != 0x80 { count += 1 }
                    return count
                }
                var index = start
                while index < end, bytes[index] == space { index += 1 }
                if index == end || bytes[index] == hash { continue }
                let indent = index - start
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
                // `- - - x` nests a sequence per dash on one line.
                var blockDepth = indents.count
                while index + 1 < end, bytes[index] == dash, bytes[index + 1] == space {
                    blockDepth += 1
                    index += 2
                    while index < end, bytes[index] == space { index += 1 }
                }
                if blockDepth > limit { return (line, indent + 1) }

                var flowDepth = 0
                var quote: UInt8?
                scan: while index < end {
                    let byte = bytes[index]
                    defer { index += 1 }
                    if let open = quote {
                        if byte == open { quote = nil }
                        continue
                    }
                    switch byte {
                    case doubleQuote, singleQuote: quote = byte
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flowDepth += 1
                        if blockDepth + flowDepth > limit { return (line, column(index)) }
                    case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
                    case hash where index > start && bytes[index - 1] == space: break scan
                    default: continue
                    }
                }
            }
            return nil
        }
    }
}
