import Foundation
import Mustache

/// A value a template can show: built by the page models, never a Mustache type outside this file.
public enum TemplateValue: Sendable {
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

    /// Adds the whole value to `hash`, objects in key order: two contexts with the same
    /// fingerprint render the same bytes through the same templates (`SiteRenderer`'s render keys).
    func fingerprint(into hash: inout ContentHash) {
        switch self {
        case .text(let text): hash.add(1); hash.add(text)
        case .html(let html): hash.add(2); hash.add(html)
        case .bool(let value): hash.add(value ? 3 : 4)
        case .number(let number): hash.add(5); hash.add(UInt64(bitPattern: Int64(number)))
        case .list(let values):
            hash.add(6); hash.add(UInt64(values.count))
            for value in values { value.fingerprint(into: &hash) }
        case .object(let object):
            // Each entry hashed on its own and the results summed: the same for any order of
            // the dictionary, without sorting its keys on every object of every page.
            var sum: UInt64 = 0
            for (key, value) in object {
                var entry = ContentHash()
                entry.add(key)
                value.fingerprint(into: &entry)
                sum &+= entry.value
            }
            hash.add(7); hash.add(UInt64(object.count)); hash.add(sum)
        case .absent: hash.add(8)
        }
    }
}

/// The one file that knows Mustache. Compiles the theme's templates once, checks what Mustache
/// would silently ignore (unknown partials, partials that include themselves, variables no page
/// provides), and renders pages.
public struct TemplateRenderer: Sendable {
    /// Templates every theme must have: a layout and one per page kind.
    public static let requiredTemplates = ["layout", "home", "actor", "actors", "action", "actions", "page", "search", "404", "facets", "facet", "changes"]

    private let library: MustacheLibrary
    private let sources: [String: (path: String, text: String)]
    /// The same templates for `FastTemplates`, or nil when one uses a feature it does not handle
    /// (then swift-mustache renders every page, slower but the same bytes).
    private let fast: FastTemplates?

