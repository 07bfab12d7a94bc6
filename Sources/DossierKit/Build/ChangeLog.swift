import Foundation

/// The briefing's change log: what changed between each published build and the one before,
/// newest first, and the snapshot of the last published briefing to compare the next one with.
/// Both live in the site's record (`SiteRecord.Memory`); the log is also published as `/changes/`,
/// its Atom feed and JSON.
///
/// The log depends only on the previous state and the content: a rebuild of unchanged content
/// adds nothing, and every date comes from the content. The first build, with no state, records
/// every action and actor as new, so the log starts complete.
public struct ChangeLog: Sendable, Hashable {
    public static let version = 1

    public var snapshot = BriefingSnapshot()
    /// Newest first (`ChangeEntry.isBefore`).
    public var entries: [ChangeEntry] = []

    public init() {}

    public init(snapshot: BriefingSnapshot, entries: [ChangeEntry]) {
        self.snapshot = snapshot
        self.entries = entries
    }

    /// The log after publishing `graph`, given the log of the last published build (nil on the
    /// first build). Record by record; a build compares line by line (`update`), with the same
    /// result.
    public static func next(after previous: ChangeLog?, graph: BriefingGraph) -> ChangeLog {
        let current = BriefingSnapshot(graph: graph)
        let before = previous?.snapshot ?? BriefingSnapshot()
        let asOf = Standing.asOf(graph) ?? DayDate.fallback
        var found: [ChangeEntry] = []
        // By index: `for action in graph.actions` copies each action whole.
        for index in graph.actions.indices {
            found += change(ofAction: index, then: before.actions[graph.actions[index].slug], now: current.actions[graph.actions[index].slug]!, graph: graph, asOf: asOf)
        }
        for index in graph.actors.indices {
            found += change(ofActor: index, then: before.actors[graph.actors[index].slug], now: current.actors[graph.actors[index].slug]!, graph: graph, asOf: asOf)
        }
        for (slug, record) in before.actions where current.actions[slug] == nil {
            found.append(ChangeEntry(date: asOf, kind: .removedAction, slug: slug, title: record.title))
        }
        for (slug, record) in before.actors where current.actors[slug] == nil {
            found.append(ChangeEntry(date: asOf, kind: .removedActor, slug: slug, title: record.title))
        }
        return ChangeLog(snapshot: current, entries: merged(previous?.entries ?? [], found))
    }

    /// What the log says of the graph's action at `index`, last published as `then` (nil for
    /// none) and now `now`: new, its status changed, edited, or nothing.
    static func change(ofAction index: Int, then: BriefingSnapshot.Record?, now: BriefingSnapshot.Record, graph: BriefingGraph, asOf: DayDate) -> [ChangeEntry] {
        let slug = graph.actions[index].slug, title = graph.actions[index].title, updated = graph.actions[index].updated
        guard let then else { return [ChangeEntry(date: graph.actions[index].date, kind: .newAction, slug: slug, title: title)] }
        if then.status != now.status {
            // An expiry the content implies (in force, `ends` passed) is dated by `ends`.
            let date = updated ?? (now.status == ActionStatus.expired.rawValue ? graph.actions[index].ends : nil) ?? asOf
            return [ChangeEntry(date: date, kind: .statusChanged, slug: slug, title: title, detail: "\(then.status ?? "no status") → \(now.status ?? "no status")")]
        }
        if then.fingerprint != now.fingerprint, BriefingSnapshot.isComparable(then.fingerprint, now.fingerprint) {
            return [ChangeEntry(date: updated ?? asOf, kind: .editedAction, slug: slug, title: title)]
        }
        return []
    }

