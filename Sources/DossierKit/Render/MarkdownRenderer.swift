import CCmark
import CDossierSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a `[[slug]]` resolves when the body is rendered.
public enum WikiLinkResolution: Sendable {
    /// A link to `url`, with `title` as the default text.
    case link(url: String, title: String)
    /// A known slug that is not published (a draft): its title as plain text.
    case plainText(title: String)
    /// Nothing has this slug.
    case unknown

    /// What `[[slug]]` resolves to among the briefing's `targets` (by slug) and the slugs of
    /// its case files that could not be read.
    static func of(_ slug: String, targets: [String: LinkTarget], unreadable: Set<String>, urls: SiteURLs) -> WikiLinkResolution {
        guard let target = targets[slug] else { return unreadable.contains(slug) ? .plainText(title: slug) : .unknown }
        return target.isPublished ? .link(url: urls.url(of: target), title: target.title) : .plainText(title: target.title)
    }
}

/// A body rendered once: the HTML for its page and the plain text for the search index.
///
/// A body from the Markdown cache stays bytes in the mapped cache file until its text is asked
/// for: a rebuild after one edit reads the fingerprints of 12,000 bodies at 10,000 actions, and
/// the texts of the few it renders again.
public struct RenderedMarkdown: Sendable, Hashable {
    private enum Storage: @unchecked Sendable {
        case texts(html: String, plainText: String)
        /// UTF-8 ranges of a mapped `BodyCache` file.
        case cached(MappedFile, html: Range<Int>, plainText: Range<Int>)
    }

    private let storage: Storage
    /// `ContentHash` of both, made once when the body is rendered and kept with it in the
    /// Markdown cache: every build's render keys use it (Render/DependencyKeys.swift).
    public let fingerprint: UInt64

    public init(html: String, plainText: String) {
        var hash = ContentHash(seed: 7)
        hash.add(html)
        hash.add(plainText)
        storage = .texts(html: html, plainText: plainText)
        fingerprint = hash.value
    }

    /// As the Markdown cache keeps it: ranges of `file` already checked to lie within it.
    init(cachedIn file: MappedFile, html: Range<Int>, plainText: Range<Int>, fingerprint: UInt64) {
        storage = .cached(file, html: html, plainText: plainText)
        self.fingerprint = fingerprint
    }

    public var html: String {
        switch storage {
        case .texts(let html, _): html
        case .cached(let file, let html, _): file.text(html)
        }
    }

    public var plainText: String {
        switch storage {
        case .texts(_, let plainText): plainText
        case .cached(let file, _, let plainText): file.text(plainText)
        }
    }

    /// Hands both texts' UTF-8 to `body`, without making strings of cached bytes.
    func withUTF8<Result>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case .texts(var html, var plainText):
            return try html.withUTF8 { html in try plainText.withUTF8 { try body(UnsafeRawBufferPointer(html), UnsafeRawBufferPointer($0)) } }
        case .cached(let file, let html, let plainText):
            return try withExtendedLifetime(file) {
                try body(UnsafeRawBufferPointer(rebasing: file.bytes[html]), UnsafeRawBufferPointer(rebasing: file.bytes[plainText]))
            }
        }
    }

    public static func == (lhs: RenderedMarkdown, rhs: RenderedMarkdown) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.html == rhs.html && lhs.plainText == rhs.plainText
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }
}

/// The one file that talks to libcmark. Parses a body into cmark's syntax tree, turns
/// `[[slug]]` text into link nodes (never a regex over HTML, and never inside code, which cmark
/// keeps in its own node types), gives headings stable ids, and renders HTML and plain text from
/// the same tree. Every cmark pointer lives and dies inside `render`.
public enum MarkdownRenderer {
    /// Ids the theme uses on every page, which a heading must not take.
    static let reservedIDs: Set<String> = ["main", "content", "top", "site-header", "site-footer", "search-input", "search-results", "search-status"]

