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
    /// The search cache's keys use it rather than hashing the text again.
    var bodyFingerprint: UInt64? { body?.fingerprint }

    /// Every published document in search order: actions newest first (so among equal matches
    /// the newer action wins by having the smaller number), then actors and pages by slug.
    /// Made on every core: at 10,000 actions this runs on every build, cache or not.
    static func all(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [SearchDocument] {
        let actions = Array(graph.actions.indices).parallelMap { index -> SearchDocument in
            let action = graph.actions[index]
            var actorNames: [String] = []
            var seen: Set<String> = []
            for role in Role.allCases {
                for reference in action.actors(in: role) where seen.insert(reference.slug).inserted {
                    if let actor = graph.actor(reference.slug) { actorNames.append(actor.name) }
                }
            }
            var short = [action.summary ?? "", action.type.label, action.status?.label ?? ""]
            short += action.tags + action.measures + action.legalBasis + actorNames
            return SearchDocument(
                id: action.slug, kind: .action, names: [action.title],
                typeIndex: SearchShards.types.firstIndex(of: "action:" + action.type.rawValue),
                date: action.date, summary: action.summary, shortFields: short, actorNames: actorNames,
                body: bodies[action.slug])
        }
        let actors = Array(graph.actors.indices).parallelMap { index -> SearchDocument in
            let actor = graph.actors[index]
            var short = [actor.summary ?? "", actor.type.label, actor.country ?? ""]
            short += actor.roles + actor.tags
            return SearchDocument(
                id: actor.slug, kind: .actor, names: [actor.name] + actor.aliases,
                typeIndex: SearchShards.types.firstIndex(of: "actor:" + actor.type.rawValue),
                date: nil, summary: actor.summary, shortFields: short, actorNames: [],
                body: bodies[actor.slug])
        }
        let pages = graph.pages.map { page in
            SearchDocument(
                id: page.slug, kind: .page, names: [page.title], typeIndex: nil, date: nil,
                summary: page.summary, shortFields: [page.summary ?? ""], actorNames: [],
                body: bodies[page.slug])
        }
        return actions + actors + pages
    }

    /// The best field of each folded word of this document, not yet stemmed: the index stems
    /// each distinct word of the briefing once. Stop words count only in names and titles.
    func wordFields() -> [(word: String, field: SearchField)] {
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
        for stopWord in SearchTokenizer.stopWords { table.remove(Array(stopWord.utf8), below: .name) }
        return table.entries
    }
}
