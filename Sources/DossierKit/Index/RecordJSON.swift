/// The data of one actor or action page as JSON (`index.json` beside the page), so a reader can
/// cite and reuse exactly what the page shows. Keys are sorted by `JSONValue`; absent values
/// are `null` so every record of a kind has the same keys.
public enum RecordJSON {
    public static func actor(_ actor: Actor, graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let roles = graph.actionsOfActor[actor.slug] ?? [:]
        let asOf = Standing.asOf(graph)
        func slugs(_ role: Role) -> JSONValue { .array((roles[role] ?? []).map { .string(graph.actions[$0].slug) }) }
        let inForce = (roles[.targets] ?? []).filter { Standing.isInForce(graph.actions[$0], asOf: asOf) }
        let object: JSONValue = .object([
            "kind": .string("actor"),
            "slug": .string(actor.slug),
            "name": .string(actor.name),
            "type": .string(actor.type.rawValue),
            "aliases": strings(actor.aliases),
            "country": .optional(actor.country),
            "roles": strings(actor.roles),
            "summary": .optional(actor.summary),
            "tags": strings(actor.tags),
            "updated": .optional(actor.updated?.description),
            "url": .string(urls.absolute(urls.actor(actor.slug))),
            "actions": .object(["by": slugs(.by), "targets": slugs(.targets), "involves": slugs(.involves)]),
            "in_force_against": .array(inForce.map { .string(graph.actions[$0].slug) }),
            "as_of": .optional(asOf?.description),
            "text": .string(bodies[actor.slug]?.plainText ?? ""),
        ])
        return object.serialized + "\n"
    }

    public static func action(_ action: Action, graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        func actors(_ references: [Reference]) -> JSONValue { strings(PageModels.uniqueSlugs(references)) }
        func actions(_ indices: [Int]?) -> JSONValue { .array((indices ?? []).map { .string(graph.actions[$0].slug) }) }
        let object: JSONValue = .object([
            "kind": .string("action"),
            "slug": .string(action.slug),
            "title": .string(action.title),
            "date": .string(action.date.description),
            "type": .string(action.type.rawValue),
            "status": .optional(action.status?.rawValue),
            "ends": .optional(action.ends?.description),
            "by": actors(action.by),
            "targets": actors(action.targets),
            "involves": actors(action.involves),
            "measures": strings(action.measures),
            "legal_basis": strings(action.legalBasis),
            "responds_to": actions(graph.respondsTo[action.slug]),
            "responses": actions(graph.responses[action.slug]),
            "related": actions(graph.related[action.slug]),
            "sources": .array(action.sources.map { source in
                .object(["title": .string(source.title), "url": .optional(source.url), "publisher": .optional(source.publisher), "date": .optional(source.date?.description)])
            }),
            "summary": .optional(action.summary),
            "tags": strings(action.tags),
            "updated": .optional(action.updated?.description),
            "url": .string(urls.absolute(urls.action(action.slug))),
            "text": .string(bodies[action.slug]?.plainText ?? ""),
        ])
        return object.serialized + "\n"
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
