/// Yams builds its node tree recursively, so YAML nested thousands deep overflows the stack
/// before any error can be reported. This scan bounds the nesting first, in one linear pass, and
/// points at where the limit is crossed. It counts flow brackets outside quoted scalars, and
/// block nesting through indentation and `- ` entries; it can over-count, never under-count.
enum YAMLNestingGuard {
    static let limit = 64

    /// The 1-based line and column in `yaml` where nesting first exceeds `limit`, or nil.
    static func firstExcess(in yaml: String, limit: Int = limit) -> (line: Int, column: Int)? {
        var line = 1
        var indents: [Int] = []
        for text in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let scalars = Array(text.unicodeScalars)
            var column = 0
            while column < scalars.count, scalars[column] == " " { column += 1 }
            if column == scalars.count || scalars[column] == "#" { continue }
            while let last = indents.last, last >= column { indents.removeLast() }
            indents.append(column)
            // `- - - x` nests a sequence per dash on one line.
            var blockDepth = indents.count
            var index = column
            while index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] == " " {
                blockDepth += 1
                index += 2
                while index < scalars.count, scalars[index] == " " { index += 1 }
            }
            if blockDepth > limit { return (line, column + 1) }

            var flowDepth = 0
            var quote: Unicode.Scalar?
            for (offset, scalar) in scalars.enumerated().dropFirst(index) {
                if let open = quote {
                    if scalar == open { quote = nil }
                    continue
                }
                switch scalar {
                case "\"", "'": quote = scalar
                case "[", "{":
                    flowDepth += 1
                    if blockDepth + flowDepth > limit { return (line, offset + 1) }
                case "]", "}": flowDepth = max(0, flowDepth - 1)
                case "#" where offset > 0 && scalars[offset - 1] == " ": break
                default: continue
                }
                if scalar == "#" { break }
            }
        }
        return nil
    }
}
