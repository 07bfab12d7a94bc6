/// Every facet value of a briefing with a unique slug, worked out once from the graph.
///
/// Slugs come from `Slug.make(from:)`. Distinct values that make the same slug ("EU" and "eu")
/// get `-2`, `-3`... in the order of their text, so the same briefing always gives the same
/// addresses; a value with no letters or digits at all (only CJK, say) becomes `item`.
public struct Facets: Sendable {
    /// Per kind, ordered by slug (types in the order of `ActionType`).
    public let byKind: [FacetKind: [Facet]]
    private let slugs: [FacetKind: [String: String]]

    public init(graph: BriefingGraph) {
        // A list per kind, each index once per value. By index: `enumerated()` copies each case
        // file whole, on every build; and a case file's few values are checked against those
        // before them rather than put in a set, 24,000 sets a build at 10,000 actions.
        func add(_ values: [String], of index: Int, to lists: inout [String: [Int]]) {
            if values.count > 16 {
                for value in Set(values) { lists[value, default: []].append(index) }
                return
            }
            for place in values.indices where !values[..<place].contains(values[place]) { lists[values[place], default: []].append(index) }
        }
        var actorTags: [String: [Int]] = [:], countries: [String: [Int]] = [:]
        for index in graph.actors.indices {
            add(graph.actors[index].tags, of: index, to: &actorTags)
            if let country = graph.actors[index].country, !country.allSatisfy(\.isWhitespace) { countries[country, default: []].append(index) }
        }
        var actionTags: [String: [Int]] = [:], legalBases: [String: [Int]] = [:], types: [String: [Int]] = [:]
        for index in graph.actions.indices {
            add(graph.actions[index].tags, of: index, to: &actionTags)
            add(graph.actions[index].legalBasis, of: index, to: &legalBases)
            types[graph.actions[index].type.rawValue, default: []].append(index)
        }
        let actorValues: [FacetKind: [String: [Int]]] = [.tag: actorTags, .country: countries]
        let actionValues: [FacetKind: [String: [Int]]] = [.tag: actionTags, .legalBasis: legalBases, .type: types]
        var byKind: [FacetKind: [Facet]] = [:]
        var slugs: [FacetKind: [String: String]] = [:]
        for kind in FacetKind.allCases {
            let values = Set(actorValues[kind, default: [:]].keys).union(actionValues[kind, default: [:]].keys)
            let assigned = Self.assignSlugs(values, kind: kind)
            slugs[kind] = assigned
            byKind[kind] = values.map { value in
                Facet(kind: kind, value: value, label: kind == .type ? (ActionType(rawValue: value)?.label ?? value) : value,
                      slug: assigned[value]!, actors: actorValues[kind]?[value] ?? [], actions: actionValues[kind]?[value] ?? [])
            }.sorted { a, b in
                // Types keep the order of the contract's list, as everywhere else; others go by slug.
                if kind == .type, let x = ActionType.allCases.firstIndex(where: { $0.rawValue == a.value }),
                   let y = ActionType.allCases.firstIndex(where: { $0.rawValue == b.value }) { return x < y }
                return a.slug < b.slug
            }
        }
        self.byKind = byKind
        self.slugs = slugs
    }

    /// Slugs for distinct values, deterministic whatever order they came in.
    static func assignSlugs(_ values: Set<String>, kind: FacetKind) -> [String: String] {
        // Types are already slugs, and keep them so `/types/counter-sanction/` is predictable.
        let bases = values.map { value -> (String, String) in
            let base = kind == .type ? value : Slug.make(from: value)
            return (base.isEmpty ? "item" : base, value)
        }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var taken = Set<String>()
        var result: [String: String] = [:]
        for (base, value) in bases {
            var slug = base
            var number = 2
            while taken.contains(slug) {
                slug = "\(base)-\(number)"
                number += 1
            }
            taken.insert(slug)
            result[value] = slug
        }
        return result
    }

    public func facets(_ kind: FacetKind) -> [Facet] { byKind[kind] ?? [] }

    /// The slug of a value, or nil when no published case file carries it.
    public func slug(_ kind: FacetKind, _ value: String) -> String? { slugs[kind]?[value] }

    /// Every facet of every kind, kinds in their declared order.
    public var all: [Facet] { FacetKind.allCases.flatMap { facets($0) } }
}
