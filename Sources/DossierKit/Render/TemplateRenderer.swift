import Foundation
import Mustache

/// A value a template can show: built by the page models, never a Mustache type outside this file.
public indirect enum TemplateValue: Sendable {
    /// Text from content or config: escaped by `{{name}}`.
    case text(String)
    /// Markup the tool made itself (rendered Markdown): shown with `{{{name}}}`.
    case html(String)
    case bool(Bool)
    case number(Int)
    case list([TemplateValue])
    case object([String: TemplateValue])
    /// A documented variable with no value on this page: renders as nothing, is false in sections.
    case absent

    /// An optional value from content: nothing, or only white space, counts as absent, so a
    /// template's `{{#summary}}` section stays out rather than wrapping an empty string.
    public static func optionalText(_ text: String?) -> TemplateValue {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return .absent }
        return .text(text)
    }
}

/// The one file that knows Mustache. Compiles the theme's templates once, checks what Mustache
/// would silently ignore (unknown partials, partials that include themselves, variables no page
/// provides), and renders pages.
public struct TemplateRenderer: Sendable {
    /// Templates every theme must have: a layout and one per page kind.
    public static let requiredTemplates = ["layout", "home", "actor", "actors", "action", "actions", "page", "search", "404"]

    private let library: MustacheLibrary
    private let sources: [String: (path: String, text: String)]

