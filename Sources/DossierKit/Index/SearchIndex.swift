/// `search-index.json`: one document per published actor, action and page, with the fields the
/// contract lists. It is both what the search page loads and a data export of the briefing.
public enum SearchIndex {
    public static func documents(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [JSONValue] {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        var documents: [JSONValue] = []
        for actor in graph.actors {
            documents.append(.object([
                "id": .string(actor.slug), "kind": .string("actor"), "title": .string(actor.name),
                "url": .string(urls.actor(actor.slug)), "summary": .optional(actor.summary),
                "text": .string(bodies[actor.slug]?.plainText ?? ""),
                "type": .string(actor.type.rawValue), "aliases": .array(actor.aliases.map(JSONValue.string)),
                "country": .optional(actor.country), "tags": .array(actor.tags.map(JSONValue.string)),
            ]))
        }
        for action in graph.actions {
            var actors: [String] = []
            for role in Role.allCases {
                for reference in action.actors(in: role) where graph.actor(reference.slug) != nil && !actors.contains(reference.slug) {
                    actors.append(reference.slug)
                }
            }
            documents.append(.object([
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
        for page in graph.pages {
            documents.append(.object([
                "id": .string(page.slug), "kind": .string("page"), "title": .string(page.title),
                "url": .string(urls.page(page.slug)), "summary": .optional(page.summary),
                "text": .string(bodies[page.slug]?.plainText ?? ""),
            ]))
        }
        return documents
    }

    public static func json(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> String {
        // One document a line: still valid JSON, and a diff of two builds reads document by document.
        var output = "{\"version\":1,\"documents\":[\n"
        let documents = documents(graph: graph, bodies: bodies)
        for (index, document) in documents.enumerated() {
            document.write(to: &output)
            output += index == documents.count - 1 ? "\n" : ",\n"
        }
        output += "]}\n"
        return output
    }
}
