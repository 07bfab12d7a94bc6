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
    /// first build).
    public static func next(after previous: ChangeLog?, graph: BriefingGraph) -> ChangeLog {
        let current = BriefingSnapshot(graph: graph)
        let before = previous?.snapshot ?? BriefingSnapshot()
        let asOf = Standing.asOf(graph) ?? DayDate.fallback
        var found: [ChangeEntry] = []
        // By index: `for action in graph.actions` copies each action whole.
        for index in graph.actions.indices {
            let slug = graph.actions[index].slug, title = graph.actions[index].title, updated = graph.actions[index].updated
            let now = current.actions[slug]!
            guard let then = before.actions[slug] else {
                found.append(ChangeEntry(date: graph.actions[index].date, kind: .newAction, slug: slug, title: title))
                continue
            }
            if then.status != now.status {
                // An expiry the content implies (in force, `ends` passed) is dated by `ends`.
                let date = updated ?? (now.status == ActionStatus.expired.rawValue ? graph.actions[index].ends : nil) ?? asOf
                found.append(ChangeEntry(date: date, kind: .statusChanged, slug: slug, title: title,
                                         detail: "\(then.status ?? "no status") → \(now.status ?? "no status")"))
            } else if then.fingerprint != now.fingerprint, BriefingSnapshot.isComparable(then.fingerprint, now.fingerprint) {
                found.append(ChangeEntry(date: updated ?? asOf, kind: .editedAction, slug: slug, title: title))
            }
        }
        for actorIndex in graph.actors.indices {
            let slug = graph.actors[actorIndex].slug, name = graph.actors[actorIndex].name, updated = graph.actors[actorIndex].updated
            let now = current.actors[slug]!
            guard let then = before.actors[slug] else {
                // Dated by `updated`, else by the first action naming it, else the briefing's date.
                let firstAction = Role.allCases.flatMap { graph.actionsOfActor[slug]?[$0] ?? [] }.map { graph.actions[$0].date }.min()
                found.append(ChangeEntry(date: updated ?? firstAction ?? asOf, kind: .newActor, slug: slug, title: name))
                continue
            }
            if then.fingerprint != now.fingerprint, BriefingSnapshot.isComparable(then.fingerprint, now.fingerprint) {
                found.append(ChangeEntry(date: updated ?? asOf, kind: .editedActor, slug: slug, title: name))
            }
        }
        for (slug, record) in before.actions where current.actions[slug] == nil {
            found.append(ChangeEntry(date: asOf, kind: .removedAction, slug: slug, title: record.title))
        }
        for (slug, record) in before.actors where current.actors[slug] == nil {
            found.append(ChangeEntry(date: asOf, kind: .removedActor, slug: slug, title: record.title))
        }
        // The same change seen twice (edited again without a new `updated`) is one entry. Only
        // entries about the slugs found can share an id with them: the ids of 12,000 entries
        // are not worked out on every build.
        var entries = previous?.entries ?? []
        let foundSlugs = Set(found.map(\.slug))
        var ids = Set(entries.lazy.filter { foundSlugs.contains($0.slug) }.map(\.id))
        let count = entries.count
        for entry in found where ids.insert(entry.id).inserted { entries.append(entry) }
        if entries.count > count { entries.sort(by: ChangeEntry.isBefore) }
        return ChangeLog(snapshot: current, entries: entries)
    }

    /// The state as the site's record keeps it: a line per snapshot record and per entry, fields
    /// separated by tabs (escaped within a field), snapshot sorted by slug, so the same log is
    /// the same text. Lines, not JSON: at 10,000 actions the state is megabytes that every
    /// build reads and writes.
    public var state: String {
        // Bytes appended in place: 24,000 lines at 10,000 actions, on every build.
        var text = Array(Self.stateSignature.utf8)
        text.reserveCapacity(128 * (snapshot.actors.count + snapshot.actions.count + entries.count))
        func field(_ value: String) {
            var value = value
            value.withUTF8 { bytes in
                // Most fields have nothing to escape: appended whole.
                guard bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                    text.append(contentsOf: bytes)
                    return
                }
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "\\"): text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                    case UInt8(ascii: "\t"): text += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                    case UInt8(ascii: "\n"): text += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                    case UInt8(ascii: "\r"): text += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                    default: text.append(byte)
                    }
                }
            }
        }
        func separator() { text.append(UInt8(ascii: "\t")) }
        func optional(_ value: String?) {
            if let value { text.append(UInt8(ascii: "=")); field(value) } else { text.append(UInt8(ascii: "-")) }
        }
        for (kind, records) in [(UInt8(ascii: "a"), snapshot.actors), (UInt8(ascii: "x"), snapshot.actions)] {
            // The keys sorted, not the pairs: sorting pairs copies three strings a move.
            for slug in records.keys.sorted() {
                let record = records[slug]!
                text.append(kind); separator()
                field(slug); separator(); field(record.title); separator(); optional(record.status); separator(); field(record.fingerprint)
                text.append(UInt8(ascii: "\n"))
            }
        }
        for entry in entries {
            text.append(UInt8(ascii: "e")); separator()
            text += entry.date.description.utf8; separator(); text += entry.kind.rawValue.utf8; separator()
            field(entry.slug); separator(); field(entry.title); separator(); optional(entry.detail)
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    static let stateSignature = "dossier change log 2\n"

    /// Reads a state this version wrote (`state`), or the JSON state of older versions; nil for
    /// anything else.
    public init?(state: String) {
        guard state.hasPrefix(Self.stateSignature) else {
            self.init(stateJSON: Data(state.utf8))
            return
        }
        var state = state
        guard let log = state.withUTF8({ Self.parse(state: $0[Self.stateSignature.utf8.count...]) }) else { return nil }
        self = log
    }

    /// The lines of a state after its signature, read in place: 24,000 of them at 10,000 actions,
    /// on every build, so no line or field is copied before it becomes a value.
    private static func parse(state bytes: Slice<UnsafeBufferPointer<UInt8>>) -> ChangeLog? {
        typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>
        let newline = UInt8(ascii: "\n"), tab = UInt8(ascii: "\t")
        func field(_ raw: Bytes) -> String {
            guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
            var value: [UInt8] = []
            var escaped = false
            for byte in raw {
                if escaped {
                    value.append(byte == UInt8(ascii: "t") ? 9 : byte == UInt8(ascii: "n") ? 10 : byte == UInt8(ascii: "r") ? 13 : byte)
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else {
                    value.append(byte)
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
        func optional(_ raw: Bytes) -> String?? {
            raw.elementsEqual("-".utf8) ? .some(nil) : raw.first == UInt8(ascii: "=") ? .some(field(raw.dropFirst())) : nil
        }
        var lines: [Bytes] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
            if end > start { lines.append(bytes[start..<end]) }
            start = end + 1
        }
        var snapshot = BriefingSnapshot()
        var entries: [ChangeEntry] = []
        snapshot.actors.reserveCapacity(lines.count { $0.first == UInt8(ascii: "a") })
        snapshot.actions.reserveCapacity(lines.count { $0.first == UInt8(ascii: "x") })
        entries.reserveCapacity(lines.count { $0.first == UInt8(ascii: "e") })
        var fields: [Bytes] = []
        for line in lines {
            fields.removeAll(keepingCapacity: true)
            var fieldStart = line.startIndex
            while let end = line[fieldStart...].firstIndex(of: tab) {
                fields.append(line[fieldStart..<end])
                fieldStart = end + 1
            }
            fields.append(line[fieldStart...])
            guard fields[0].count == 1 else { return nil }
            switch fields[0].first {
            case UInt8(ascii: "a"), UInt8(ascii: "x"):
                guard fields.count == 5, let status = optional(fields[3]) else { return nil }
                let record = BriefingSnapshot.Record(title: field(fields[2]), status: status, fingerprint: field(fields[4]))
                if fields[0].first == UInt8(ascii: "a") { snapshot.actors[field(fields[1])] = record } else { snapshot.actions[field(fields[1])] = record }
            case UInt8(ascii: "e"):
                guard fields.count == 6, let date = DayDate(field(fields[1])), let kind = ChangeKind(rawValue: field(fields[2])),
                      let detail = optional(fields[5]) else { return nil }
                entries.append(ChangeEntry(date: date, kind: kind, slug: field(fields[3]), title: field(fields[4]), detail: detail))
            default:
                return nil
            }
        }
        // Written in order: sorted again only if something else wrote it.
        let sorted = zip(entries, entries.dropFirst()).allSatisfy { !ChangeEntry.isBefore($1, $0) }
        return ChangeLog(snapshot: snapshot, entries: sorted ? entries : entries.sorted(by: ChangeEntry.isBefore))
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
        // As bytes, as `JSONValue` writes them.
        var output = Array("{\"entries\":[".utf8)
        output.reserveCapacity(160 * entries.count)
        func member(_ key: StaticString, _ value: String?) {
            output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            if let value { JSONValue.writeString(value, into: &output) } else { output += "null".utf8 }
        }
        for (index, entry) in entries.enumerated() {
            output += (index == 0 ? "{" : ",{").utf8
            member("\"date\":", entry.date.description)
            member(",\"detail\":", entry.detail)
            member(",\"id\":", entry.id)
            member(",\"kind\":", entry.kind.rawValue)
            member(",\"slug\":", entry.slug)
            member(",\"title\":", entry.title)
            member(",\"url\":", Self.url(of: entry, urls: urls, graph: graph).map(urls.absolute))
            output.append(UInt8(ascii: "}"))
        }
        output += "],\"version\":\(Self.version)}\n".utf8
        return String(decoding: output, as: UTF8.self)
    }

    /// The page an entry is about, when it is still published.
    static func url(of entry: ChangeEntry, urls: SiteURLs, graph: BriefingGraph) -> String? {
        if entry.kind.isAction { return graph.hasAction(entry.slug) ? urls.action(entry.slug) : nil }
        return graph.hasActor(entry.slug) ? urls.actor(entry.slug) : nil
    }
}
