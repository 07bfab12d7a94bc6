/// A case file cut into its YAML front matter and its Markdown body.
struct FrontMatter {
    var yaml: String
    /// The file line of the YAML's first line (2: right after the opening `---`).
    var yamlFirstLine: Int
    var body: Body

    /// Splits decoded text at the `---` fences. A file must open with `---` and close it.
    static func split(_ text: String, path: String) -> Result<FrontMatter, Diagnostic> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard let first = lines.first, isFence(first) else {
            return .failure(.error("missing front matter: a case file starts with a line '---', then YAML, then a line '---'", at: SourceLocation(path: path)))
        }
        lines = lines.dropFirst()
        guard let closing = lines.firstIndex(where: isFence) else {
            return .failure(.error("the front matter is never closed: add a line '---' after the YAML", at: SourceLocation(path: path)))
        }
        let yaml = lines[lines.startIndex..<closing].joined(separator: "\n")
        let bodyLines = lines[(closing + 1)...]
        // split's indices count lines from 0, so the line after the fence is `closing + 2`.
        return .success(FrontMatter(
            yaml: yaml,
            yamlFirstLine: 2,
            body: Body(markdown: bodyLines.joined(separator: "\n"), firstLine: closing + 2)
        ))
    }

    private static func isFence(_ line: Substring) -> Bool {
        line.hasPrefix("---") && line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }
}