    /// The same for the graph's actor at `index`: new or edited.
    static func change(ofActor index: Int, then: BriefingSnapshot.Record?, now: BriefingSnapshot.Record, graph: BriefingGraph, asOf: DayDate) -> [ChangeEntry] {
        let slug = graph.actors[index].slug, name = graph.actors[index].name, updated = graph.actors[index].updated
        guard let then else {
            // Dated by `updated`, else by the first action naming it, else the briefing's date.
            let firstAction = Role.allCases.flatMap { graph.actionsOfActor[slug]?[$0] ?? [] }.map { graph.actions[$0].date }.min()
            return [ChangeEntry(date: updated ?? firstAction ?? asOf, kind: .newActor, slug: slug, title: name)]
        }
        if then.fingerprint != now.fingerprint, BriefingSnapshot.isComparable(then.fingerprint, now.fingerprint) {
            return [ChangeEntry(date: updated ?? asOf, kind: .editedActor, slug: slug, title: name)]
        }
        return []
    }

    /// The previous entries with the changes found added, newest first. The same change seen
    /// twice (edited again without a new `updated`) is one entry. Only entries about the slugs
    /// found can share an id with them: the ids of 12,000 entries are not worked out on every
    /// build.
    static func merged(_ previous: [ChangeEntry], _ found: [ChangeEntry]) -> [ChangeEntry] {
        var entries = previous
        let foundSlugs = Set(found.map(\.slug))
        var ids = Set(entries.lazy.filter { foundSlugs.contains($0.slug) }.map(\.id))
        let count = entries.count
        for entry in found where ids.insert(entry.id).inserted { entries.append(entry) }
        if entries.count > count { entries.sort(by: ChangeEntry.isBefore) }
        return entries
    }

    /// The last published log as a build reads it, before the graph is linked: its entries, and
    /// its snapshot still as the state's lines where the state is in this version's form.
    public struct Published: Sendable {
        enum Form: Sendable {
            /// The state's bytes and the ranges of its actor and action lines (`[actors,
            /// actions]`), and whether each kind's are in strictly ascending slug order.
            case lines(text: [UInt8], records: [[Range<Int>]], ascending: Bool)
            /// The snapshot of a state in an older form.
            case snapshot(BriefingSnapshot)
        }

        let form: Form
        public let entries: [ChangeEntry]

        /// The log as values.
        public var log: ChangeLog {
            switch form {
            case .snapshot(let snapshot):
                return ChangeLog(snapshot: snapshot, entries: entries)
            case .lines(let text, let records, _):
                var snapshot = BriefingSnapshot()
                snapshot.actors.reserveCapacity(records[0].count)
                snapshot.actions.reserveCapacity(records[1].count)
                // In the order written: a slug written twice keeps its last line.
                for line in records[0] { if let (slug, record) = ChangeLogLines.record(text, line) { snapshot.actors[slug] = record } }
                for line in records[1] { if let (slug, record) = ChangeLogLines.record(text, line) { snapshot.actions[slug] = record } }
                return ChangeLog(snapshot: snapshot, entries: entries)
            }
        }
    }

    /// Reads a state this version wrote (`state`), or the JSON state of older versions; nil for
    /// anything else.
    public static func published(state: String) -> Published? {
        guard state.hasPrefix(stateSignature) else {
            return ChangeLog(stateJSON: Data(state.utf8)).map { Published(form: .snapshot($0.snapshot), entries: $0.entries) }
        }
        return ChangeLogLines.read(Array(state.utf8), from: stateSignature.utf8.count)
    }

