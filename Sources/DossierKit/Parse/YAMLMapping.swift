/// A YAML mapping from front matter or `site.yml`, read key by key into typed values. Every
/// problem becomes a diagnostic at the key or value at fault, in file coordinates; a value that
/// cannot be read is returned as `nil` so the parser goes on and reports the next problem too.
struct YAMLMapping {
    let path: String
    /// Added to libyaml's 1-based line to get the file line.
    let lineOffset: Int
    let node: YAMLNode
    private(set) var diagnostics: [Diagnostic] = []
    /// Each key's node and its value's, in one table: two tables made every key hashed and
    /// stored twice, for every case file of every full build.
    private var entries: [String: (key: YAMLNode, value: YAMLNode)] = [:]

    /// Parses `yaml` as one document whose root must be a mapping.
    static func parse(_ yaml: String, path: String, firstLine: Int, what: String) -> Result<YAMLMapping, Diagnostic> {
        let lineOffset = firstLine - 1
        if let excess = YAMLNestingGuard.firstExcess(in: yaml) {
            return .failure(.error("YAML nested deeper than \(YAMLNestingGuard.limit) levels", at: SourceLocation(path: path, line: excess.line + lineOffset, column: excess.column)))
        }
        let node: YAMLNode?
        do {
            node = try YAMLComposer.compose(yaml)
        } catch {
            let lineCount = yaml.utf8.count { $0 == UInt8(ascii: "\n") } + 1
            return .failure(Self.diagnostic(for: error, path: path, lineOffset: lineOffset, lineCount: lineCount))
        }
        guard let node else {
            return .success(YAMLMapping(path: path, lineOffset: lineOffset, node: .mapping([], YAMLMark(line: 1, column: 1))))
        }
        guard node.mapping != nil else {
            let mark = node.mark
            return .failure(.error("\(what) must be a mapping of keys to values", at: SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)))
        }
        return .success(YAMLMapping(path: path, lineOffset: lineOffset, node: node))
    }

    private static func diagnostic(for error: YAMLError, path: String, lineOffset: Int, lineCount: Int) -> Diagnostic {
        switch error {
        case let .syntax(problem, mark, context):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            // An error found only at the end of the YAML ("did not find ']'") is best shown
            // where the unfinished construct began, which libyaml gives as the context.
            let mark = mark.line > lineCount ? (context?.mark ?? mark) : mark
            return .error("invalid YAML: \(detail)", at: SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column))
        case .tooDeep(let mark):
            return .error("YAML nested deeper than \(YAMLNestingGuard.limit) levels", at: SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column))
        case let .reader(problem):
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: lineOffset + 1))
        case .memory:
            return .error("invalid YAML: out of memory", at: SourceLocation(path: path, line: lineOffset + 1))
        }
    }

    init(path: String, lineOffset: Int, node: YAMLNode) {
        self.path = path
        self.lineOffset = lineOffset
        self.node = node
        for (key, value) in node.mapping ?? [] {
            guard let name = key.scalar?.string else {
                diagnostics.append(.error("a key must be plain text", at: location(of: key)))
                continue
            }
            if entries[name] != nil {
                diagnostics.append(.error("duplicate key '\(name)'", at: location(of: key)))
                continue
            }
            entries[name] = (key, value)
        }
    }

    func location(of node: YAMLNode) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    /// Where a missing key would go: the start of the mapping.
    var start: SourceLocation { location(of: node) }

    /// Reports every key not in `allowed`, with the closest allowed key as a suggestion.
    mutating func rejectUnknownKeys(allowed: [String], hint: String = "custom values go under 'extra:'") {
        // Sorted only when there is something to report: nearly every file has no unknown key.
        guard entries.keys.contains(where: { !allowed.contains($0) }) else { return }
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) where !allowed.contains(name) {
            let suggestion = Suggestion.closest(to: name, in: allowed)
            let tail = suggestion.map { " (did you mean '\($0)'?)" } ?? " (\(hint))"
            diagnostics.append(.error("unknown key '\(name)'\(tail)", at: location(of: entry.key)))
        }
    }

    func has(_ key: String) -> Bool { (entries[key]?.value).map { !Self.isNull($0) } ?? false }

    func valueNode(_ key: String) -> YAMLNode? { entries[key]?.value }

    static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: Typed values

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = entries[key]?.value, !Self.isNull(node) else {
            if required { missing(key) }
            return nil
        }
        guard let scalar = node.scalar else {
            diagnostics.append(.error("'\(key)' must be a string", at: location(of: node)))
            return nil
        }
        if required, scalar.string.allSatisfy(\.isWhitespace) {
            diagnostics.append(.error("'\(key)' must not be empty", at: location(of: node)))
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let node = entries[key]?.value, !Self.isNull(node) else { return nil }
        guard let scalar = node.scalar, scalar.style == .plain, let value = node.bool else {
            diagnostics.append(.error("'\(key)' must be true or false", at: location(of: node)))
            return nil
        }
        return value
    }

    mutating func date(_ key: String, required: Bool = false) -> DayDate? {
        guard let node = entries[key]?.value, !Self.isNull(node) else {
            if required { missing(key) }
            return nil
        }
        return date(in: node, key: key)
    }

    mutating func date(in node: YAMLNode, key: String) -> DayDate? {
        guard let text = node.scalar?.string, let date = DayDate(text) else {
            let shown = node.scalar?.string ?? "a \(Self.kindName(node))"
            diagnostics.append(.error("invalid date '\(shown)' in '\(key)': expected YYYY-MM-DD", at: location(of: node)))
            return nil
        }
        return date
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type, what: String, required: Bool = false) -> T? where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map(\.rawValue)
        diagnostics.append(.error(
            "invalid \(what) '\(text)': expected one of \(allowed.joined(separator: ", "))\(Suggestion.didYouMean(text, in: allowed))",
            at: location(of: entries[key]!.value)
        ))
        return nil
    }

    /// A list of strings; a lone scalar counts as a list of one.
    mutating func stringList(_ key: String) -> [String] {
        listNodes(key).compactMap { node in
            guard let scalar = node.scalar, !Self.isNull(node) else {
                diagnostics.append(.error("'\(key)' must be a list of strings", at: location(of: node)))
                return nil
            }
            return scalar.string
        }
    }

    /// A list of slugs, each with its position for later reference checks.
    mutating func references(_ key: String) -> [Reference] {
        listNodes(key).compactMap { node in
            guard let scalar = node.scalar, !Self.isNull(node) else {
                diagnostics.append(.error("'\(key)' must be a list of slugs", at: location(of: node)))
                return nil
            }
            return Reference(scalar.string, at: location(of: node))
        }
    }

    /// The elements of a list value, or the value itself when it is a lone scalar.
    mutating func listNodes(_ key: String) -> [YAMLNode] {
        guard let node = entries[key]?.value, !Self.isNull(node) else { return [] }
        switch node {
        case .sequence(let elements, _): return elements
        case .scalar: return [node]
        case .mapping:
            diagnostics.append(.error("'\(key)' must be a list, not a mapping", at: location(of: node)))
            return []
        }
    }

    /// How many values an `extra:` mapping may hold. YAML aliases can make a few lines stand for
    /// billions of values ("billion laughs"); counting while converting stops that early.
    static let extraValueLimit = 10_000

    mutating func extra(_ key: String = "extra") -> ExtraValue? {
        guard let node = entries[key]?.value, !Self.isNull(node) else { return nil }
        guard node.mapping != nil else {
            diagnostics.append(.error("'\(key)' must be a mapping", at: location(of: node)))
            return nil
        }
        var budget = Self.extraValueLimit
        guard let value = Self.extraValue(node, budget: &budget) else {
            diagnostics.append(.error("'\(key)' holds more than \(Self.extraValueLimit) values: do YAML aliases (*name) expand it?", at: location(of: node)))
            return nil
        }
        return value
    }

    /// The value of `node`, or nil once more than `budget` values have been converted.
    static func extraValue(_ node: YAMLNode, budget: inout Int) -> ExtraValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return .null }
            if scalar.style == .plain, let bool = node.bool { return .bool(bool) }
            return .string(scalar.string)
        case .sequence(let elements, _):
            var values: [ExtraValue] = []
            for element in elements {
                guard let value = extraValue(element, budget: &budget) else { return nil }
                values.append(value)
            }
            return .list(values)
        case .mapping(let mapping, _):
            var pairs: [(key: String, value: ExtraValue)] = []
            for (key, value) in mapping {
                guard let converted = extraValue(value, budget: &budget) else { return nil }
                pairs.append((key.scalar?.string ?? "", converted))
            }
            return .mapping(pairs)
        }
    }

    mutating func missing(_ key: String) {
        diagnostics.append(.error("missing required key '\(key)'", at: start))
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    static func kindName(_ node: YAMLNode) -> String {
        switch node {
        case .scalar: "string"
        case .sequence: "list"
        case .mapping: "mapping"
        }
    }
}
