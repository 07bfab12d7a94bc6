/// The four ways a briefing can be browsed besides actors and actions: each has an index page
/// (`/tags/`) and a page per value (`/tags/<slug>/`).
public enum FacetKind: String, CaseIterable, Sendable {
    case tag, type, country, legalBasis = "legal-basis"

    /// The first path segment of its pages; also reserved against page slugs.
    public var folder: String {
        switch self {
        case .tag: "tags"
        case .type: "types"
        case .country: "countries"
        case .legalBasis: "legal-basis"
        }
    }

    /// `Tag`, as in "Tag: xinjiang".
    public var label: String {
        switch self {
        case .tag: "Tag"
        case .type: "Action type"
        case .country: "Country"
        case .legalBasis: "Legal basis"
        }
    }

    /// The index page's title.
    public var pluralLabel: String {
        switch self {
        case .tag: "Tags"
        case .type: "Action types"
        case .country: "Countries"
        case .legalBasis: "Legal bases"
        }
    }
}
