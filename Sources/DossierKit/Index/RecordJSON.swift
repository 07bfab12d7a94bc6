/// The data of one actor or action page as JSON (`index.json` beside the page), so a reader can
/// cite and reuse exactly what the page shows. Keys are sorted by `JSONValue`; absent values
/// are `null` so every record of a kind has the same keys.
public enum RecordJSON {
    /// `urls` are the site's (given by a build, which writes 12,000 records: parsing the base URL
    /// for each was a third of their time).
    public static func actor(_ actor: Actor, graph: BriefingGraph, bodies: [String: RenderedMarkdown], urls: SiteURLs? = nil) -> String {
        let urls = urls ?? SiteURLs(baseURL: graph.site.baseURL)
        let roles = graph.actionsOfActor[actor.slug] ?? [:]
        let asOf = Standing.asOf(graph)
        func slugs(_ role: Role) -> JSONValue { .array((roles[role] ?? []).map { .string(graph.actions[$0].slug) }) }
        let inForce = (roles[.targets] ?? []).filter { Standing.isInForce($0, in: graph, asOf: asOf) }
        // In key order (`JSONValue.sorted`).
        let object: JSONValue = .sorted([
            JSONMember("actions", .sorted([JSONMember("by", slugs(.by)), JSONMember("involves", slugs(.involves)), JSONMember("targets", slugs(.targets))])),
            JSONMember("aliases", strings(actor.aliases)),
            JSONMember("as_of", .optional(asOf?.description)),
            JSONMember("country", .optional(actor.country)),
            JSONMember("in_force_against", .array(inForce.map { .string(graph.actions[$0].slug) })),
            JSONMember("kind", .string("actor")),
            JSONMember("name", .string(actor.name)),
            JSONMember("roles", strings(actor.roles)),
            JSONMember("slug", .string(actor.slug)),
            JSONMember("summary", .optional(actor.summary)),
            JSONMember("tags", strings(actor.tags)),
            JSONMember("text", .string(bodies[actor.slug]?.plainText ?? "")),
            JSONMember("type", .string(actor.type.rawValue)),
            JSONMember("updated", .optional(actor.updated?.description)),
            JSONMember("url", .string(urls.absolute(urls.actor(actor.slug)))),
        ])
        return object.serialized + "\n"
    }

    public static func action(_ action: Action, graph: BriefingGraph, bodies: [String: RenderedMarkdown], urls: SiteURLs? = nil) -> String {
        let urls = urls ?? SiteURLs(baseURL: graph.site.baseURL)
        func actors(_ references: [Reference]) -> JSONValue { strings(PageModels.uniqueSlugs(references)) }
        func actions(_ indices: [Int]?) -> JSONValue { .array((indices ?? []).map { .string(graph.actions[$0].slug) }) }
        let object: JSONValue = .sorted([
            JSONMember("by", actors(action.by)),
            JSONMember("date", .string(action.date.description)),
            JSONMember("ends", .optional(action.ends?.description)),
            JSONMember("involves", actors(action.involves)),
            JSONMember("kind", .string("action")),
            JSONMember("legal_basis", strings(action.legalBasis)),
            JSONMember("measures", strings(action.measures)),
            JSONMember("related", actions(graph.related[action.slug])),
            JSONMember("responds_to", actions(graph.respondsTo[action.slug])),
            JSONMember("responses", actions(graph.responses[action.slug])),
            JSONMember("slug", .string(action.slug)),
            JSONMember("sources", .array(action.sources.map { source in
                .sorted([JSONMember("date", .optional(source.date?.description)), JSONMember("publisher", .optional(source.publisher)),
                         JSONMember("title", .string(source.title)), JSONMember("url", .optional(source.url))])
            })),
            JSONMember("status", .optional(action.status?.rawValue)),
            JSONMember("summary", .optional(action.summary)),
            JSONMember("tags", strings(action.tags)),
            JSONMember("targets", actors(action.targets)),
            JSONMember("text", .string(bodies[action.slug]?.plainText ?? "")),
            JSONMember("title", .string(action.title)),
            JSONMember("type", .string(action.type.rawValue)),
            JSONMember("updated", .optional(action.updated?.description)),
            JSONMember("url", .string(urls.absolute(urls.action(action.slug)))),
        ])
        return object.serialized + "\n"
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
