/// What a `[[slug]]` or a reference can point at.
public struct LinkTarget: Hashable, Sendable {
    public enum Kind: String, Sendable { case actor, action, page }
    public var kind: Kind
    public var slug: String
    /// The actor's name, or the action's or page's title: the default text of a link.
    public var title: String
    /// Drafts are left out of the site unless `--drafts`: a link to one becomes plain text.
    public var isPublished: Bool
}

/// The whole briefing linked into one graph: who acted, on whom, in response to what.
///
/// Only published case files are in the lists. Every list of actions is newest first with ties
/// broken by slug, so nothing here depends on the order in which files were read.
public struct BriefingGraph: Sendable {
    public var site: SiteConfig
    /// By slug.
    public var actors: [Actor]
    /// Newest first, then by slug.
    public var actions: [Action]
    /// By slug.
    public var pages: [Page]
    /// Every slug of the briefing, drafts included, for resolving links.
    public var targets: [String: LinkTarget]
    /// Slugs of case files that could not be read (see `Briefing.unreadableSlugs`).
    public var unreadableSlugs: Set<String> = []

    public var actorIndex: [String: Int] = [:]
    public var actionIndex: [String: Int] = [:]
    /// For each actor slug and role, the indices in `actions` of the actions naming it so.
    public var actionsOfActor: [String: [Role: [Int]]] = [:]
    /// For each action, in `actions`' order, the published actors it names, each once, by role
    /// (`by`, `targets`, `involves`) and then as named: indices in `actors`.
    public var linkedActors: [[Int]] = []
    /// For each action slug, the actions whose `responds_to` names it.
    public var responses: [String: [Int]] = [:]
    /// For each action slug, `related` in both directions.
    public var related: [String: [Int]] = [:]
    /// For each action slug, its own `responds_to`, resolved to published actions.
    public var respondsTo: [String: [Int]] = [:]
    /// `responses` and `respondsTo` by index in `actions`, for walks over many actions (a
    /// dictionary lookup hashes the slug).
    public var responsesByIndex: [[Int]] = []
    public var respondsToByIndex: [[Int]] = []
    /// The newest date the content names (`Standing.newestDate`), worked out once by the linker:
    /// every actor page and record asks for it.
    public var newestDate: DayDate?
    /// `contentFingerprint` of each actor and action and `headFingerprint` of each page, in the
    /// lists' order (Model/ModelFingerprints.swift), made once by the linker: the render keys,
    /// the search index's keys and the change log all start from them.
    public var actorFingerprints: [UInt64] = []
    public var actionFingerprints: [UInt64] = []
    public var pageFingerprints: [UInt64] = []

    public func actor(_ slug: String) -> Actor? { actorIndex[slug].map { actors[$0] } }
    public func action(_ slug: String) -> Action? { actionIndex[slug].map { actions[$0] } }

    /// Whether the site publishes the actor or action: `actor(_:)` and `action(_:)` copy the
    /// whole case file, too much to ask only that (the change log asks 12,000 times).
    public func hasActor(_ slug: String) -> Bool { actorIndex[slug] != nil }
    public func hasAction(_ slug: String) -> Bool { actionIndex[slug] != nil }

    /// Newest first, ties by slug.
    static func isNewer(_ a: Action, than b: Action) -> Bool {
        a.date != b.date ? a.date > b.date : a.slug < b.slug
    }

    /// Empties every body's Markdown once it is rendered (`Body.firstLine` stays).
    mutating func dropMarkdown() {
        for index in actors.indices { actors[index].body.markdown = "" }
        for index in actions.indices { actions[index].body.markdown = "" }
        for index in pages.indices { pages[index].body.markdown = "" }
    }
}