    /// `next(after:graph:)` and its `state`, made by comparing lines: the graph's snapshot is
    /// written as the state's lines and walked beside the last one's in slug order, and only a
    /// line that differs is read. The log returned holds the entries alone: its snapshot is in
    /// the state.
    public static func update(after previous: Published?, graph: BriefingGraph) -> (log: ChangeLog, state: String) {
        guard let previous, case .lines(let text, let records, true) = previous.form else {
            let log = next(after: previous?.log, graph: graph)
            return (log, log.state)
        }
        let statusAsOf = Standing.asOf(graph), asOf = statusAsOf ?? DayDate.fallback
        // `state` writes each kind in the order of its slugs.
        let actorSlugs = graph.actors.indices.map { graph.actors[$0].slug }
        let actorOrder = graph.actors.indices.sorted { actorSlugs[$0] < actorSlugs[$1] }
        let actionSlugs = graph.actions.indices.map { graph.actions[$0].slug }
        let actionOrder = graph.actions.indices.sorted { actionSlugs[$0] < actionSlugs[$1] }
        let actors = ChangeLogLines.currentLines(kind: ChangeLogLines.actorKind, order: actorOrder) {
            (actorSlugs[$0], BriefingSnapshot.record(ofActor: $0, in: graph))
        }
        let actions = ChangeLogLines.currentLines(kind: ChangeLogLines.actionKind, order: actionOrder) {
            (actionSlugs[$0], BriefingSnapshot.record(ofAction: $0, in: graph, asOf: statusAsOf))
        }
        // Slugs whose bytes sort otherwise than the strings (none a slug of ours can have) are
        // compared record by record.
        guard ChangeLogLines.ascending(actors.text, actors.lines), ChangeLogLines.ascending(actions.text, actions.lines) else {
            let log = next(after: previous.log, graph: graph)
            return (log, log.state)
        }
        var found: [ChangeEntry] = []
        /// The changes of one kind: `kind` 0 for actors, 1 for actions, as in `records`.
        func compare(_ kind: Int, _ current: (text: [UInt8], lines: [Range<Int>]), order: [Int], removed: ChangeKind,
                     _ change: (_ index: Int, _ then: BriefingSnapshot.Record?) -> [ChangeEntry]) {
            ChangeLogLines.differences(previous: text, previousLines: records[kind], current: current.text, currentLines: current.lines) { then, now in
                // Every line was checked when it was read.
                let last = then.flatMap { ChangeLogLines.record(text, $0) }
                guard let now else {
                    if let last { found.append(ChangeEntry(date: asOf, kind: removed, slug: last.slug, title: last.record.title)) }
                    return
                }
                found += change(order[now], last?.record)
            }
        }
        compare(1, actions, order: actionOrder, removed: .removedAction) { index, then in
            change(ofAction: index, then: then, now: BriefingSnapshot.record(ofAction: index, in: graph, asOf: statusAsOf), graph: graph, asOf: asOf)
        }
        compare(0, actors, order: actorOrder, removed: .removedActor) { index, then in
            change(ofActor: index, then: then, now: BriefingSnapshot.record(ofActor: index, in: graph), graph: graph, asOf: asOf)
        }
        let entries = merged(previous.entries, found)
        var state = Array(stateSignature.utf8)
        state.reserveCapacity(state.count + actors.text.count + actions.text.count + 96 * entries.count)
        state += actors.text
        state += actions.text
        state += ChangeLogLines.entryLines(entries)
        return (ChangeLog(snapshot: BriefingSnapshot(), entries: entries), String(decoding: state, as: UTF8.self))
    }

    /// How many of the newest entries `/changes/` shows; every entry is on its year's page
    /// (`/changes/<year>/`). One page of 12,000 entries at 10,000 actions was 4 MB, and every
    /// new entry rendered it again.
    public static let recentCount = 100

    /// The years that have entries, newest first.
    public var years: [Int] { Self.years(of: entries) }

    static func years(of entries: [ChangeEntry]) -> [Int] {
        // Newest first, so a year's entries are together: one pass, no set (asked for by every
        // page of the log and the sitemap, 12,000 entries at 10,000 actions).
        var years: [Int] = []
        for entry in entries where years.last != entry.date.year { years.append(entry.date.year) }
        return years
    }

    /// The entries of `year`, in the log's order.
    func entries(of year: Int) -> ArraySlice<ChangeEntry> {
        let start = entries.firstIndex { $0.date.year <= year } ?? entries.endIndex
        let end = entries[start...].firstIndex { $0.date.year < year } ?? entries.endIndex
        return entries[start..<end].first?.date.year == year ? entries[start..<end] : []
    }

