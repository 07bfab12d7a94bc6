import CLibYAML

/// Where a YAML value starts: 1-based line and column, the column counted in Unicode scalars
/// (libyaml counts characters), relative to the YAML text.
struct YAMLMark: Equatable {
    let line: Int
    let column: Int
}

extension YAMLMark {
    /// libyaml's mark, 0-based.
    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// A YAML value as libyaml read it, each with where it starts. Tags are not kept: the contract's
/// keys are read by what a value says (`YAMLMapping`), never by an explicit `!!type`.
enum YAMLNode {
    case scalar(Scalar)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(key: YAMLNode, value: YAMLNode)], YAMLMark)

    struct Scalar {
        let string: String
        let style: Style
        let mark: YAMLMark
    }

    /// How a scalar was written: only a plain one can mean null or a boolean.
    enum Style {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    var scalar: Scalar? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar
    }

    var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs
    }

    /// YAML 1.1's booleans, in any case: true, yes, on; false, no, off (as Yams read them).
    var bool: Bool? {
        switch scalar?.string.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}

/// libyaml's own account of why a text is not YAML.
enum YAMLError: Error {
    /// The text is not a character stream libyaml accepts (a control character, say).
    case reader(problem: String)
    /// A scanner, parser or composer problem at `mark`; `context` is the construct it was in,
    /// with where that began.
    case syntax(problem: String, mark: YAMLMark, context: (text: String, mark: YAMLMark)?)
    /// A collection at `mark` nested deeper than `YAMLNestingGuard.limit`.
    case tooDeep(YAMLMark)
    case memory
}

/// Reads one YAML document into `YAMLNode`s, straight from libyaml's events (Debian's
/// `libyaml-dev`, the C library under most YAML readers). Yams did the same with a class per
/// event and a tag object per value; 12,000 front matters spent more in those than in libyaml.
/// The composer recurses once per level of nesting, so it refuses a collection deeper than
/// `YAMLNestingGuard.limit`: that scan, run first, names most such places on its own, but a flow
/// collection left open across lines (`{{{` on line after line) gets past it.
enum YAMLComposer {
    /// The document's root, nil for a stream with no document (empty, or comments only).
    static func compose(_ yaml: String) throws(YAMLError) -> YAMLNode? {
        var yaml = yaml
        let result: Result<YAMLNode?, YAMLError> = yaml.withUTF8 { bytes in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            guard yaml_parser_initialize(parser) == 1 else {
                parser.deallocate()
                return .failure(.memory)
            }
            defer {
                yaml_parser_delete(parser)
                parser.deallocate()
            }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
            var reader = EventReader(parser: parser)
            defer { yaml_event_delete(&reader.event) }
            do throws(YAMLError) {
                return .success(try reader.singleDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The events of one parse, read one at a time into `event`.
private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    var event = yaml_event_t()
    var anchors: [String: YAMLNode] = [:]

    init(parser: UnsafeMutablePointer<yaml_parser_t>) {
        self.parser = parser
    }

    @discardableResult
    mutating func next() throws(YAMLError) -> yaml_event_type_t {
        // Deleting an event frees what it holds; a zeroed one (the first) holds nothing.
        yaml_event_delete(&event)
        guard yaml_parser_parse(parser, &event) == 1 else { throw error() }
        return event.type
    }

    /// Stream start, one document, stream end; a second document is an error, as it was for
    /// Yams' `compose` (whose message this keeps).
    mutating func singleDocument() throws(YAMLError) -> YAMLNode? {
        try next()  // stream start
        guard try next() != YAML_STREAM_END_EVENT else { return nil }
        try next()  // the root's first event
        let root = try node(depth: 0)
        try next()  // document end
        if try next() != YAML_STREAM_END_EVENT {
            throw .syntax(problem: "but found another document", mark: YAMLMark(event.start_mark),
                          context: ("expected a single document in the stream", YAMLMark(line: 1, column: 1)))
        }
        return root
    }

    /// The value whose first event is `event`, inside `depth` collections; on return `event` is
    /// its last.
    mutating func node(depth: Int) throws(YAMLError) -> YAMLNode {
        let mark = YAMLMark(event.start_mark)
        let isCollection = event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT
        if isCollection, depth >= YAMLNestingGuard.limit { throw .tooDeep(mark) }
        switch event.type {
        case YAML_ALIAS_EVENT:
            guard let anchor = Self.string(event.data.alias.anchor), let node = anchors[anchor] else {
                throw .syntax(problem: "found undefined alias", mark: mark, context: nil)
            }
            return node
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            // libyaml hands out UTF-8 only, checked as it read the input.
            let string = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode.scalar(.init(string: string, style: Self.style(scalar.style), mark: mark))
            if let anchor = Self.string(scalar.anchor) { anchors[anchor] = node }
            return node
        case YAML_SEQUENCE_START_EVENT:
            let anchor = Self.string(event.data.sequence_start.anchor)
            var elements: [YAMLNode] = []
            while try next() != YAML_SEQUENCE_END_EVENT {
                elements.append(try node(depth: depth + 1))
            }
            let node = YAMLNode.sequence(elements, mark)
            if let anchor { anchors[anchor] = node }
            return node
        case YAML_MAPPING_START_EVENT:
            let anchor = Self.string(event.data.mapping_start.anchor)
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            while try next() != YAML_MAPPING_END_EVENT {
                let key = try node(depth: depth + 1)
                try next()
                pairs.append((key, try node(depth: depth + 1)))
            }
            let node = YAMLNode.mapping(pairs, mark)
            if let anchor { anchors[anchor] = node }
            return node
        default:
            preconditionFailure("libyaml gave event \(event.type.rawValue) where a value starts")
        }
    }

    private func error() -> YAMLError {
        let parser = parser.pointee
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return .memory
        case YAML_READER_ERROR:
            return .reader(problem: problem)
        default:
            let context = parser.context.map { (String(cString: $0), YAMLMark(parser.context_mark)) }
            return .syntax(problem: problem, mark: YAMLMark(parser.problem_mark), context: context)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
