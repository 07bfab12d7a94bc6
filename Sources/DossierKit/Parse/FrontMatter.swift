/// A case file cut into its YAML front matter and its Markdown body.
struct FrontMatter {
    var yaml: String
    /// The file line of the YAML's first line (2: right after the opening `---`).
    var yamlFirstLine: Int
    var body: Body

    /// Splits decoded text at the `---` fences. A file must open with `---` and close it.
    /// Works on UTF-8 bytes: decoded text has no "\r", so every "\n" byte is a line end (and a
    /// Character of its own), and a fence is "---" then only spaces and tabs, all ASCII.
    static func split(_ text: String, path: String) -> Result<FrontMatter, Diagnostic> {
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") }) {
            return .failure(.error("the file is empty: a case file starts with a line '---', then YAML, then a line '---'", at: SourceLocation(path: path)))
        }
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineIndex = 0
        var yamlStart = utf8.startIndex
        while true {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let fence = isFence(utf8[lineStart..<lineEnd])
            if lineIndex == 0, !fence {
                return .failure(.error("missing front matter: a case file starts with a line '---', then YAML, then a line '---'", at: SourceLocation(path: path)))
            }
            if lineIndex > 0, fence {
                let yaml = yamlStart < lineStart ? String(text[yamlStart..<utf8.index(before: lineStart)]) : ""
                let body = lineEnd < utf8.endIndex ? String(text[utf8.index(after: lineEnd)...]) : ""
                // Lines count from 0 here, so the line after the fence is `lineIndex + 2`.
                return .success(FrontMatter(yaml: yaml, yamlFirstLine: 2, body: Body(markdown: body, firstLine: lineIndex + 2)))
            }
            guard lineEnd < utf8.endIndex else { break }
            lineStart = utf8.index(after: lineEnd)
            lineIndex += 1
            if lineIndex == 1 { yamlStart = lineStart }
        }
        return .failure(.error("the front matter is never closed: add a line '---' after the YAML", at: SourceLocation(path: path)))
    }

    private static func isFence(_ line: Substring.UTF8View) -> Bool {
        line.count >= 3 && line.prefix(3).allSatisfy { $0 == UInt8(ascii: "-") }
            && line.dropFirst(3).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}