    /// A case file whose body alone changed since the last published build, as
    /// `bodyChanges` takes it.
    struct BodyEdit: Sendable {
        var isAction: Bool
        var slug: String
        /// The action's title or the actor's name.
        var title: String
        var updated: DayDate?
        /// `BriefingSnapshot.fingerprint` of the case file now.
        var fingerprint: String
    }

    /// What a briefing whose only changes since the state `text` are the bodies of `edits`, each
    /// of a published action or actor, changes in it: each one's snapshot line gets its new
    /// fingerprint (the line and its replacement, without the newline), and each is "edited" as
    /// `change(ofAction:)` finds it (the front matter and the briefing's date are as they were,
    /// so no status changes). Nil where a slug has no line. `records` are the state's snapshot
    /// lines of each kind, in ascending slug order (`ChangeLogLines.scan`).
    static func bodyChanges(_ text: [UInt8], records: [[Range<Int>]], edits: [BodyEdit], asOf: DayDate?) -> (replacements: [(line: Range<Int>, bytes: [UInt8])], found: [ChangeEntry])? {
        var replacements: [(line: Range<Int>, bytes: [UInt8])] = []
        var found: [ChangeEntry] = []
        for edit in edits {
            let lines = records[edit.isAction ? 1 : 0]
            let slug = Array(edit.slug.utf8)
            let place: Int? = text.withUnsafeBufferPointer { buffer in
                slug.withUnsafeBufferPointer { wanted in
                    var low = 0, high = lines.count
                    while low < high {
                        let middle = (low + high) / 2
                        let order = ChangeLogLines.compare(buffer, ChangeLogLines.slugField(buffer, lines[middle]), wanted, 0..<wanted.count)
                        if order == 0 { return middle }
                        if order < 0 { low = middle + 1 } else { high = middle }
                    }
                    return nil
                }
            }
            guard let place, let (lineSlug, then) = ChangeLogLines.record(text, lines[place]), lineSlug == edit.slug else { return nil }
            guard then.fingerprint != edit.fingerprint else { continue }
            var line: [UInt8] = []
            ChangeLogLines.appendRecord(kind: edit.isAction ? ChangeLogLines.actionKind : ChangeLogLines.actorKind, slug: edit.slug,
                                        BriefingSnapshot.Record(title: then.title, status: then.status, fingerprint: edit.fingerprint), to: &line)
            line.removeLast()
            replacements.append((lines[place], line))
            if BriefingSnapshot.isComparable(then.fingerprint, edit.fingerprint) {
                found.append(ChangeEntry(date: edit.updated ?? asOf ?? DayDate.fallback, kind: edit.isAction ? .editedAction : .editedActor, slug: edit.slug, title: edit.title))
            }
        }
        return (replacements, found)
    }

    /// The state as the site's record keeps it: a line per snapshot record and per entry, fields
    /// separated by tabs (escaped within a field), snapshot sorted by slug, so the same log is
    /// the same text. Lines, not JSON: at 10,000 actions the state is megabytes that every
    /// build reads and writes.
    public var state: String {
        var text = Array(Self.stateSignature.utf8)
        text.reserveCapacity(128 * (snapshot.actors.count + snapshot.actions.count + entries.count))
        for (kind, records) in [(ChangeLogLines.actorKind, snapshot.actors), (ChangeLogLines.actionKind, snapshot.actions)] {
            // The keys sorted, not the pairs: sorting pairs copies three strings a move.
            for slug in records.keys.sorted() { ChangeLogLines.appendRecord(kind: kind, slug: slug, records[slug]!, to: &text) }
        }
        text += ChangeLogLines.entryLines(entries)
        return String(decoding: text, as: UTF8.self)
    }

