/// What the change log remembers of a published briefing: each actor's and action's title, its
/// status as of the briefing's newest date, and a fingerprint of everything it says, so the next
/// build can tell new, edited, lifted and removed case files apart.
public struct BriefingSnapshot: Sendable, Hashable {
    public struct Record: Sendable, Hashable {
        public var title: String
        public var status: String?
        public var fingerprint: String
    }

    public var actors: [String: Record] = [:]
    public var actions: [String: Record] = [:]

    public init() {}

    public init(graph: BriefingGraph) {
        let asOf = Standing.asOf(graph)
        for actor in graph.actors {
            actors[actor.slug] = Record(title: actor.name, status: nil, fingerprint: Fingerprint.of(Self.content(of: actor).utf8))
        }
        for action in graph.actions {
            actions[action.slug] = Record(title: action.title, status: Standing.effectiveStatus(action, asOf: asOf)?.rawValue,
                                          fingerprint: Fingerprint.of(Self.content(of: action).utf8))
        }
    }

    /// Everything an actor file says, in a fixed order (its path and the site's address are left
    /// out: moving the site is not an edit).
    static func content(of actor: Actor) -> String {
        JSONValue.array([
            .string(actor.name), .string(actor.type.rawValue), RecordJSON.strings(actor.aliases), .optional(actor.country), RecordJSON.strings(actor.roles),
            .optional(actor.summary), RecordJSON.strings(actor.tags), .optional(actor.updated?.description), .string(String(describing: actor.extra)), .string(actor.body.markdown),
        ]).serialized
    }

    static func content(of action: Action) -> String {
        func slugs(_ references: [Reference]) -> JSONValue { RecordJSON.strings(references.map(\.slug)) }
        return JSONValue.array([
            .string(action.title), .string(action.date.description), .string(action.type.rawValue), slugs(action.by), slugs(action.targets), slugs(action.involves),
            RecordJSON.strings(action.measures), RecordJSON.strings(action.legalBasis), .optional(action.status?.rawValue), .optional(action.ends?.description),
            slugs(action.respondsTo), slugs(action.related),
            .array(action.sources.map { .array([.string($0.title), .optional($0.url), .optional($0.publisher), .optional($0.date?.description)]) }),
            .optional(action.summary), RecordJSON.strings(action.tags), .optional(action.updated?.description), .string(String(describing: action.extra)),
            .string(action.body.markdown),
        ]).serialized
    }

    var json: JSONValue {
        func records(_ records: [String: Record]) -> JSONValue {
            .object(records.mapValues { .object(["title": .string($0.title), "status": .optional($0.status), "fingerprint": .string($0.fingerprint)]) })
        }
        return .object(["actors": records(actors), "actions": records(actions)])
    }

    init?(json: Any) {
        guard let object = json as? [String: Any], let actors = object["actors"] as? [String: Any], let actions = object["actions"] as? [String: Any] else { return nil }
        func records(_ values: [String: Any]) -> [String: Record]? {
            var result: [String: Record] = [:]
            for (slug, value) in values {
                guard let record = value as? [String: Any], let title = record["title"] as? String, let fingerprint = record["fingerprint"] as? String else { return nil }
                result[slug] = Record(title: title, status: record["status"] as? String, fingerprint: fingerprint)
            }
            return result
        }
        guard let actorRecords = records(actors), let actionRecords = records(actions) else { return nil }
        self.actors = actorRecords
        self.actions = actionRecords
    }
}