    /// Every template's text and the tool that renders them (`InputStamp.tool`): part of each
    /// page's render key, so a changed template or a new dossier renders every page again.
    public var fingerprint: UInt64 {
        var hash = ContentHash()
        hash.add(InputStamp.tool())
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            hash.add(name)
            hash.add(source.text)
        }
        return hash.value
    }

    public static func compile(_ theme: Theme) -> (TemplateRenderer?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var sources: [String: (path: String, text: String)] = [:]
        var parsed: [String: MustacheTemplate] = [:]
        let templates = theme.templates
        for (name, file) in templates.sorted(by: { $0.key < $1.key }) {
            guard let text = String(data: file.bytes, encoding: .utf8) else {
                diagnostics.append(.error("the template is not valid UTF-8", at: SourceLocation(path: file.path)))
                continue
            }
            sources[name] = (file.path, text)
            do {
                let template = try MustacheTemplate(string: text)
                library.register(template, named: name)
                parsed[name] = template
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
            diagnostics.append(missingTemplate(name))
        }
        diagnostics += checkPartials(sources)
        let renderer = TemplateRenderer(library: library, sources: sources, fast: FastTemplates(parsed))
        return (diagnostics.contains { $0.severity == .error } ? nil : renderer, diagnostics)
    }

    /// Renders template `name` with `context`. A variable that no level of the context has is a
    /// mistake in the theme (Mustache would print nothing), so it is reported at its line.
    public func render(_ name: String, context: [String: TemplateValue]) -> Result<String, Diagnostic> {
        renderBytes(name, context: context).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `render`, as UTF-8 bytes ready to write.
    public func renderBytes(_ name: String, context: [String: TemplateValue]) -> Result<[UInt8], Diagnostic> {
        if let fast {
            guard let nodes = fast.templates[name] else {
                return .failure(Self.missingTemplate(name))
            }
            var renderer = FastRender(templates: fast.templates, root: context)
            renderer.render(nodes, indentation: nil, sequence: nil)
            if let name = renderer.missing {
                return .failure(unknownVariable(name))
            }
            return .success(renderer.output)
        }
        return renderWithLibrary(name, context: context).map { Array($0.utf8) }
    }

    /// Whether pages render through `FastTemplates` (for tests: the built-in theme must).
    var usesFastPath: Bool { fast != nil }

    func renderWithLibrary(_ name: String, context: [String: TemplateValue]) -> Result<String, Diagnostic> {
        guard let template = library.getTemplate(named: name) else {
            return .failure(Self.missingTemplate(name))
        }
        let missing = MissingNames()
        let root = TemplateObject(values: context, missing: missing)
        let output = template.render(root, library: library)
        if let name = missing.first {
            return .failure(unknownVariable(name))
        }
        return .success(output)
    }

    static func missingTemplate(_ name: String) -> Diagnostic {
        .error("the theme has no '\(name).mustache' template", at: SourceLocation(path: "Templates/\(name).mustache"))
    }

    /// Mustache prints nothing for a name no level of the context has; for a theme that is a typo.
    private func unknownVariable(_ name: String) -> Diagnostic {
        .error("unknown variable '\(name)': no page gives templates this value (see TEMPLATES.md)", at: location(ofVariable: name))
    }

    /// Where a variable is used, for its diagnostic: the first template that mentions it.
    private func location(ofVariable variable: String) -> SourceLocation {
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
            // The character first: a substring's `hasPrefix` at every character of every template
            // was most of compiling the theme, on every build.
            if text[index] == "{", text[index...].hasPrefix("{{") {
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

// MARK: - The fast path

// swift-mustache renders through `Any`: every name lookup is a chain of dynamic casts, every
// `{{x}}` escapes Character by Character through a dictionary, and every template level returns a
// new String. On a 10,000-action briefing that was most of the build. `FastTemplates` renders the
// same token trees straight from `TemplateValue`s into one byte buffer. It does not parse: the
// tokens are swift-mustache's own (read with `Mirror`, since the library keeps them internal), so
// standalone lines, partial indentation and names are split exactly as the library splits them,
// and the render rules below follow its `Template+Render.swift` (2.1.1) step by step. A template
// with anything else (inheritance, dynamic partials, a content-type pragma), or a token shape
// this code does not recognize (a new library version), turns the fast path off for the theme.

/// A template as `FastRender` runs it.
private indirect enum FastNode: Sendable {
    case text([UInt8])
    case variable(FastName, escaped: Bool)
    case section(FastName, [FastNode], inverted: Bool)
    /// `indentation` is nil for a partial that is not alone on its line.
    case partial(String, indentation: [UInt8]?)
}

/// A tag's name, resolved the way swift-mustache's `getChild` resolves it.
private struct FastName: Sendable {
    enum Kind: Sendable {
        /// `.`: the top of the stack.
        case dot
        /// An empty name with transforms, as in `{{#first()}}`: the sequence context.
        case sequence
        /// `.a.b`: only the top of the stack.
        case top([String])
        /// `a.b`: the first level of the stack that has `a`, then `b` inside it.
        case stack([String])
    }
    let kind: Kind
    /// Applied last first, as written outside-in: `equalzero(minusone(count))`.
    let transforms: [String]

    init(_ name: String, transforms: [String]) {
        if name == "." {
            kind = .dot
        } else if name.isEmpty, !transforms.isEmpty {
            kind = .sequence
        } else if name.first == "." {
            kind = .top(name.split(separator: ".").map(String.init))
        } else {
            kind = .stack(name.split(separator: ".").map(String.init))
        }
        self.transforms = transforms.reversed()
    }
}

private struct FastTemplates: Sendable {
    let templates: [String: [FastNode]]

    init?(_ parsed: [String: MustacheTemplate]) {
        var templates: [String: [FastNode]] = [:]
        for (name, template) in parsed {
            guard let nodes = Self.nodes(of: template) else { return nil }
            templates[name] = nodes
        }
        self.templates = templates
    }

    private static func nodes(of template: MustacheTemplate) -> [FastNode]? {
        guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { return nil }
        var nodes: [FastNode] = []
        for token in tokens {
            let mirror = Mirror(reflecting: token)
            guard mirror.displayStyle == .enum, let payload = mirror.children.first, let label = payload.label else { return nil }
            let fields = Mirror(reflecting: payload.value).children.map(\.value)
            switch label {
            case "text":
                guard let text = payload.value as? String else { return nil }
                nodes.append(.text(Array(text.utf8)))
            case "variable", "unescapedVariable":
                guard fields.count == 2, let name = fields[0] as? String, let transforms = fields[1] as? [String] else { return nil }
                nodes.append(.variable(FastName(name, transforms: transforms), escaped: label == "variable"))
            case "section", "invertedSection":
                guard fields.count == 3, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                      let inner = fields[2] as? MustacheTemplate, let innerNodes = Self.nodes(of: inner) else { return nil }
                nodes.append(.section(FastName(name, transforms: transforms), innerNodes, inverted: label == "invertedSection"))
            case "partial":
                guard fields.count == 3, let name = fields[0] as? String, case .some(let indentation) = fields[1] as? String?,
                      Mirror(reflecting: fields[2]).displayStyle == .optional, Mirror(reflecting: fields[2]).children.isEmpty
                else { return nil }
                nodes.append(.partial(name, indentation: indentation.map { Array($0.utf8) }))
            default:
                return nil
            }
        }
        return nodes
    }
}

/// `{{#list}}`'s position, for the `first()`, `last()`, `index()`, `even()` and `odd()` transforms.
private struct SequencePosition {
    var first: Bool
    var last: Bool
    var index: Int
}

/// One render: the context stack, the output and the first name no level had.
private struct FastRender {
    /// A level of the context stack. Only the root records names it lacks (see `TemplateObject`).
    struct Level {
        var value: TemplateValue
        var isRoot: Bool
    }

    let templates: [String: [FastNode]]
    var stack: [Level]
    var output: [UInt8] = []
    private(set) var missing: String?

    init(templates: [String: [FastNode]], root: [String: TemplateValue]) {
        self.templates = templates
        self.stack = [Level(value: .object(root), isRoot: true)]
        output.reserveCapacity(16 * 1024)
    }

    /// swift-mustache's `render(context:)`: with an indentation, a token's output is indented
    /// when this template's own output so far ends a line.
    mutating func render(_ nodes: [FastNode], indentation: [UInt8]?, sequence: SequencePosition?) {
        guard let indentation, !indentation.isEmpty else {
            for node in nodes { render(node, indentation: indentation, sequence: sequence) }
            return
        }
        let start = output.count
        for node in nodes {
            let atLineStart = endsLine(since: start)
            let tokenStart = output.count
            render(node, indentation: indentation, sequence: sequence)
            if atLineStart, output.count > tokenStart { output.insert(contentsOf: indentation, at: tokenStart) }
        }
    }

    /// `string.last == "\n"` on the output since `start`: "\r\n" is one Character, not "\n".
    private func endsLine(since start: Int) -> Bool {
        let count = output.count - start
        guard count > 0, output[output.count - 1] == UInt8(ascii: "\n") else { return false }
        return !(count > 1 && output[output.count - 2] == UInt8(ascii: "\r"))
    }

    private mutating func render(_ node: FastNode, indentation: [UInt8]?, sequence: SequencePosition?) {
        switch node {
        case .text(let bytes):
            output.append(contentsOf: bytes)
        case .variable(let name, let escaped):
            guard let value = resolve(name, sequence: sequence) else { return }
            append(value, escaped: escaped)
        case .section(let name, let nodes, inverted: false):
            switch resolve(name, sequence: sequence) {
            case .list(let items):
                for (index, item) in items.enumerated() {
                    stack.append(Level(value: item, isRoot: false))
                    render(nodes, indentation: indentation, sequence: SequencePosition(first: index == 0, last: index == items.count - 1, index: index))
                    stack.removeLast()
                }
            case .bool(let bool):
                if bool { render(nodes, indentation: indentation, sequence: sequence) }
            case .absent, nil:
                break
            case .some(let value):
                // `{{#.}}` on the root pushes the root object itself, which still records misses.
                stack.append(Level(value: value, isRoot: name.isDot && name.transforms.isEmpty && stack[stack.count - 1].isRoot))
                render(nodes, indentation: indentation, sequence: nil)
                stack.removeLast()
            }
        case .section(let name, let nodes, inverted: true):
            switch resolve(name, sequence: sequence) {
            case .list(let items):
                guard items.isEmpty else { return }
                stack.append(Level(value: .list(items), isRoot: false))
                render(nodes, indentation: indentation, sequence: nil)
                stack.removeLast()
            case .bool(let bool):
                if !bool { render(nodes, indentation: indentation, sequence: sequence) }
            case .absent, nil:
                render(nodes, indentation: indentation, sequence: sequence)
            case .some:
                break
            }
        case .partial(let name, let partialIndentation):
            guard let nodes = templates[name] else { return }
            let combined = partialIndentation.map { (indentation ?? []) + $0 } ?? indentation
            render(nodes, indentation: combined, sequence: nil)
        }
    }

    /// swift-mustache's `getChild`, on `TemplateValue`s. A value the library would see as a
    /// String, Int, Bool, array or `AbsentValue` has no named children there either.
    private mutating func resolve(_ name: FastName, sequence: SequencePosition?) -> TemplateValue? {
        var value: TemplateValue?
        switch name.kind {
        case .dot:
            value = stack[stack.count - 1].value
        case .sequence:
            guard let sequence else { return nil }
            guard name.transforms.count >= 1 else { return nil }
            value = Self.transform(sequence, name.transforms[0])
            for transform in name.transforms.dropFirst() {
                guard let current = value else { return nil }
                value = Self.transform(current, transform)
            }
            return value
        case .top(let names):
            value = lookup(names[...], in: stack[stack.count - 1])
        case .stack(let names):
            guard let first = names.first else {
                value = stack[stack.count - 1].value
                break
            }
            for level in stack.reversed() {
                if let child = child(first, of: level) {
                    value = lookup(names.dropFirst(), in: Level(value: child, isRoot: false))
                    break
                }
            }
        }
        for transform in name.transforms {
            guard let current = value else { return nil }
            value = Self.transform(current, transform)
        }
        return value
    }

    private mutating func lookup(_ names: ArraySlice<String>, in level: Level) -> TemplateValue? {
        var current = level
        for name in names {
            guard let child = child(name, of: current) else { return nil }
            current = Level(value: child, isRoot: false)
        }
        return current.value
    }

    private mutating func child(_ name: String, of level: Level) -> TemplateValue? {
        guard case .object(let values) = level.value else { return nil }
        guard let value = values[name] else {
            if level.isRoot, missing == nil { missing = name }
            return nil
        }
        return value
    }

    /// The library's transforms for the types `mustacheValue` gives it: String (text and html),
    /// Int, `[Any]`; Bool, objects and absent values have none. (`reversed` on a list gives a
    /// reversed list here and a `ReversedCollection` there: the same in sections; only a
    /// `{{reversed(list)}}` printed as text, a Swift debug description, would differ.)
    private static func transform(_ value: TemplateValue, _ name: String) -> TemplateValue? {
        switch value {
        case .text(let text), .html(let text):
            switch name {
            case "empty": return .bool(text.isEmpty)
            case "capitalized": return .text(text.capitalized)
            case "lowercased": return .text(text.lowercased())
            case "uppercased": return .text(text.uppercased())
            case "reversed": return .text(String(text.reversed()))
            default: return nil
            }
        case .number(let number):
            switch name {
            case "equalzero": return .bool(number == 0)
            case "plusone": return .number(number + 1)
            case "minusone": return .number(number - 1)
            case "even": return .bool(number & 1 == 0)
            case "odd": return .bool(number & 1 == 1)
            default: return nil
            }
        case .list(let items):
            switch name {
            case "first": return items.first
            case "last": return items.last
            case "reversed": return .list(items.reversed())
            case "count": return .number(items.count)
            case "empty": return .bool(items.isEmpty)
            default: return nil
            }
        case .bool, .object, .absent:
            return nil
        }
    }

    private static func transform(_ sequence: SequencePosition, _ name: String) -> TemplateValue? {
        switch name {
        case "first": .bool(sequence.first)
        case "last": .bool(sequence.last)
        case "index": .number(sequence.index)
        case "even": .bool(sequence.index & 1 == 0)
        case "odd": .bool(sequence.index & 1 == 1)
        default: nil
        }
    }

    /// What `{{x}}` and `{{{x}}}` print for a value, as the library prints its `mustacheValue`.
    private mutating func append(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .text(let text), .html(let text):
            escaped ? HTMLEscape.append(text, to: &output) : output.append(contentsOf: text.utf8)
        case .number(let number):
            output.append(contentsOf: String(number).utf8)
        case .bool(let bool):
            output.append(contentsOf: (bool ? "true" : "false").utf8)
        case .absent:
            break
        case .list, .object:
            let text = String(describing: value.mustacheValue)
            escaped ? HTMLEscape.append(text, to: &output) : output.append(contentsOf: text.utf8)
        }
    }
}

extension FastName {
    var isDot: Bool { if case .dot = kind { true } else { false } }
}

/// swift-mustache's `htmlEscape` (`& < > " '` as `&amp; &lt; &gt; &quot; &#39;`, compared as
/// Characters) on bytes. A special ASCII byte between two ASCII bytes is a Character of its own,
/// so it is replaced directly; next to a non-ASCII byte it might start or end a longer Character
/// (`<` + a combining accent is not `<`), so such a string takes the library's Character path.
enum HTMLEscape {
    static func append(_ text: String, to output: inout [UInt8]) {
        let start = output.count
        let done: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            for index in bytes.indices {
                let replacement: StaticString
                switch bytes[index] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                default: continue
                }
                if (index > 0 && bytes[index - 1] >= 0x80) || (index + 1 < bytes.count && bytes[index + 1] >= 0x80) { return false }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return true
        }
        if done == true { return }
        // A bridged string, or a special character next to non-ASCII text: Character by Character.
        output.removeSubrange(start...)
        appendByCharacter(text, to: &output)
    }

    private static func appendByCharacter(_ text: String, to output: inout [UInt8]) {
        for character in text {
            switch character {
            case "&": output.append(contentsOf: "&amp;".utf8)
            case "<": output.append(contentsOf: "&lt;".utf8)
            case ">": output.append(contentsOf: "&gt;".utf8)
            case "\"": output.append(contentsOf: "&quot;".utf8)
            case "'": output.append(contentsOf: "&#39;".utf8)
            default: output.append(contentsOf: character.utf8)
            }
        }
    }
}
