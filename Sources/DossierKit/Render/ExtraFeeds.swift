import Foundation

/// The Atom feeds a reader subscribes to for one subject: an actor's actions (any role), a tag's
/// actions, and the change log. Like the site feed, every date comes from the content.
public enum ExtraFeeds {
    public static func actions(title: String, feedPath: String, pagePath: String, indices: [Int], graph: BriefingGraph, entries: FeedEntries) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let shown = Array(indices.prefix(Feeds.feedLimit))
        let updated = shown.map { graph.actions[$0].lastModified }.max() ?? Standing.asOf(graph) ?? DayDate.fallback
        var xml = Feeds.header(title: title, feedPath: feedPath, pagePath: pagePath, updated: updated, site: graph.site, urls: urls)
        for index in shown { xml += entries.summaryEntry(index) }
        return xml + "</feed>\n"
    }

    public static func changes(_ log: ChangeLog, graph: BriefingGraph) -> String {
        changes(log, site: graph.site, asOf: Standing.asOf(graph)) { ChangeLog.isPublished($0, in: graph) }
    }

    /// The change log's feed, each entry linked to its page while `isPublished`.
    static func changes(_ log: ChangeLog, site: SiteConfig, asOf: DayDate?, isPublished: (ChangeEntry) -> Bool) -> String {
        let urls = SiteURLs(baseURL: site.baseURL)
        let entries = log.entries.prefix(Feeds.feedLimit)
        let updated = entries.map(\.date).max() ?? asOf ?? DayDate.fallback
        var xml = Feeds.header(title: "\(site.title): what changed", feedPath: urls.changesFeed, pagePath: urls.changes, updated: updated, site: site, urls: urls)
        for entry in entries {
            let anchor = urls.absolute(urls.changes) + "#" + entry.id
            let link = ChangeLog.url(of: entry, urls: urls, isPublished: isPublished).map(urls.absolute) ?? anchor
            let title = "\(entry.kind.label): \(entry.title)" + (entry.detail.map { " (\($0))" } ?? "")
            xml += """
              <entry>
                <title>\(XML.escape(title))</title>
                <id>\(XML.escape(anchor))</id>
                <link rel="alternate" type="text/html" href="\(XML.escape(link))"/>
                <updated>\(entry.date.timestamp)</updated>
                <category term="\(XML.escape(entry.kind.rawValue))" label="\(XML.escape(entry.kind.label))"/>
                <summary>\(XML.escape(title))</summary>
              </entry>

            """
        }
        return xml + "</feed>\n"
    }
}

/// Each action's Atom entries, made once however many feeds carry them: the full one (body and
/// all) for the site's feed, the summary for the feeds of each actor it names and each of its
/// tags. Thread-safe.
public final class FeedEntries: @unchecked Sendable {
    private let entries: LazyValues<String>
    private let summaryEntries: LazyValues<String>

    public init(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        // Read through the graph's arrays: an action or actor bound to a name is copied whole.
        @Sendable func authors(_ index: Int) -> [String] {
            PageModels.uniqueSlugs(graph.actions[index].by).compactMap { slug in graph.actorIndex[slug].map { graph.actors[$0].name } }
        }
        entries = LazyValues(count: graph.actions.count) { index in
            Feeds.entry(graph.actions[index], authors: authors(index), bodies: bodies, urls: urls)
        }
        summaryEntries = LazyValues(count: graph.actions.count) { index in
            Feeds.entry(graph.actions[index], authors: authors(index), bodies: bodies, urls: urls, full: false)
        }
    }

    /// The entry of `graph.actions[index]` with its body.
    public func entry(_ index: Int) -> String {
        entries[index]
    }

    /// The entry of `graph.actions[index]` with its summary only.
    public func summaryEntry(_ index: Int) -> String {
        summaryEntries[index]
    }
}
