/// One line of the change log. Its date comes from the content (`date`, `updated`, `ends`, or
/// the briefing's newest date), never from the clock, so a rebuild writes the same log.
public struct ChangeEntry: Sendable, Hashable {
    public var date: DayDate
    public var kind: ChangeKind
    public var slug: String
    /// The actor's name or the action's title when the change was seen.
    public var title: String
    /// For status changes: `in-force → lifted`.
    public var detail: String?

    public init(date: DayDate, kind: ChangeKind, slug: String, title: String, detail: String? = nil) {
        self.date = date
        self.kind = kind
        self.slug = slug
        self.title = title
        self.detail = detail
    }

    /// Stable and unique within a log: also the anchor on `/changes/` and the feed entry's id.
    public var id: String { "\(date)-\(kind.rawValue)-\(slug)" + (detail.map { "-" + Slug.make(from: $0) } ?? "") }

    /// Newest first; on one day actions before actors, then by kind and slug.
    static func isBefore(_ a: ChangeEntry, _ b: ChangeEntry) -> Bool {
        if a.date != b.date { return a.date > b.date }
        if a.kind != b.kind { return a.kind.rank < b.kind.rank }
        return a.slug != b.slug ? a.slug < b.slug : (a.detail ?? "") < (b.detail ?? "")
    }

    init?(json: Any) {
        guard let object = json as? [String: Any], let dateText = object["date"] as? String, let date = DayDate(dateText),
              let kindText = object["kind"] as? String, let kind = ChangeKind(rawValue: kindText),
              let slug = object["slug"] as? String, let title = object["title"] as? String else { return nil }
        self.init(date: date, kind: kind, slug: slug, title: title, detail: object["detail"] as? String)
    }
}
