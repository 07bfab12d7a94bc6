/// Every internal address of the site, prefixed with the base path, so links work at a domain
/// root and under a sub-path alike.
public struct SiteURLs: Sendable {
    /// `/xinjiang/` (always starts and ends with `/`).
    public let basePath: String
    /// `https://example.org`
    public let origin: String

    public init(baseURL: String) {
        self.basePath = BaseURL.path(of: baseURL) ?? "/"
        self.origin = BaseURL.origin(of: baseURL)
    }

    public var home: String { basePath }
    public var actors: String { basePath + "actors/" }
    public var actions: String { basePath + "actions/" }
    public var search: String { basePath + "search/" }
    public var feed: String { basePath + "feed.xml" }
    public var searchIndex: String { basePath + "search-index.json" }
    public var assets: String { basePath + "assets/" }

    public func actor(_ slug: String) -> String { basePath + "actors/" + slug + "/" }
    public func action(_ slug: String) -> String { basePath + "actions/" + slug + "/" }
    public func page(_ slug: String) -> String { basePath + slug + "/" }

    public func url(of target: LinkTarget) -> String {
        switch target.kind {
        case .actor: actor(target.slug)
        case .action: action(target.slug)
        case .page: page(target.slug)
        }
    }

    /// The absolute URL of an internal path, for feeds, sitemaps and canonical links.
    public func absolute(_ path: String) -> String { origin + path }
}
