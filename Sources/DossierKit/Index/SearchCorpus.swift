/// What the search shards read of the briefing besides each document's terms and records (which
/// the `SearchCache` holds by `keys`), by document number in search order
/// (`SearchDocument.sources`). A build makes it from the graph; the patch state keeps it
/// (Build/PatchState.swift), so a rebuild that changed only bodies makes the shards with no graph.
public struct SearchCorpus: Sendable, Equatable {
    /// An actor's or page's names (`SearchDocument.names`), by document number.
    struct Named: Sendable, Equatable {
        var document: Int
        var names: [String]
    }

    /// Each document's slug: its rendered body is `bodies[slug]`.
    var slugs: [String]
    /// `SearchDocument.key` of each document.
    var keys: [UInt64]
    var typeIndices: [Int?]
    var dates: [DayDate?]
    /// The names of every actor and page, in document order; actions have none here.
    var named: [Named]
    var actionCount: Int
    var actorCount: Int
    var pageCount: Int

    var count: Int { keys.count }

    init(slugs: [String], keys: [UInt64], typeIndices: [Int?], dates: [DayDate?], named: [Named], actionCount: Int, actorCount: Int, pageCount: Int) {
        self.slugs = slugs
        self.keys = keys
        self.typeIndices = typeIndices
        self.dates = dates
        self.named = named
        self.actionCount = actionCount
        self.actorCount = actorCount
        self.pageCount = pageCount
    }

    init(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) {
        let sources = SearchDocument.sources(of: graph)
        slugs = sources.map { SearchDocument.slug(of: $0, graph: graph) }
        keys = sources.parallelMap { SearchDocument.key($0, graph: graph, bodies: bodies) }
        typeIndices = sources.map { SearchDocument.typeIndex($0, graph: graph) }
        dates = sources.map { source in
            if case .action(let index) = source { return graph.actions[index].date }
            return nil
        }
        named = sources.indices.compactMap { number in
            if case .action = sources[number] { return nil }
            return Named(document: number, names: SearchDocument.names(sources[number], graph: graph))
        }
        actionCount = graph.actions.count
        actorCount = graph.actors.count
        pageCount = graph.pages.count
    }
}