    static let stateSignature = "dossier change log 2\n"

    /// Reads a state this version wrote (`state`), or the JSON state of older versions; nil for
    /// anything else.
    public init?(state: String) {
        guard let published = Self.published(state: state) else { return nil }
        self = published.log
    }

    /// The JSON state of dossier before 2026-11-29 (sorted keys, one line); nil when it is not one.
    public init?(stateJSON data: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], (object["version"] as? Int) == Self.version,
              let snapshot = object["snapshot"].flatMap(BriefingSnapshot.init(json:)), let entries = object["entries"] as? [Any] else { return nil }
        let parsed = entries.compactMap(ChangeEntry.init(json:))
        guard parsed.count == entries.count else { return nil }
        self.init(snapshot: snapshot, entries: parsed.sorted(by: ChangeEntry.isBefore))
    }

    /// `changes/index.json`: the log for readers, with each entry's page. Written member by
    /// member, in the sorted order of the keys, as `JSONValue` writes an object: a tree of
    /// 12,000 objects at 10,000 actions, each sorting its keys, was made again whenever the log
    /// grew, which is on most edits.
    public func publishedJSON(urls: SiteURLs, graph: BriefingGraph) -> String {
        publishedJSON(urls: urls) { Self.isPublished($0, in: graph) }
    }

    /// The same, each entry's page given while `isPublished`.
    func publishedJSON(urls: SiteURLs, isPublished: (ChangeEntry) -> Bool) -> String {
        String(decoding: publishedJSONBytes(urls: urls, isPublished: isPublished), as: UTF8.self)
    }

    /// The same as bytes, which a patched rebuild writes as they are (3.5 MB at 10,000 actions).
    func publishedJSONBytes(urls: SiteURLs, isPublished: (ChangeEntry) -> Bool) -> [UInt8] {
        // As bytes, as `JSONValue` writes them.
        var output = Array(Self.jsonOpening.utf8)
        output.reserveCapacity(160 * entries.count)
        for (index, entry) in entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.appendJSON(entry, urls: urls, isPublished: isPublished, to: &output)
        }
        output += "],\"version\":\(Self.version)}\n".utf8
        return output
    }

    static let jsonOpening = "{\"entries\":["

    /// An entry's object in `changes/index.json`.
    static func appendJSON(_ entry: ChangeEntry, urls: SiteURLs, isPublished: (ChangeEntry) -> Bool, to output: inout [UInt8]) {
        func member(_ key: StaticString, _ value: String?) {
            output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            if let value { JSONValue.writeString(value, into: &output) } else { output += "null".utf8 }
        }
        output.append(UInt8(ascii: "{"))
        member("\"date\":", entry.date.description)
        member(",\"detail\":", entry.detail)
        member(",\"id\":", entry.id)
        member(",\"kind\":", entry.kind.rawValue)
        member(",\"slug\":", entry.slug)
        member(",\"title\":", entry.title)
        member(",\"url\":", url(of: entry, urls: urls, isPublished: isPublished).map(urls.absolute))
        output.append(UInt8(ascii: "}"))
    }

    /// The page an entry is about, when it is still published.
    static func url(of entry: ChangeEntry, urls: SiteURLs, graph: BriefingGraph) -> String? {
        url(of: entry, urls: urls) { isPublished($0, in: graph) }
    }

    static func url(of entry: ChangeEntry, urls: SiteURLs, isPublished: (ChangeEntry) -> Bool) -> String? {
        guard isPublished(entry) else { return nil }
        return entry.kind.isAction ? urls.action(entry.slug) : urls.actor(entry.slug)
    }

    /// Whether the action or actor an entry is about has a page in `graph`.
    static func isPublished(_ entry: ChangeEntry, in graph: BriefingGraph) -> Bool {
        entry.kind.isAction ? graph.hasAction(entry.slug) : graph.hasActor(entry.slug)
    }
}
