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
        let actorRecords = Array(graph.actors.indices).parallelMap { Self.record(ofActor: $0, in: graph) }
        actors.reserveCapacity(graph.actors.count)
        for index in graph.actors.indices { actors[graph.actors[index].slug] = actorRecords[index] }
        let actionRecords = Array(graph.actions.indices).parallelMap { Self.record(ofAction: $0, in: graph, asOf: asOf) }
        actions.reserveCapacity(graph.actions.count)
        for index in graph.actions.indices { actions[graph.actions[index].slug] = actionRecords[index] }
    }

    // The body's hash and the status's fields read through the arrays: handing the body or the
    // case file to a function copies it, 12,000 times a build.

    /// The record of the graph's actor at `index`.
    static func record(ofActor index: Int, in graph: BriefingGraph) -> Record {
        Record(title: graph.actors[index].name, status: nil,
               fingerprint: fingerprint(graph.actorFingerprints[index], graph.actors[index].body.markdownHash))
    }

    /// The record of the graph's action at `index`, its status as of `asOf` (`Standing.asOf`).
    static func record(ofAction index: Int, in graph: BriefingGraph, asOf: DayDate?) -> Record {
        let status = Standing.effectiveStatus(graph.actions[index].status, ends: graph.actions[index].ends, asOf: asOf)
        return Record(title: graph.actions[index].title, status: status?.rawValue,
                      fingerprint: fingerprint(graph.actionFingerprints[index], graph.actions[index].body.markdownHash))
    }

    /// Everything a case file says, its path and the site's address aside (moving the site is not
    /// an edit): `h` and 16 hex digits, from the hash of the body's Markdown (a body left in its
    /// file has no Markdown in memory). Earlier builds of dossier wrote 16 hex digits of a slower
    /// hash, then `c` and 16 digits of the Markdown itself; `isComparable` tells them apart.
    static func fingerprint(_ content: UInt64, _ markdownHash: UInt64) -> String {
        var hash = ContentHash(seed: content)
        hash.add(markdownHash)
        let hex = String(hash.value, radix: 16)
        return "h" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether two fingerprints were made the same way, so that a difference means an edit.
    static func isComparable(_ a: String, _ b: String) -> Bool {
        scheme(a) == scheme(b)
    }

    /// The letter before the 16 digits; nil for the first way, digits alone.
    private static func scheme(_ fingerprint: String) -> Character? {
        fingerprint.utf8.count == 17 ? fingerprint.first : nil
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
