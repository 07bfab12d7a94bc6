/// A slug named in front matter, with the place it was written, so a bad reference points there.
public struct Reference: Hashable, Sendable {
    public var slug: String
    public var location: SourceLocation

    public init(_ slug: String, at location: SourceLocation) {
        self.slug = slug
        self.location = location
    }
}

/// The Markdown after the front matter, and where it starts in its file.
///
/// A body may be left in its file: the loader does not read a case file whose metadata says it
/// is as the parse cache saw it (Load/FileSignature.swift), and the body is then read only if it
/// must be rendered again (`loaded()`). Bodies are compared, and cached renderings found, by the
/// hash of their Markdown, which is known either way.
public struct Body: Hashable, Sendable {
    /// The Markdown; empty when it is left in its file, or dropped once rendered
    /// (`BriefingGraph.dropMarkdown`).
    public var markdown: String
    /// The file line on which the body's first line stands.
    public var firstLine: Int
    /// `ContentHash` of the Markdown as parsed.
    public let markdownHash: UInt64
    /// The file (absolute path) whose last `length` bytes are the Markdown, when it was left there.
    let leftInFile: (path: String, length: Int)?

    public init(markdown: String, firstLine: Int) {
        self.init(markdown: markdown, firstLine: firstLine, markdownHash: ContentHash.of(markdown))
    }

    init(markdown: String, firstLine: Int, markdownHash: UInt64) {
        self.markdown = markdown
        self.firstLine = firstLine
        self.markdownHash = markdownHash
        leftInFile = nil
    }

    init(leftIn path: String, length: Int, firstLine: Int, markdownHash: UInt64) {
        markdown = ""
        self.firstLine = firstLine
        self.markdownHash = markdownHash
        leftInFile = (path, length)
    }

    public static func == (a: Body, b: Body) -> Bool {
        a.markdownHash == b.markdownHash && a.firstLine == b.firstLine
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(markdownHash)
        hasher.combine(firstLine)
    }
}

/// A person, organization, government or other party (`Content/actors/<slug>.md`).
public struct Actor: Hashable, Sendable {
    public var slug: String
    public var path: String
    public var name: String
    public var type: ActorType
    public var aliases: [String] = []
    public var country: String?
    public var roles: [String] = []
    public var summary: String?
    public var tags: [String] = []
    public var draft = false
    public var updated: DayDate?
    public var extra: ExtraValue?
    public var body: Body

    public init(slug: String, path: String, name: String, type: ActorType, body: Body) {
        self.slug = slug
        self.path = path
        self.name = name
        self.type = type
        self.body = body
    }

    /// Every field, none defaulted: the parser and the parse cache both make actors with it, so
    /// a field added here cannot be forgotten by either.
    public init(slug: String, path: String, name: String, type: ActorType, aliases: [String], country: String?, roles: [String],
                summary: String?, tags: [String], draft: Bool, updated: DayDate?, extra: ExtraValue?, body: Body) {
        self.init(slug: slug, path: path, name: name, type: type, body: body)
        self.aliases = aliases
        self.country = country
        self.roles = roles
        self.summary = summary
        self.tags = tags
        self.draft = draft
        self.updated = updated
        self.extra = extra
    }
}

/// A cited source of an action.
public struct SourceCitation: Hashable, Sendable {
    public var title: String
    public var url: String?
    public var publisher: String?
    public var date: DayDate?

    public init(title: String, url: String? = nil, publisher: String? = nil, date: DayDate? = nil) {
        self.title = title
        self.url = url
        self.publisher = publisher
        self.date = date
    }
}

/// A sanction, counter-sanction, statement, trial... (`Content/actions/<slug>.md`).
public struct Action: Hashable, Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var date: DayDate
    public var type: ActionType
    public var by: [Reference] = []
    public var targets: [Reference] = []
    public var involves: [Reference] = []
    public var measures: [String] = []
    public var legalBasis: [String] = []
    public var status: ActionStatus?
    public var ends: DayDate?
    public var respondsTo: [Reference] = []
    public var related: [Reference] = []
    public var sources: [SourceCitation] = []
    public var summary: String?
    public var tags: [String] = []
    public var draft = false
    public var updated: DayDate?
    public var extra: ExtraValue?
    public var body: Body

    public init(slug: String, path: String, title: String, date: DayDate, type: ActionType, body: Body) {
        self.slug = slug
        self.path = path
        self.title = title
        self.date = date
        self.type = type
        self.body = body
    }

    /// Every field, none defaulted: the parser and the parse cache both make actions with it, so
    /// a field added here cannot be forgotten by either.
    public init(slug: String, path: String, title: String, date: DayDate, type: ActionType, by: [Reference], targets: [Reference],
                involves: [Reference], measures: [String], legalBasis: [String], status: ActionStatus?, ends: DayDate?,
                respondsTo: [Reference], related: [Reference], sources: [SourceCitation], summary: String?, tags: [String],
                draft: Bool, updated: DayDate?, extra: ExtraValue?, body: Body) {
        self.init(slug: slug, path: path, title: title, date: date, type: type, body: body)
        self.by = by
        self.targets = targets
        self.involves = involves
        self.measures = measures
        self.legalBasis = legalBasis
        self.status = status
        self.ends = ends
        self.respondsTo = respondsTo
        self.related = related
        self.sources = sources
        self.summary = summary
        self.tags = tags
        self.draft = draft
        self.updated = updated
        self.extra = extra
    }

    /// The action's newest date: `updated` when it is later than `date`. Feeds, the sitemap and
    /// citations date an action by it.
    public var lastModified: DayDate { max(updated ?? date, date) }

    public func actors(in role: Role) -> [Reference] {
        switch role {
        case .by: by
        case .targets: targets
        case .involves: involves
        }
    }
}

/// A free page: about, methodology (`Content/pages/<slug>.md`), published at `/<slug>/`.
public struct Page: Hashable, Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var summary: String?
    public var draft = false
    public var updated: DayDate?
    public var extra: ExtraValue?
    public var body: Body

    public init(slug: String, path: String, title: String, body: Body) {
        self.slug = slug
        self.path = path
        self.title = title
        self.body = body
    }
}

/// `Content/site.yml`.
public struct SiteConfig: Hashable, Sendable {
    public var title: String
    /// As written, e.g. `https://example.org/xinjiang/`.
    public var baseURL: String
    public var description: String?
    public var language = "en"
    public var author: String?
    public var unsafeHTML = false
    public var extra: ExtraValue?

    public init(title: String, baseURL: String) {
        self.title = title
        self.baseURL = baseURL
    }
}

/// Everything a briefing says, parsed and validated one file at a time, not yet linked.
public struct Briefing: Sendable {
    public var site: SiteConfig
    public var actors: [Actor]
    public var actions: [Action]
    public var pages: [Page]
    /// Slugs of case files that exist but could not be read: their own errors are reported, and
    /// references to them are not reported again as unknown.
    public var unreadableSlugs: Set<String> = []
    /// By path: the fingerprints the parse cache kept with the models it gave
    /// (`contentFingerprint` of actors and actions, `headFingerprint` of pages), so the linker
    /// does not hash 12,000 case files again on every build.
    public var cachedFingerprints: [String: UInt64] = [:]

    public init(site: SiteConfig, actors: [Actor], actions: [Action], pages: [Page]) {
        self.site = site
        self.actors = actors
        self.actions = actions
        self.pages = pages
    }
}
