/// Addresses of the pages and files issue 6 added: facets, per-page data and feeds, exports,
/// the change log. Kept apart from `SiteURLs` so the core addresses read on one screen.
extension SiteURLs {
    public func facetIndex(_ kind: FacetKind) -> String { basePath + kind.folder + "/" }
    public func facet(_ kind: FacetKind, _ slug: String) -> String { basePath + kind.folder + "/" + slug + "/" }
    public func tagFeed(_ slug: String) -> String { facet(.tag, slug) + "feed.xml" }
    public func actorFeed(_ slug: String) -> String { actor(slug) + "feed.xml" }
    public func actorJSON(_ slug: String) -> String { actor(slug) + "index.json" }
    public func actionJSON(_ slug: String) -> String { action(slug) + "index.json" }
    public var changes: String { basePath + "changes/" }
    public var changesFeed: String { changes + "feed.xml" }
    public var changesJSON: String { changes + "index.json" }
    /// The change log's entries of one year (`ChangeLog.years`).
    public func changes(year: Int) -> String { changes + String(year) + "/" }
    public var actorsCSV: String { basePath + "actors.csv" }
    public var actionsCSV: String { basePath + "actions.csv" }
    public var entities: String { basePath + "entities.ftm.json" }
}
