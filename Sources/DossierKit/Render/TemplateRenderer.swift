import CDossierSystem
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
    case object([TemplateKey: TemplateValue])
    /// An object many pages show alike (an action in the lists of every actor, tag and type it
    /// has): the same to a template as `object`, and each partial rendered on it is rendered
    /// once and its bytes reused (`SharedTemplateObject`).
    case shared(SharedTemplateObject)
    /// A documented variable with no value on this page: renders as nothing, is false in sections.
    case absent

    /// An optional value from content: nothing, or only white space, counts as absent, so a
    /// template's `{{#summary}}` section stays out rather than wrapping an empty string.
    public static func optionalText(_ text: String?) -> TemplateValue {
        guard let text, !isBlank(text) else { return .absent }
        return .text(text)
    }

    /// `text.allSatisfy(\.isWhitespace)`, answered from the first byte when that is ASCII and not
    /// white space, as in nearly every value: a `Character` is white space when its first
    /// scalar is, and cutting the first `Character` out cost more than the rest of the check.
    static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first, first < 0x80, first != 0x20, !(0x09...0x0D).contains(first) { return false }
        return text.allSatisfy(\.isWhitespace)
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
        case .shared(let shared):
            TemplateValue.object(shared.values).fingerprint(into: &hash)
        case .object(let object):
            // Each entry hashed on its own and the results summed: the same for any order of
            // the dictionary, without sorting its keys on every object of every page.
            var sum: UInt64 = 0
            for (key, value) in object {
                var entry = ContentHash()
                entry.add(key.name)
                value.fingerprint(into: &entry)
                sum &+= entry.value
            }
            hash.add(7); hash.add(UInt64(object.count)); hash.add(sum)
        case .absent: hash.add(8)
        }
    }
}

/// An object of template values shared by many pages, with what partials rendered on it made:
/// a partial whose every name was found in this object, or above it on the stack (in the values
/// of its own sections), renders the same bytes on every page, whatever the page around it
/// (`FastRender`). At 10,000 actions the action lists were 111,000 items, 127 MB of the 290 MB of
/// HTML, made from 10,000 actions.
public final class SharedTemplateObject: @unchecked Sendable {
    public let values: [TemplateKey: TemplateValue]

    /// A partial rendered on the object: the template's ops and the indentation it had, in the
    /// theme's compiled program (which outlives the objects made for the build rendering with it).
    struct Rendering: Hashable {
        let program: ObjectIdentifier
        let ops: Int32
        let indentation: [UInt8]
    }

    /// nil: the partial read a name below the object (from the page), so it is rendered each time.
    private var renderings: [Rendering: [UInt8]?] = [:]
    private let lock = NSLock()

    public init(_ values: [TemplateKey: TemplateValue]) {
        self.values = values
    }

    /// `.some(nil)` when the rendering depends on the page; nil when not rendered yet.
    func rendering(_ key: Rendering) -> [UInt8]?? {
        lock.withLock { renderings[key] }
    }

    func keep(_ bytes: [UInt8]?, for key: Rendering) {
        lock.withLock { renderings[key] = .some(bytes) }
    }

