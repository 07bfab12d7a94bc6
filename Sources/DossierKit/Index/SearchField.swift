/// Where in a document a term occurs, best last: a posting keeps the best field of its term in
/// its document, and `search.js` ranks a document by the weakest field among the query's words.
public enum SearchField: UInt8, Sendable, Comparable {
    /// The body text.
    case body = 1
    /// The summary and the short fields: tags, measures, legal basis, country, roles, type,
    /// status, and for an action the names of the actors it links.
    case summary = 2
    /// A word of the name, an alias or the title, not the first.
    case name = 3
    /// The first word of the name, an alias or the title: the title starts with it.
    case nameStart = 4

    public static func < (lhs: SearchField, rhs: SearchField) -> Bool { lhs.rawValue < rhs.rawValue }
}
