/// The Atom feeds a reader subscribes to for one subject: an actor's actions (any role), a tag's
/// actions, and the change log. Like the site feed, every date comes from the content.
public enum ExtraFeeds {
    public static func actions(title: String, feedPath: String, pagePath: String, indices: [Int], graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let actions = indices.prefix(Feeds.feedLimit).map { graph.actions[$0] }
        let updated = actions.map { max($0.updated ?? $0.date, $0.date) }.max() ?? Standing.asOf(graph) ?? DayDate(year: 2000, month: 1, day: 1)!
        var xml = header(title: title, feedPath: feedPath, pagePath: pagePath, updated: updated, graph: graph, urls: urls)
        for action in actions {
            let url = urls.absolute(urls.action(action.slug))
            xml += """
              <entry>
                <title>\(XML.escape(action.title))</title>
                <id>\(XML.escape(url))</id>
                <link rel="alternate" type="text/html" href="\(XML.escape(url))"/>
                <published>\(action.date.timestamp)</published>
                <updated>\(max(action.updated ?? action.date, action.date).timestamp)</updated>

            """
            for name in PageModels.uniqueSlugs(action.by).compactMap({ graph.actor($0)?.name }) { xml += "    <author><name>\(XML.escape(name))</name></author>\n" }
            xml += "    <category term=\"\(XML.escape(action.type.rawValue))\" label=\"\(XML.escape(action.type.label))\"/>\n"
            if let summary = action.summary { xml += "    <summary>\(XML.escape(summary))</summary>\n" }
            xml += "    <content type=\"html\">\(XML.escape(bodies[action.slug]?.html ?? ""))</content>\n"
            xml += "  </entry>\n"
        }
        return xml + "</feed>\n"
    }

    public static func changes(_ log: ChangeLog, graph: BriefingGraph) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let entries = log.entries.prefix(Feeds.feedLimit)
        let updated = entries.map(\.date).max() ?? Standing.asOf(graph) ?? DayDate(year: 2000, month: 1, day: 1)!
        var xml = header(title: "\(graph.site.title): what changed", feedPath: urls.changesFeed, pagePath: urls.changes, updated: updated, graph: graph, urls: urls)
        for entry in entries {
            let anchor = urls.absolute(urls.changes) + "#" + entry.id
            let link = ChangeLog.url(of: entry, urls: urls, graph: graph).map(urls.absolute) ?? anchor
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

    static func header(title: String, feedPath: String, pagePath: String, updated: DayDate, graph: BriefingGraph, urls: SiteURLs) -> String {
        let site = graph.site
        return """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(XML.escape(site.language))">
          <title>\(XML.escape(title))</title>
          <id>\(XML.escape(urls.absolute(feedPath)))</id>
          <link rel="self" type="application/atom+xml" href="\(XML.escape(urls.absolute(feedPath)))"/>
          <link rel="alternate" type="text/html" href="\(XML.escape(urls.absolute(pagePath)))"/>
          <updated>\(updated.timestamp)</updated>
          <author><name>\(XML.escape(site.author ?? site.title))</name></author>
          <generator>Dossier</generator>

        """
    }
}