    public static func render(
        _ body: Body,
        path: String,
        unsafeHTML: Bool,
        resolve: (String) -> WikiLinkResolution
    ) -> (RenderedMarkdown, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let options = CMARK_OPT_VALIDATE_UTF8 | (unsafeHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT)
        let markdown = body.markdown
        let document: OpaquePointer? = markdown.utf8CString.withUnsafeBufferPointer { buffer in
            cmark_parse_document(buffer.baseAddress, buffer.count - 1, options)
        }
        guard let document else {
            return (RenderedMarkdown(html: "", plainText: ""), [.error("the Markdown body could not be parsed", at: SourceLocation(path: path, line: body.firstLine))])
        }
        defer { cmark_node_free(document) }
        cmark_consolidate_text_nodes(document)

        var locator = WikiLinkLocator(body: body, path: path)
        var textNodes: [OpaquePointer] = []
        var headings: [OpaquePointer] = []
        var droppedImages: [OpaquePointer] = []
        var linkDepth = 0
        let iterator = cmark_iter_new(document)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch type {
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                linkDepth += event == CMARK_EVENT_ENTER ? 1 : -1
                // cmark's safe mode empties an unsafe image source, and `<img src="">` is invalid
                // HTML: such an image (or one with no source at all) shows its description instead.
                if type == CMARK_NODE_IMAGE, event == CMARK_EVENT_EXIT {
                    let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                    if url.isEmpty || (!unsafeHTML && isDangerous(url)) { droppedImages.append(node) }
                }
            case CMARK_NODE_TEXT:
                // Link text cannot hold another link, so `[[x]]` inside one stays as written.
                if linkDepth == 0, let literal = cmark_node_get_literal(node), strstr(literal, "[[") != nil {
                    textNodes.append(node)
                }
            case CMARK_NODE_HEADING where event == CMARK_EVENT_EXIT:
                headings.append(node)
            default:
                break
            }
        }
        cmark_iter_free(iterator)

        for node in textNodes {
            let literal = String(cString: cmark_node_get_literal(node))
            let segments = WikiLinkSyntax.segments(of: literal)
            guard segments.contains(where: { if case .link = $0 { true } else { false } }) else { continue }
            let blockLine = enclosingBlockLine(of: node)
            for segment in segments {
                switch segment {
                case .text(let text):
                    insert(textNode(text), before: node)
                case .link(let slug, let text, let raw):
                    // Only a link that fails is located: searching the body for every link was a
                    // tenth of rendering a briefing full of them. The locator finds each raw
                    // text after the last one it found, and links with the same text resolve
                    // alike, so skipping those that resolve never moves a message.
                    switch resolve(slug) {
                    case .link(let url, let title):
                        let link = cmark_node_new(CMARK_NODE_LINK)!
                        cmark_node_set_url(link, url)
                        cmark_node_append_child(link, textNode(text ?? title))
                        insert(link, before: node)
                    case .plainText(let title):
                        insert(textNode(text ?? title), before: node)
                    case .unknown:
                        diagnostics.append(.error("unknown link target '\(slug)' in [[...]]", at: locator.locate(raw, fromBodyLine: blockLine)))
                        insert(textNode(raw), before: node)
                    }
                }
            }
            cmark_node_free(node)
        }

        for image in droppedImages {
            insert(textNode(plainText(of: image)), before: image)
            cmark_node_free(image)
        }

        var usedIDs = reservedIDs
        for heading in headings {
            let text = plainText(of: heading)
            var id = Slug.make(from: text)
            if id.isEmpty { id = "section" }
            if usedIDs.contains(id) {
                var number = 1
                while usedIDs.contains("\(id)-\(number)") { number += 1 }
                id = "\(id)-\(number)"
            }
            usedIDs.insert(id)
            replaceHeading(heading, id: id)
        }

