/// A place in a file of the briefing.
///
/// `path` is relative to the briefing's root (`Content/actors/x.md`). `line` and `column` are
/// 1-based; a column counts Unicode scalars, as an editor shows characters, whatever the engine
/// that reported it counted (cmark counts UTF-8 bytes, libyaml characters: the adapters convert once).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}
