/// One value of a facet (the tag `xinjiang`, the country `China`) and what carries it.
public struct Facet: Sendable, Hashable {
    public var kind: FacetKind
    /// The value as written in the content (for types: the type's raw value).
    public var value: String
    /// What readers see: the value, or the type's label.
    public var label: String
    /// Unique within its kind; the page is at `/<kind folder>/<slug>/`.
    public var slug: String
    /// Indices in `graph.actors`, by slug.
    public var actors: [Int]
    /// Indices in `graph.actions`, newest first.
    public var actions: [Int]
}