    public static func compile(_ theme: Theme) -> (TemplateRenderer?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var sources: [String: (path: String, text: String)] = [:]
        let templates = theme.templates
        for (name, file) in templates.sorted(by: { $0.key < $1.key }) {
            guard let text = String(data: file.bytes, encoding: .utf8) else {
                diagnostics.append(.error("the template is not valid UTF-8", at: SourceLocation(path: file.path)))
                continue
            }
            sources[name] = (file.path, text)
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                var location = SourceLocation(path: file.path, line: error.context.lineNumber, column: error.context.columnNumber)
                if case .expectedSectionEnd = error.error as? MustacheTemplate.Error, let open = unclosedSection(in: text) {
                    // Mustache notices at the end of the file; the author needs the opening tag.
                    location = SourceLocation(path: file.path, line: open.line, column: open.column)
                }
                diagnostics.append(.error("template syntax: \(describe(error.error))", at: location))
            } catch {
                diagnostics.append(.error("template syntax: \(error)", at: SourceLocation(path: file.path)))
            }
        }
        for name in requiredTemplates where templates[name] == nil {
            diagnostics.append(.error("the theme has no '\(name).mustache' template", at: SourceLocation(path: "Templates/\(name).mustache")))
        }
        diagnostics += checkPartials(sources)
        let renderer = TemplateRenderer(library: library, sources: sources)
        return (diagnostics.contains { $0.severity == .error } ? nil : renderer, diagnostics)
    }

    /// Renders template `name` with `context`. A variable that no level of the context has is a
    /// mistake in the theme (Mustache would print nothing), so it is reported at its line.
    public func render(_ name: String, context: [String: TemplateValue]) -> Result<String, Diagnostic> {
        guard let template = library.getTemplate(named: name) else {
            return .failure(.error("the theme has no '\(name).mustache' template", at: SourceLocation(path: "Templates/\(name).mustache")))
        }
        let missing = MissingNames()
        let root = TemplateObject(values: context, missing: missing)
        let output = template.render(root, library: library)
        if let name = missing.first {
            return .failure(.error("unknown variable '\(name)': no page gives templates this value (see TEMPLATES.md)", at: location(ofVariable: name, preferring: name)))
        }
        return .success(output)
    }

    /// Where a variable is used, for its diagnostic: the first template that mentions it.
    private func location(ofVariable variable: String, preferring template: String) -> SourceLocation {
        for (_, source) in sources.sorted(by: { $0.key < $1.key }) {
            if let position = Self.tagPositions(in: source.text).first(where: { $0.name.split(separator: ".").first.map(String.init) == variable }) {
                return SourceLocation(path: source.path, line: position.line, column: position.column)
            }
        }
        return SourceLocation(path: "Templates")
    }

    private static func describe(_ error: Swift.Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with the wrong name"
        case .unfinishedName: "a tag is not closed with '}}'"
        case .expectedSectionEnd: "a section is never closed"
        case .invalidSetDelimiter: "invalid set-delimiter tag"
        default: "\(error)"
        }
    }

    /// Every `{{...}}` tag with its sigil, name and 1-based position (default delimiters only).
    static func tagPositions(in text: String) -> [(sigil: Character?, name: String, line: Int, column: Int)] {
        var tags: [(Character?, String, Int, Int)] = []
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("{{") {
                var inner = text.index(index, offsetBy: 2)
                let end = text[inner...].range(of: "}}")?.lowerBound ?? text.endIndex
                var sigil: Character?
                if inner < end, "#^/>&{!<$=".contains(text[inner]) { sigil = text[inner]; inner = text.index(after: inner) }
                let name = text[inner..<end].trimmingCharacters(in: CharacterSet(charactersIn: " \t}"))
                tags.append((sigil, name, line, column))
            }
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        return tags
    }

    /// The innermost section opened and never closed.
    static func unclosedSection(in text: String) -> (line: Int, column: Int)? {
        var open: [(name: String, line: Int, column: Int)] = []
        for tag in tagPositions(in: text) {
            if tag.sigil == "#" || tag.sigil == "^" {
                open.append((tag.name, tag.line, tag.column))
            } else if tag.sigil == "/", let index = open.lastIndex(where: { $0.name == tag.name }) {
                open.removeSubrange(index...)
            }
        }
        return open.last.map { ($0.line, $0.column) }
    }

    /// Unknown partials and partials that include themselves, directly or through others.
    static func checkPartials(_ sources: [String: (path: String, text: String)]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var edges: [String: [(String, Int, Int)]] = [:]
        for (name, source) in sources {
            for tag in tagPositions(in: source.text) where tag.sigil == ">" {
                if sources[tag.name] == nil {
                    diagnostics.append(.error("unknown partial '\(tag.name)'\(Suggestion.didYouMean(tag.name, in: sources.keys))", at: SourceLocation(path: source.path, line: tag.line, column: tag.column)))
                } else {
                    edges[name, default: []].append((tag.name, tag.line, tag.column))
                }
            }
        }
        // A cycle would recurse without end at render time; report the tag that closes it.
        for start in edges.keys.sorted() {
            var stack: [(String, [String])] = [(start, [start])]
            var visited = Set<String>()
            while let (current, path) = stack.popLast() {
                for (next, line, column) in edges[current] ?? [] {
                    if next == start {
                        // Each cycle once: from its first template by name.
                        guard path.allSatisfy({ $0 >= start }) else { continue }
                        let source = sources[current]!
                        diagnostics.append(.error("partial recursion: \((path + [next]).joined(separator: " -> "))", at: SourceLocation(path: source.path, line: line, column: column)))
                        continue
                    }
                    if visited.insert(next).inserted { stack.append((next, path + [next])) }
                }
            }
        }
        return diagnostics
    }
}

/// Names looked up through the whole context stack without a value, in the order met.
private final class MissingNames {
    private(set) var first: String?
    func record(_ name: String) { if first == nil { first = name } }
}

/// A level of the template context. The root level records names it does not have: Mustache asks
/// the root last, so a miss there means no level had the name.
private struct TemplateObject: MustacheParent {
    let values: [String: TemplateValue]
    let missing: MissingNames?

    func child(named name: String) -> Any? {
        guard let value = values[name] else {
            missing?.record(name)
            return nil
        }
        return value.mustacheValue
    }
}

/// Shown as nothing and false in sections, but present, so it is not "unknown".
private struct AbsentValue: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

extension TemplateValue {
    fileprivate var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .html(let html): html
        case .bool(let bool): bool
        case .number(let number): number
        case .list(let values): values.map(\.mustacheValue)
        case .object(let values): TemplateObject(values: values, missing: nil)
        case .absent: AbsentValue()
        }
    }
}
