import Mustache

// swift-mustache renders through `Any`: every name lookup is a chain of dynamic casts, every
// `{{x}}` escapes Character by Character through a dictionary, and every template level returns a
// new String. On a 10,000-action briefing that was most of the build. `FastTemplates` renders the
// same token trees straight from `TemplateValue`s into one byte buffer. It does not parse: the
// tokens are swift-mustache's own (read with `Mirror`, since the library keeps them internal), so
// standalone lines, partial indentation and names are split exactly as the library splits them,
// and the render rules below follow its `Template+Render.swift` (2.1.1) step by step. A template
// with anything else (inheritance, dynamic partials, a content-type pragma), or a token shape
// this code does not recognize (a new library version), turns the fast path off for the theme.
//
// The tokens are compiled into `FastProgram`: plain values in buffers that live as long as the
// theme. A tree of enums holding arrays and strings made every node visited a reference count
// on objects every core shares (the theme's), a third of the template time of a full build.

/// The theme's templates, compiled for `FastRender`.
struct FastTemplates: Sendable {
    private let program: FastProgram
    /// Where each template's top-level ops are.
    private let entries: [String: FastRange]

    init?(_ parsed: [String: MustacheTemplate]) {
        var trees: [String: [FastNode]] = [:]
        for (name, template) in parsed {
            guard let nodes = Self.nodes(of: template) else { return nil }
            trees[name] = nodes
        }
        var builder = FastProgram.Builder()
        var entries: [String: FastRange] = [:]
        // Sorted, so the same theme compiles to the same program.
        for name in trees.keys.sorted() { entries[name] = builder.add(trees[name]!) }
        builder.linkPartials(entries)
        program = FastProgram(builder)
        self.entries = entries
    }

    /// Template `name` with `root` as the context: its bytes and the first name no level of the
    /// context had; nil when there is no such template.
    func render(_ name: String, root: [TemplateKey: TemplateValue]) -> (output: [UInt8], missing: String?)? {
        guard let entry = entries[name] else { return nil }
        var renderer = FastRender(program: program, root: root)
        renderer.render(entry, indentation: nil, sequence: nil)
        return (renderer.output, renderer.missing)
    }