        let html = cmark_render_html(document, options).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? ""
        return (RenderedMarkdown(html: html, plainText: plainText(of: document)), diagnostics)
    }

    /// The URLs cmark's safe mode refuses (its `_scan_dangerous_url`): script and file schemes,
    /// and data URLs other than common images.
    static func isDangerous(_ url: String) -> Bool {
        let lowered = url.lowercased()
        for scheme in ["javascript:", "vbscript:", "file:"] where lowered.hasPrefix(scheme) { return true }
        if lowered.hasPrefix("data:") {
            return !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { lowered.hasPrefix($0) }
        }
        return false
    }

    private static func textNode(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(node, text)
        return node
    }

    private static func insert(_ node: OpaquePointer, before sibling: OpaquePointer) {
        cmark_node_insert_before(sibling, node)
    }

    /// The start line (in the body) of the block holding an inline node.
    private static func enclosingBlockLine(of node: OpaquePointer) -> Int {
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 { return line }
            current = cmark_node_parent(candidate)
        }
        return 1
    }

    /// A heading becomes a custom block around a custom inline that writes `<hN id="...">`,
    /// keeping its inline children, because cmark's HTML renderer cannot add an attribute to a
    /// heading. (The block puts the line breaks around it; the inline keeps the tags tight.)
    private static func replaceHeading(_ heading: OpaquePointer, id: String) {
        let level = cmark_node_get_heading_level(heading)
        let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        let inline = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(block, "")
        cmark_node_set_on_exit(block, "")
        cmark_node_set_on_enter(inline, "<h\(level) id=\"\(id)\">")
        cmark_node_set_on_exit(inline, "</h\(level)>")
        while let child = cmark_node_first_child(heading) {
            cmark_node_unlink(child)
            cmark_node_append_child(inline, child)
        }
        cmark_node_append_child(block, inline)
        cmark_node_insert_before(heading, block)
        cmark_node_free(heading)
    }

    /// Text as a reader sees it: literals of text and code, a space between blocks and at line
    /// breaks; raw HTML left out.
    static func plainText(of root: OpaquePointer) -> String {
        // Gathered as bytes, as `collapseWhitespace` reads them: appending each literal to a
        // String, then collapsing, was 2 % of a full build.
        var text: [UInt8] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if let literal = cmark_node_get_literal(node) {
                    text.append(contentsOf: UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal)))
                }
                if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK { text.append(UInt8(ascii: " ")) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text.append(UInt8(ascii: " "))
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_CUSTOM_BLOCK, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_THEMATIC_BREAK:
                if event == CMARK_EVENT_EXIT || cmark_node_get_type(node) == CMARK_NODE_THEMATIC_BREAK { text.append(UInt8(ascii: " ")) }
            default:
                break
            }
        }
        return collapseWhitespace(text)
    }

    /// Runs of white space (Unicode's) as one space, none at either end. `utf8` is the text's
    /// UTF-8; a malformed sequence is kept as it is and repaired with the rest at the end. In C
    /// (CDossierSystem): over every body of the briefing, the Swift loop was 2 % of a full build.
    static func collapseWhitespace(_ utf8: [UInt8]) -> String {
        let output = [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
            count = utf8.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress, let outputBase = buffer.baseAddress else { return 0 }
                return Int(dossier_collapse_whitespace(base, UInt(bytes.count), outputBase))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Finds where a `[[...]]` written in the body stands in the file, for its diagnostic. cmark
/// keeps no column for text after the tree is rewritten, so the raw text is looked up in the
/// source from the line its block starts on, moving forward as links are met in document order.
struct WikiLinkLocator {
    let body: Body
    let path: String
    /// The body's lines, split on the first lookup.
    private var splitLines: [Substring]?
    private var cursor = (line: 0, utf8Offset: 0)

    init(body: Body, path: String) {
        self.body = body
        self.path = path
    }

    mutating func locate(_ raw: String, fromBodyLine blockLine: Int) -> SourceLocation {
        // Split as bytes: a body has no "\r", so each "\n" byte is a Character of its own.
        let lines = splitLines ?? body.markdown.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
        splitLines = lines
        var lineIndex = max(blockLine - 1, 0)
        var startOffset = 0
        if lineIndex < cursor.line { lineIndex = cursor.line; startOffset = cursor.utf8Offset }
        else if lineIndex == cursor.line { startOffset = cursor.utf8Offset }
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            let utf8 = line.utf8
            let from = utf8.index(utf8.startIndex, offsetBy: min(startOffset, utf8.count))
            if let range = line[from...].range(of: raw) {
                let column = line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1
                cursor = (lineIndex, utf8.distance(from: utf8.startIndex, to: range.upperBound))
                return SourceLocation(path: path, line: body.firstLine + lineIndex, column: column)
            }
            lineIndex += 1
            startOffset = 0
        }
        return SourceLocation(path: path, line: body.firstLine + max(blockLine - 1, 0), column: 1)
    }
}

/// The `[[slug]]` / `[[slug|text]]` syntax inside a run of text.
enum WikiLinkSyntax {
    enum Segment: Equatable {
        case text(String)
        /// `text` is nil for `[[slug]]`; `raw` is the link as written.
        case link(slug: String, text: String?, raw: String)
    }

    /// One forward pass: an opening `[[` is closed by the first `]]` unless a `[` or a line break
    /// comes first, in which case scanning resumes there, so no character is looked at twice
    /// (a line of 100,000 brackets must not take quadratic time).
    /// Scanned as UTF-8: the brackets and the line break are ASCII, which no byte of a longer
    /// character is, so every cut falls between characters.
    static func segments(of literal: String) -> [Segment] {
        var literal = literal
        return literal.withUTF8 { bytes in
            let open = UInt8(ascii: "["), close = UInt8(ascii: "]"), newline = UInt8(ascii: "\n")
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            var segments: [Segment] = []
            // The text not yet in a segment runs from `pending` to `index`.
            var pending = 0
            var index = 0
            while index < bytes.count {
                guard bytes[index] == open, index + 1 < bytes.count, bytes[index + 1] == open else {
                    index += 1
                    continue
                }
                // Find the close, giving up at a `[` (which may open the real link) or a newline.
                var end = index + 2
                var closed = false
                while end < bytes.count {
                    let byte = bytes[end]
                    if byte == open || byte == newline { break }
                    if byte == close, end + 1 < bytes.count, bytes[end + 1] == close { closed = true; break }
                    end += 1
                }
                guard closed, end > index + 2 else {
                    // Not a link: the text goes on up to where the scan stopped, and on from there.
                    index = max(end, index + 1)
                    continue
                }
                if pending < index { segments.append(.text(text(pending..<index))) }
                let inner = Substring(text((index + 2)..<end))
                let raw = text(index..<(end + 2))
                if let bar = inner.firstIndex(of: "|") {
                    let slug = inner[..<bar].trimmingSpaces
                    let linkText = inner[inner.index(after: bar)...].trimmingSpaces
                    segments.append(.link(slug: slug, text: linkText.isEmpty ? nil : linkText, raw: raw))
                } else {
                    segments.append(.link(slug: inner.trimmingSpaces, text: nil, raw: raw))
                }
                index = end + 2
                pending = index
            }
            if pending < bytes.count { segments.append(.text(text(pending..<bytes.count))) }
            return segments
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs, as Characters. Trimmed as bytes when the
    /// bytes next to what is cut are ASCII (then no cut space can be part of a longer Character,
    /// such as a space with a combining accent); otherwise Character by Character, which was a
    /// tenth of rendering a briefing full of `[[links]]` when done for every one.
    var trimmingSpaces: String {
        let bytes = utf8
        var start = bytes.startIndex, end = bytes.endIndex
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        let cutBefore = start > bytes.startIndex && start < end && bytes[start] >= 0x80
        let cutAfter = end < bytes.endIndex && end > start && bytes[bytes.index(before: end)] >= 0x80
        guard cutBefore || cutAfter else { return String(self[start..<end]) }
        return String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
