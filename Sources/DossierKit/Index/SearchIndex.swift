/// `search-index.json`: one document per published actor, action and page, with the fields the
/// contract lists. It is both what the search page loads and a data export of the briefing.
public enum SearchIndex {
    public static func documents(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [JSONValue] {
        var documents: [JSONValue] = []
        forEachDocument(graph: graph, bodies: bodies) { documents.append($1) }
        return documents
    }

    /// Each document in order, made one at a time, so the file can be written without ever
    /// holding every document (at 50,000 actions the file alone is 190 MB), with its number in
    /// the search shards' order (`SearchDocument.all`: actions, actors, pages).
    static func forEachDocument(graph: BriefingGraph, bodies: [String: RenderedMarkdown], _ body: (Int, JSONValue) throws -> Void) rethrows {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        for (index, actor) in graph.actors.enumerated() {
            try body(graph.actions.count + index, .object([
                "id": .string(actor.slug), "kind": .string("actor"), "title": .string(actor.name),
                "url": .string(urls.actor(actor.slug)), "summary": .optional(actor.summary),
                "text": .string(bodies[actor.slug]?.plainText ?? ""),
                "type": .string(actor.type.rawValue), "aliases": .array(actor.aliases.map(JSONValue.string)),
                "country": .optional(actor.country), "tags": .array(actor.tags.map(JSONValue.string)),
            ]))
        }
        for (index, action) in graph.actions.enumerated() {
            var actors: [String] = []
            for role in Role.allCases {
                for reference in action.actors(in: role) where graph.actor(reference.slug) != nil && !actors.contains(reference.slug) {
                    actors.append(reference.slug)
                }
            }
            try body(index, .object([
                "id": .string(action.slug), "kind": .string("action"), "title": .string(action.title),
                "url": .string(urls.action(action.slug)), "summary": .optional(action.summary),
                "text": .string(bodies[action.slug]?.plainText ?? ""),
                "date": .string(action.date.description), "type": .string(action.type.rawValue),
                "actors": .array(actors.map(JSONValue.string)),
                "status": .optional(action.status?.rawValue),
                "measures": .array(action.measures.map(JSONValue.string)),
                "legal_basis": .array(action.legalBasis.map(JSONValue.string)),
                "tags": .array(action.tags.map(JSONValue.string)),
            ]))
        }
        for (index, page) in graph.pages.enumerated() {
            try body(graph.actions.count + graph.actors.count + index, .object([
                "id": .string(page.slug), "kind": .string("page"), "title": .string(page.title),
                "url": .string(urls.page(page.slug)), "summary": .optional(page.summary),
                "text": .string(bodies[page.slug]?.plainText ?? ""),
            ]))
        }
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
        try forEachDocument(graph: graph, bodies: bodies) { _, document in
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