    /// Template `kind` inside `layout`, as `layout` rendered with `content` set to what `kind`
    /// renders: `kind` is rendered straight into the layout's output where the layout shows
    /// `{{{content}}}` on the root level, rather than made a String and copied in (nil when
    /// either template is missing). A missing name makes the caller render the two apart, so
    /// the first one reported is the one it would report.
    func renderPage(_ kind: String, layout: String, root: [TemplateKey: TemplateValue]) -> (output: [UInt8], missing: String?)? {
        guard let kindEntry = entries[kind], let layoutEntry = entries[layout] else { return nil }
        var renderer = FastRender(program: program, root: root)
        renderer.content = kindEntry
        renderer.render(layoutEntry, indentation: nil, sequence: nil)
        return (renderer.output, renderer.missing)
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

/// A template's tokens as read from swift-mustache, before they are compiled.
private indirect enum FastNode {
    case text([UInt8])
    case variable(FastName, escaped: Bool)
    case section(FastName, [FastNode], inverted: Bool)
    /// `indentation` is nil for a partial that is not alone on its line.
    case partial(String, indentation: [UInt8]?)
}

/// A tag's name, resolved the way swift-mustache's `getChild` resolves it.
private struct FastName {
    enum Kind: UInt8 {
        /// `.`: the top of the stack.
        case dot
        /// An empty name with transforms, as in `{{#first()}}`: the sequence context.
        case sequence
        /// `.a.b`: only the top of the stack.
        case top
        /// `a.b`: the first level of the stack that has `a`, then `b` inside it.
        case stack
    }
    let kind: Kind
    let keys: [String]
    /// Applied last first, as written outside-in: `equalzero(minusone(count))`.
    let transforms: [FastTransform]

    init(_ name: String, transforms: [String]) {
        if name == "." {
            kind = .dot
            keys = []
        } else if name.isEmpty, !transforms.isEmpty {
            kind = .sequence
            keys = []
        } else if name.first == "." {
            kind = .top
            keys = name.split(separator: ".").map(String.init)
        } else {
            kind = .stack
            keys = name.split(separator: ".").map(String.init)
        }
        self.transforms = transforms.reversed().map { FastTransform(rawValue: $0) ?? .unknown }
    }
}

/// The library's transforms by name; one it does not have gives no value, as there.
private enum FastTransform: String {
    case empty, capitalized, lowercased, uppercased, reversed
    case equalzero, plusone, minusone, even, odd
    case first, last, count, index
    case unknown = ""
}

/// A range of ops, or of bytes.
private struct FastRange {
    var start: Int32
    var count: Int32
    var range: Range<Int> { Int(start)..<Int(start) + Int(count) }
}

/// One node. Plain values only, so a buffer of them is read without reference counting.
private struct FastOp {
    enum Kind: UInt8 { case text, escaped, raw, section, inverted, partial }
    let kind: Kind
    /// A variable's or section's name (`FastProgram.names`).
    var name: Int32 = -1
    /// text: its bytes; section: its body's ops; partial: the template's ops (count -1: no such
    /// template, which renders nothing).
    var span = FastRange(start: 0, count: 0)
    /// partial: its indentation's bytes (count -1: not alone on its line).
    var indentation = FastRange(start: 0, count: -1)
}

/// A compiled name: where its keys and transforms are.
private struct FastNameCode {
    let kind: FastName.Kind
    let keys: FastRange
    let transforms: FastRange
    /// `content` alone: a page's main content in the layout (`FastTemplates.renderPage`).
    let isContent: Bool
}

/// Every template of a theme as ops, bytes, keys and names in buffers that live as long as it.
private final class FastProgram: @unchecked Sendable {
    struct Builder {
        var ops: [FastOp] = []
        var bytes: [UInt8] = []
        var keys: [TemplateKey] = []
        var names: [FastNameCode] = []
        var transforms: [FastTransform] = []
        /// Each partial's op and the template it names.
        var partials: [(op: Int, template: String)] = []

        /// Adds `nodes` and returns where they are: a section's body is placed after the nodes
        /// of its level, so each level's ops are contiguous.
        mutating func add(_ nodes: [FastNode]) -> FastRange {
            let start = ops.count
            for node in nodes {
                switch node {
                case .text(let text):
                    ops.append(FastOp(kind: .text, span: FastRange(start: Int32(bytes.count), count: Int32(text.count))))
                    bytes += text
                case .variable(let name, let escaped):
                    ops.append(FastOp(kind: escaped ? .escaped : .raw, name: add(name)))
                case .section(let name, _, let inverted):
                    ops.append(FastOp(kind: inverted ? .inverted : .section, name: add(name)))
                case .partial(let name, let indentation):
                    var op = FastOp(kind: .partial)
                    if let indentation {
                        op.indentation = FastRange(start: Int32(bytes.count), count: Int32(indentation.count))
                        bytes += indentation
                    }
                    partials.append((ops.count, name))
                    ops.append(op)
                }
            }
            for (offset, node) in nodes.enumerated() {
                guard case .section(_, let body, _) = node else { continue }
                let span = add(body)
                ops[start + offset].span = span
            }
            return FastRange(start: Int32(start), count: Int32(nodes.count))
        }

        private mutating func add(_ name: FastName) -> Int32 {
            let keyStart = keys.count, transformStart = transforms.count
            keys += name.keys.map { TemplateKey($0) }
            transforms += name.transforms
            names.append(FastNameCode(kind: name.kind, keys: FastRange(start: Int32(keyStart), count: Int32(name.keys.count)),
                                      transforms: FastRange(start: Int32(transformStart), count: Int32(name.transforms.count)),
                                      isContent: name.kind == .stack && name.keys == ["content"] && name.transforms.isEmpty))
            return Int32(names.count - 1)
        }

        /// Points each partial at its template's ops.
        mutating func linkPartials(_ entries: [String: FastRange]) {
            for (op, template) in partials { ops[op].span = entries[template] ?? FastRange(start: 0, count: -1) }
        }
    }

    let ops: UnsafeMutableBufferPointer<FastOp>
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let keys: UnsafeMutableBufferPointer<TemplateKey>
    let names: UnsafeMutableBufferPointer<FastNameCode>
    let transforms: UnsafeMutableBufferPointer<FastTransform>

    init(_ builder: Builder) {
        func buffer<Element>(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
            let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(elements.count, 1))
            _ = buffer.initialize(from: elements)
            return UnsafeMutableBufferPointer(rebasing: buffer[0..<elements.count])
        }
        ops = buffer(builder.ops)
        bytes = buffer(builder.bytes)
        keys = buffer(builder.keys)
        names = buffer(builder.names)
        transforms = buffer(builder.transforms)
    }

    deinit {
        keys.deinitialize()
        for base in [UnsafeMutableRawPointer(ops.baseAddress), UnsafeMutableRawPointer(bytes.baseAddress), UnsafeMutableRawPointer(keys.baseAddress),
                     UnsafeMutableRawPointer(names.baseAddress), UnsafeMutableRawPointer(transforms.baseAddress)] {
            base?.deallocate()
        }
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

    let program: FastProgram
    var stack: [Level]
    var output: [UInt8] = []
    private(set) var missing: String?
    /// The ops a root-level `{{{content}}}` renders in place (`FastTemplates.renderPage`).
    var content: FastRange?
    /// The lowest level of the stack a name was looked up in (or looked for in, not found) since
    /// it was last reset: a partial rendered on a `SharedTemplateObject` at level n that read
    /// nothing below n renders the same bytes on any page.
    private var lowestLevelRead = Int.max

    init(program: FastProgram, root: [TemplateKey: TemplateValue]) {
        self.program = program
        self.stack = [Level(value: .object(root), isRoot: true)]
        output.reserveCapacity(16 * 1024)
    }

    /// swift-mustache's `render(context:)`: with an indentation, a token's output is indented
    /// when this template's own output so far ends a line.
    mutating func render(_ ops: FastRange, indentation: [UInt8]?, sequence: SequencePosition?) {
        guard let indentation, !indentation.isEmpty else {
            for op in ops.range { render(op: op, indentation: indentation, sequence: sequence) }
            return
        }
        let start = output.count
        for op in ops.range {
            let atLineStart = endsLine(since: start)
            let tokenStart = output.count
            render(op: op, indentation: indentation, sequence: sequence)
            if atLineStart, output.count > tokenStart { output.insert(contentsOf: indentation, at: tokenStart) }
        }
    }

    /// `string.last == "\n"` on the output since `start`: "\r\n" is one Character, not "\n".
    private func endsLine(since start: Int) -> Bool {
        let count = output.count - start
        guard count > 0, output[output.count - 1] == UInt8(ascii: "\n") else { return false }
        return !(count > 1 && output[output.count - 2] == UInt8(ascii: "\r"))
    }

    private mutating func render(op number: Int, indentation: [UInt8]?, sequence: SequencePosition?) {
        let op = program.ops[number]
        switch op.kind {
        case .text:
            output.append(contentsOf: UnsafeBufferPointer(rebasing: program.bytes[op.span.range]))
        case .escaped, .raw:
            // The root is the only level, so `content` would be the root's: rendered in place,
            // unindented, once (a `content` inside it is the root's missing name, as it would be).
            if op.kind == .raw, let content, stack.count == 1, indentation?.isEmpty ?? true, program.names[Int(op.name)].isContent {
                self.content = nil
                render(content, indentation: nil, sequence: nil)
                return
            }
            guard let value = resolve(op.name, sequence: sequence) else { return }
            append(value, escaped: op.kind == .escaped)
        case .section:
            switch resolve(op.name, sequence: sequence) {
            case .list(let items):
                for index in items.indices {
                    stack.append(Level(value: items[index], isRoot: false))
                    render(op.span, indentation: indentation, sequence: SequencePosition(first: index == 0, last: index == items.count - 1, index: index))
                    stack.removeLast()
                }
            case .bool(let bool):
                if bool { render(op.span, indentation: indentation, sequence: sequence) }
            case .absent, nil:
                break
            case .some(let value):
                // `{{#.}}` on the root pushes the root object itself, which still records misses.
                let name = program.names[Int(op.name)]
                stack.append(Level(value: value, isRoot: name.kind == .dot && name.transforms.count == 0 && stack[stack.count - 1].isRoot))
                render(op.span, indentation: indentation, sequence: nil)
                stack.removeLast()
            }
        case .inverted:
            switch resolve(op.name, sequence: sequence) {
            case .list(let items):
                guard items.isEmpty else { return }
                stack.append(Level(value: .list(items), isRoot: false))
                render(op.span, indentation: indentation, sequence: nil)
                stack.removeLast()
            case .bool(let bool):
                if !bool { render(op.span, indentation: indentation, sequence: sequence) }
            case .absent, nil:
                render(op.span, indentation: indentation, sequence: sequence)
            case .some:
                break
            }
        case .partial:
            guard op.span.count >= 0 else { return }
            var combined = indentation
            if op.indentation.count >= 0 { combined = (indentation ?? []) + program.bytes[op.indentation.range] }
            if stack.count > 1, case .shared(let shared) = stack[stack.count - 1].value {
                renderPartial(op.span, on: shared, indentation: combined)
            } else {
                render(op.span, indentation: combined, sequence: nil)
            }
        }
    }

    /// A partial on a shared object at the top of the stack: its bytes from the object when an
    /// earlier page rendered them, else rendered, and kept there if nothing was read below it. A
    /// partial's output depends only on the stack, its indentation and `content` (the root's
    /// alone, never read here): not on the sequence position (nil in a partial) nor on what the
    /// output held before it (indentation is applied from the partial's own start).
    private mutating func renderPartial(_ ops: FastRange, on shared: SharedTemplateObject, indentation: [UInt8]?) {
        let level = stack.count - 1
        let key = SharedTemplateObject.Rendering(program: ObjectIdentifier(program), ops: ops.start, indentation: indentation ?? [])
        let kept = shared.rendering(key)
        if case .some(.some(let bytes)) = kept {
            output.append(contentsOf: bytes)
            lowestLevelRead = min(lowestLevelRead, level)
            return
        }
        let outer = lowestLevelRead
        lowestLevelRead = Int.max
        let start = output.count
        render(ops, indentation: indentation, sequence: nil)
        let lowest = lowestLevelRead
        lowestLevelRead = min(outer, lowest)
        if kept == nil { shared.keep(lowest >= level ? Array(output[start...]) : nil, for: key) }
    }

    /// swift-mustache's `getChild`, on `TemplateValue`s. A value the library would see as a
    /// String, Int, Bool, array or `AbsentValue` has no named children there either.
    private mutating func resolve(_ nameNumber: Int32, sequence: SequencePosition?) -> TemplateValue? {
        let name = program.names[Int(nameNumber)]
        let keys = name.keys.range, transforms = name.transforms.range
        var value: TemplateValue?
        switch name.kind {
        case .dot:
            value = stack[stack.count - 1].value
            lowestLevelRead = min(lowestLevelRead, stack.count - 1)
        case .sequence:
            guard let sequence, let first = transforms.first else { return nil }
            value = Self.transform(sequence, program.transforms[first])
            for transform in transforms.dropFirst() {
                guard let current = value else { return nil }
                value = Self.transform(current, program.transforms[transform])
            }
            return value
        case .top:
            value = lookup(keys, in: stack.count - 1)
            lowestLevelRead = min(lowestLevelRead, stack.count - 1)
        case .stack:
            guard let first = keys.first else {
                value = stack[stack.count - 1].value
                lowestLevelRead = min(lowestLevelRead, stack.count - 1)
                break
            }
            // Each level read in place: copying it out retained its dictionary, on every lookup.
            var found = 0
            for level in stack.indices.reversed() {
                if let child = child(first, of: stack[level].value, isRoot: stack[level].isRoot) {
                    value = keys.count == 1 ? child : lookup(keys.dropFirst(), in: child)
                    found = level
                    break
                }
            }
            lowestLevelRead = min(lowestLevelRead, found)
        }
        for transform in transforms {
            guard let current = value else { return nil }
            value = Self.transform(current, program.transforms[transform])
        }
        return value
    }

    private mutating func lookup(_ keys: Range<Int>, in level: Int) -> TemplateValue? {
        guard let first = keys.first else { return stack[level].value }
        guard let child = child(first, of: stack[level].value, isRoot: stack[level].isRoot) else { return nil }
        return keys.count == 1 ? child : lookup(keys.dropFirst(), in: child)
    }

    private mutating func lookup(_ keys: Range<Int>, in value: TemplateValue) -> TemplateValue? {
        var current = value
        for key in keys {
            guard let child = child(key, of: current, isRoot: false) else { return nil }
            current = child
        }
        return current
    }

    private mutating func child(_ key: Int, of value: TemplateValue, isRoot: Bool) -> TemplateValue? {
        let found: TemplateValue?
        switch value {
        case .object(let values): found = values[program.keys[key]]
        case .shared(let shared): found = shared.values[program.keys[key]]
        default: return nil
        }
        guard let found else {
            if isRoot, missing == nil { missing = program.keys[key].name }
            return nil
        }
        return found
    }

    /// The library's transforms for the types `mustacheValue` gives it: String (text and html),
    /// Int, `[Any]`; Bool, objects and absent values have none. (`reversed` on a list gives a
    /// reversed list here and a `ReversedCollection` there: the same in sections; only a
    /// `{{reversed(list)}}` printed as text, a Swift debug description, would differ.)
    private static func transform(_ value: TemplateValue, _ transform: FastTransform) -> TemplateValue? {
        switch value {
        case .text(let text), .html(let text):
            switch transform {
            case .empty: return .bool(text.isEmpty)
            case .capitalized: return .text(text.capitalized)
            case .lowercased: return .text(text.lowercased())
            case .uppercased: return .text(text.uppercased())
            case .reversed: return .text(String(text.reversed()))
            default: return nil
            }
        case .number(let number):
            switch transform {
            case .equalzero: return .bool(number == 0)
            case .plusone: return .number(number + 1)
            case .minusone: return .number(number - 1)
            case .even: return .bool(number & 1 == 0)
            case .odd: return .bool(number & 1 == 1)
            default: return nil
            }
        case .list(let items):
            switch transform {
            case .first: return items.first
            case .last: return items.last
            case .reversed: return .list(items.reversed())
            case .count: return .number(items.count)
            case .empty: return .bool(items.isEmpty)
            default: return nil
            }
        case .bool, .object, .shared, .absent:
            return nil
        }
    }

    private static func transform(_ sequence: SequencePosition, _ transform: FastTransform) -> TemplateValue? {
        switch transform {
        case .first: .bool(sequence.first)
        case .last: .bool(sequence.last)
        case .index: .number(sequence.index)
        case .even: .bool(sequence.index & 1 == 0)
        case .odd: .bool(sequence.index & 1 == 1)
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
        case .list, .object, .shared:
            let text = String(describing: value.mustacheValue)
            escaped ? HTMLEscape.append(text, to: &output) : output.append(contentsOf: text.utf8)
        }
    }
}
