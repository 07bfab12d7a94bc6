/// `search-index.json`: one document per published actor, action and page, with the fields the
/// contract lists. It is both what the search page loads and a data export of the briefing.
public enum SearchIndex {
    public static func documents(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [JSONValue] {
        var documents: [JSONValue] = []
        forEachDocument(graph: graph, bodies: bodies) { documents.append($0) }
        return documents
    }

    /// A document of the file: an actor, action or page, by its index in the graph's list.
    typealias Member = SearchDocument.Source

    /// The documents in the file's order: actors, actions, pages.
    static func members(of graph: BriefingGraph) -> [Member] {
        graph.actors.indices.map(Member.actor) + graph.actions.indices.map(Member.action) + graph.pages.indices.map(Member.page)
    }

    /// The place of `member` in `members(of:)` of a graph with `actions` actions and `actors` actors.
    static func number(of member: Member, actions: Int, actors: Int) -> Int {
        switch member {
        case .actor(let index): index
        case .action(let index): actors + index
        case .page(let index): actors + actions + index
        }
    }

    /// Each document in order, made one at a time, so the file can be written without ever
    /// holding every document (at 50,000 actions the file alone is 190 MB).
    static func forEachDocument(graph: BriefingGraph, bodies: [String: RenderedMarkdown], _ body: (JSONValue) throws -> Void) rethrows {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        for member in members(of: graph) { try body(document(member, graph: graph, bodies: bodies, urls: urls)) }
    }

    static func document(_ member: Member, graph: BriefingGraph, bodies: [String: RenderedMarkdown], urls: SiteURLs) -> JSONValue {
        switch member {
        case .actor(let index):
            let actor = graph.actors[index]
            // In key order (`JSONValue.sorted`).
            return .sorted([
                JSONMember("aliases", .array(actor.aliases.map(JSONValue.string))), JSONMember("country", .optional(actor.country)),
                JSONMember("id", .string(actor.slug)), JSONMember("kind", .string("actor")), JSONMember("summary", .optional(actor.summary)),
                JSONMember("tags", .array(actor.tags.map(JSONValue.string))), JSONMember("text", .string(bodies[actor.slug]?.plainText ?? "")),
                JSONMember("title", .string(actor.name)), JSONMember("type", .string(actor.type.rawValue)), JSONMember("url", .string(urls.actor(actor.slug))),
            ])
        case .action(let index):
            let action = graph.actions[index]
            let actors = self.actors(of: index, in: graph)
            return .sorted([
                JSONMember("actors", .array(actors.map(JSONValue.string))), JSONMember("date", .string(action.date.description)),
                JSONMember("id", .string(action.slug)), JSONMember("kind", .string("action")),
                JSONMember("legal_basis", .array(action.legalBasis.map(JSONValue.string))), JSONMember("measures", .array(action.measures.map(JSONValue.string))),
                JSONMember("status", .optional(action.status?.rawValue)), JSONMember("summary", .optional(action.summary)),
                JSONMember("tags", .array(action.tags.map(JSONValue.string))), JSONMember("text", .string(bodies[action.slug]?.plainText ?? "")),
                JSONMember("title", .string(action.title)), JSONMember("type", .string(action.type.rawValue)), JSONMember("url", .string(urls.action(action.slug))),
            ])
        case .page(let index):
            let page = graph.pages[index]
            return .sorted([
                JSONMember("id", .string(page.slug)), JSONMember("kind", .string("page")), JSONMember("summary", .optional(page.summary)),
                JSONMember("text", .string(bodies[page.slug]?.plainText ?? "")), JSONMember("title", .string(page.title)), JSONMember("url", .string(urls.page(page.slug))),
            ])
        }
    }

    /// Every actor an action links by role, once each, in the order of the roles.
    static func actors(of action: Int, in graph: BriefingGraph) -> [String] {
        graph.linkedActors[action].map { graph.actors[$0].slug }
    }

    public static func json(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> String {
        var output = ""
        write(graph: graph, bodies: bodies) { output += $0 }
        return output
    }

    /// The file in pieces of about a megabyte, each ending at a document's end. One document a
    /// line: still valid JSON, and a diff of two builds reads document by document.
    public static func write(graph: BriefingGraph, bodies: [String: RenderedMarkdown], into sink: (String) throws -> Void) rethrows {
        var output = "{\"version\":1,\"documents\":[\n"
        var first = true
        try forEachDocument(graph: graph, bodies: bodies) { document in
            if !first { output += ",\n" }
            first = false
            document.write(to: &output)
            if output.utf8.count >= 1 << 20 {
                try sink(output)
                output = ""
            }
        }
        output += first ? "]}\n" : "\n]}\n"
        try sink(output)
    }
}