    /// How many renderings are kept for reuse (for tests).
    var keptRenderingCount: Int {
        lock.withLock { renderings.values.count { $0 != nil } }
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

    /// With `pages`, only the templates those pages render: each of them, the layout, and the
    /// partials they reach. A body patch renders the change log's pages alone, and compiling
    /// all of the theme was a twentieth of its CPU time.
    public static func compile(_ theme: Theme, pages: Set<String>? = nil) -> (TemplateRenderer?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var sources: [String: (path: String, text: String)] = [:]
        var parsed: [String: MustacheTemplate] = [:]
        var templates = theme.templates
        if let pages {
            var reached: Set<String> = []
            var pending = Array(pages) + ["layout"]
            while let name = pending.popLast() {
                guard reached.insert(name).inserted, let file = templates[name], let text = String(data: file.bytes, encoding: .utf8) else { continue }
                pending += tagPositions(in: text).filter { $0.sigil == ">" }.map(\.name)
            }
            templates = templates.filter { reached.contains($0.key) }
        }
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
        for name in pages.map({ $0.sorted() + ["layout"] }) ?? requiredTemplates where templates[name] == nil {
            diagnostics.append(missingTemplate(name))
        }
        diagnostics += checkPartials(sources)
        let renderer = TemplateRenderer(library: library, sources: sources, fast: FastTemplates(parsed))
        return (diagnostics.contains { $0.severity == .error } ? nil : renderer, diagnostics)
    }

    /// Renders template `name` with `context`. A variable that no level of the context has is a
    /// mistake in the theme (Mustache would print nothing), so it is reported at its line.
    public func render(_ name: String, context: [TemplateKey: TemplateValue]) -> Result<String, Diagnostic> {
        renderBytes(name, context: context).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `render`, as UTF-8 bytes ready to write.
    public func renderBytes(_ name: String, context: [TemplateKey: TemplateValue]) -> Result<[UInt8], Diagnostic> {
        if let fast {
            guard let (output, missing) = fast.render(name, root: context) else {
                return .failure(Self.missingTemplate(name))
            }
            if let missing {
                return .failure(unknownVariable(missing))
            }
            return .success(output)
        }
        return renderWithLibrary(name, context: context).map { Array($0.utf8) }
    }

    /// A page: the template of its kind gives the main content, which `layout` wraps as its
    /// `content`.
    public func renderPage(_ template: String, context: [TemplateKey: TemplateValue]) -> Result<[UInt8], Diagnostic> {
        if let fast, context["content"] == nil, let (output, missing) = fast.renderPage(template, layout: "layout", root: context), missing == nil {
            return .success(output)
        }
        return renderBytes(template, context: context).flatMap { content in
            var context = context
            context["content"] = .html(String(decoding: content, as: UTF8.self))
            return renderBytes("layout", context: context)
        }
    }

    /// Whether pages render through `FastTemplates` (for tests: the built-in theme must).
    var usesFastPath: Bool { fast != nil }

    func renderWithLibrary(_ name: String, context: [TemplateKey: TemplateValue]) -> Result<String, Diagnostic> {
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
    let values: [TemplateKey: TemplateValue]
    let missing: MissingNames?

    func child(named name: String) -> Any? {
        guard let value = values[TemplateKey(name)] else {
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
    /// What swift-mustache is given for the value.
    var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .html(let html): html
        case .bool(let bool): bool
        case .number(let number): number
        case .list(let values): values.map(\.mustacheValue)
        case .object(let values): TemplateObject(values: values, missing: nil)
        case .shared(let shared): TemplateObject(values: shared.values, missing: nil)
        case .absent: AbsentValue()
        }
    }
}

/// swift-mustache's `htmlEscape` (`& < > " '` as `&amp; &lt; &gt; &quot; &#39;`, compared as
/// Characters) on bytes. A special ASCII byte between two ASCII bytes is a Character of its own,
/// so it is replaced directly; next to a non-ASCII byte it might start or end a longer Character
/// (`<` + a combining accent is not `<`), so such a string takes the library's Character path.
enum HTMLEscape {
    static func append(_ text: String, to output: inout [UInt8]) {
        let start = output.count
        let done: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return true }
            var runStart = 0
            while runStart < bytes.count {
                // The next special byte, found sixteen bytes at a time: most text has none.
                let index = runStart + Int(dossier_html_special_offset(base + runStart, UInt(bytes.count - runStart)))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                guard index < bytes.count else { break }
                if (index > 0 && bytes[index - 1] >= 0x80) || (index + 1 < bytes.count && bytes[index + 1] >= 0x80) { return false }
                let replacement: StaticString = switch bytes[index] {
                case UInt8(ascii: "&"): "&amp;"
                case UInt8(ascii: "<"): "&lt;"
                case UInt8(ascii: ">"): "&gt;"
                case UInt8(ascii: "\""): "&quot;"
                default: "&#39;"
                }
                output.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                runStart = index + 1
            }
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
