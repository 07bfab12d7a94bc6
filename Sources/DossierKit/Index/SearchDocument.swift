/// One actor, action or page as the search shards see it: the texts of each field, and the few
/// values a result shows.
struct SearchDocument: Sendable {
    enum Kind: String, Sendable { case action, actor, page }

    var id: String
    var kind: Kind
    /// The title or name, then the aliases.
    var names: [String]
    /// Index into `SearchShards.types`, or nil for a page.
    var typeIndex: Int?
    var date: DayDate?
    var summary: String?
    /// Texts indexed as `SearchField.summary`.
    var shortFields: [String]
    /// For an action, the names of the actors it links, shown when they explain a match.
    var actorNames: [String]
    /// The rendered body, when there is one. Its text is read only for a document the search
    /// cache does not hold: from the Markdown cache, it stays bytes until then.
    var body: RenderedMarkdown?

    var text: String { body?.plainText ?? "" }

    /// Where a document comes from: an index into the graph's actions, actors or pages.
    enum Source: Sendable, Equatable {
        case action(Int), actor(Int), page(Int)
    }

    /// The document number of `source` among a graph's `actions` actions and `actors` actors:
    /// its place in `sources(of:)`.
    static func number(of source: Source, actions: Int, actors: Int) -> Int {
        switch source {
        case .action(let index): index
        case .actor(let index): actions + index
        case .page(let index): actions + actors + index
        }
    }

    /// Every published document in search order: actions newest first (so among equal matches
    /// the newer action wins by having the smaller number), then actors and pages by slug.
    static func sources(of graph: BriefingGraph) -> [Source] {
        graph.actions.indices.map(Source.action) + graph.actors.indices.map(Source.actor) + graph.pages.indices.map(Source.page)
    }

    /// Everything `make` reads for `source`: the linker's fingerprint of the case file, the
    /// body's fingerprint, and for an action the names of the actors it links. Worked out for
    /// every document on every build, so it never builds the document: a rebuild after one edit
    /// makes only the documents whose key changed.
    static func key(_ source: Source, graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> UInt64 {
        var hash = ContentHash(seed: 11)
        addCaseFile(source, graph: graph, bodies: bodies, to: &hash)
        if case .action(let index) = source { hash.add(actorNames(of: index, in: graph)) }
        return hash.value
    }

    /// The slug of the case file a document is made from.
    static func slug(of source: Source, graph: BriefingGraph) -> String {
        switch source {
        case .action(let index): graph.actions[index].slug
        case .actor(let index): graph.actors[index].slug
        case .page(let index): graph.pages[index].slug
        }
    }

    /// Adds what every search key of a case file starts from: its kind, the linker's fingerprint
    /// of it (which covers its slug) and its body's fingerprint.
    static func addCaseFile(_ source: Source, graph: BriefingGraph, bodies: [String: RenderedMarkdown], to hash: inout ContentHash) {
        let slug: String
        switch source {
        case .action(let index):
            slug = graph.actions[index].slug
            hash.add(1); hash.add(graph.actionFingerprints[index])
        case .actor(let index):
            slug = graph.actors[index].slug
            hash.add(2); hash.add(graph.actorFingerprints[index])
        case .page(let index):
            slug = graph.pages[index].slug
            hash.add(3); hash.add(graph.pageFingerprints[index])
        }
        if let body = bodies[slug] { hash.add(1); hash.add(body.fingerprint) } else { hash.add(0) }
    }

    /// The names of the published actors an action links, each once, by role.
    private static func actorNames(of action: Int, in graph: BriefingGraph) -> [String] {
        graph.linkedActors[action].map { graph.actors[$0].name }
    }

    /// Fields are read through the arrays: binding an action or an actor to a name copies all
    /// of it.
    static func make(_ source: Source, graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> SearchDocument {
        switch source {
        case .action(let index):
            let actorNames = actorNames(of: index, in: graph)
            let summary = graph.actions[index].summary, type = graph.actions[index].type
            var short = [summary ?? "", type.label, graph.actions[index].status?.label ?? ""]
            short += graph.actions[index].tags + graph.actions[index].measures + graph.actions[index].legalBasis + actorNames
            let slug = graph.actions[index].slug
            return SearchDocument(
                id: slug, kind: .action, names: names(source, graph: graph),
                typeIndex: typeIndex(source, graph: graph), date: graph.actions[index].date,
                summary: summary, shortFields: short, actorNames: actorNames, body: bodies[slug])
        case .actor(let index):
            let summary = graph.actors[index].summary
            var short = [summary ?? "", graph.actors[index].type.label, graph.actors[index].country ?? ""]
            short += graph.actors[index].roles + graph.actors[index].tags
            let slug = graph.actors[index].slug
            return SearchDocument(
                id: slug, kind: .actor, names: names(source, graph: graph), typeIndex: typeIndex(source, graph: graph),
                date: nil, summary: summary, shortFields: short, actorNames: [], body: bodies[slug])
        case .page(let index):
            let page = graph.pages[index]
            return SearchDocument(
                id: page.slug, kind: .page, names: names(source, graph: graph), typeIndex: nil, date: nil,
                summary: page.summary, shortFields: [page.summary ?? ""], actorNames: [], body: bodies[page.slug])
        }
    }

    /// `names` of the document, without making it.
    static func names(_ source: Source, graph: BriefingGraph) -> [String] {
        switch source {
        case .action(let index): [graph.actions[index].title]
        case .actor(let index): [graph.actors[index].name] + graph.actors[index].aliases
        case .page(let index): [graph.pages[index].title]
        }
    }

    /// `typeIndex` of the document, without making it.
    static func typeIndex(_ source: Source, graph: BriefingGraph) -> Int? {
        switch source {
        case .action(let index): SearchShards.types.firstIndex(of: "action:" + graph.actions[index].type.rawValue)
        case .actor(let index): SearchShards.types.firstIndex(of: "actor:" + graph.actors[index].type.rawValue)
        case .page: nil
        }
    }

    /// The best field of each folded word of this document, not yet stemmed: the index stems
    /// each distinct word of the briefing once. Stop words count only in names and titles.
    func wordTable() -> WordFieldTable {
        var tokenizer = SearchTokenizer()
        var table = WordFieldTable()
        for name in names {
            var first = true
            tokenizer.forEachWordBytes(in: name) { word, _ in
                table.add(word, first ? .nameStart : .name)
                first = false
            }
        }
        for text in shortFields {
            tokenizer.forEachWordBytes(in: text) { word, _ in table.add(word, .summary) }
        }
        tokenizer.forEachWordBytes(in: text) { word, _ in table.add(word, .body) }
        for stopWord in SearchTokenizer.stopWordBytes { stopWord.withUnsafeBufferPointer { table.remove($0, below: .name) } }
        return table
    }
}
