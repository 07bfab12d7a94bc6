/// A free value from an `extra:` mapping, handed to templates as it was written.
public indirect enum ExtraValue: Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case list([ExtraValue])
    case mapping([(key: String, value: ExtraValue)])
    case null

    public static func == (lhs: ExtraValue, rhs: ExtraValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case let (.list(a), .list(b)): a == b
        case let (.mapping(a), .mapping(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        case (.null, .null): true
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let value): hasher.combine(value)
        case .bool(let value): hasher.combine(value)
        case .list(let values): hasher.combine(values)
        case .mapping(let pairs):
            for pair in pairs { hasher.combine(pair.key); hasher.combine(pair.value) }
        case .null: hasher.combine(0)
        }
    }
}
