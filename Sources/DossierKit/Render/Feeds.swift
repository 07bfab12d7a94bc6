import CDossierSystem
/// The Atom feed of actions and the sitemap.
public enum Feeds {
    /// How many actions the feed carries, newest first, as feed readers expect a bounded feed.
    public static let feedLimit = 50

    public static func atom(graph: BriefingGraph, entries: FeedEntries) -> String {
        let site = graph.site
        let urls = SiteURLs(baseURL: site.baseURL)
        // The feed's date comes from the content, never the clock, so builds are reproducible.
        // By index: `map` copies each action whole.
        let updated = graph.actions.indices.map { graph.actions[$0].lastModified }.max()
            ?? graph.actors.indices.compactMap { graph.actors[$0].updated }.max() ?? DayDate.fallback
        // The site feed is identified by the site's home page, which it stands for.
        var xml = header(title: site.title, subtitle: site.description, idPath: urls.home, feedPath: urls.feed, pagePath: urls.home, updated: updated, site: graph.site, urls: urls)
        for index in graph.actions.indices.prefix(feedLimit) { xml += entries.entry(index) }
        return xml + "</feed>\n"
    }

    /// The opening of an Atom feed, up to its first entry; every feed of the site starts so. Its
    /// id is the feed's own address unless `idPath` says otherwise.
    static func header(title: String, subtitle: String? = nil, idPath: String? = nil, feedPath: String, pagePath: String, updated: DayDate, site: SiteConfig, urls: SiteURLs) -> String {
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(XML.escape(site.language))">
          <title>\(XML.escape(title))</title>

        """
        if let subtitle { xml += "  <subtitle>\(XML.escape(subtitle))</subtitle>\n" }
        xml += """
          <id>\(XML.escape(urls.absolute(idPath ?? feedPath)))</id>
          <link rel="self" type="application/atom+xml" href="\(XML.escape(urls.absolute(feedPath)))"/>
          <link rel="alternate" type="text/html" href="\(XML.escape(urls.absolute(pagePath)))"/>
          <updated>\(updated.timestamp)</updated>
          <author><name>\(XML.escape(site.author ?? site.title))</name></author>
          <generator>Dossier</generator>

        """
        return xml
    }

    /// How long a subject feed's summary of an action without one of its own is: the start of
    /// its body's text, cut at a word.
    static let summaryLimit = 280

    /// One action as an Atom entry: with its body as the content (`full`, the site feed), or with
    /// only its summary (an actor's or tag's feed): its `summary`, else the start of its body's
    /// text. A subject's feed tells its reader that an action names them; carrying every body in
    /// full made the actors' feeds a quarter of the site's bytes (145 MB of 637 at 10,000
    /// actions), each body copied into the feed of every actor it names.
    static func entry(_ action: Action, authors: [String], bodies: [String: RenderedMarkdown], urls: SiteURLs, full: Bool = true) -> String {
        let url = urls.absolute(urls.action(action.slug))
        var xml = """
          <entry>
            <title>\(XML.escape(action.title))</title>
            <id>\(XML.escape(url))</id>
            <link rel="alternate" type="text/html" href="\(XML.escape(url))"/>
            <published>\(action.date.timestamp)</published>
            <updated>\(action.lastModified.timestamp)</updated>

        """
        for name in authors { xml += "    <author><name>\(XML.escape(name))</name></author>\n" }
        xml += "    <category term=\"\(XML.escape(action.type.rawValue))\" label=\"\(XML.escape(action.type.label))\"/>\n"
        if let summary = action.summary ?? (full ? nil : bodyStart(bodies[action.slug])) {
            xml += "    <summary>\(XML.escape(summary))</summary>\n"
        }
        if full { xml += "    <content type=\"html\">\(XML.escape(bodies[action.slug]?.html ?? ""))</content>\n" }
        return xml + "  </entry>\n"
    }

    /// The start of a body's plain text, nil for no text.
    private static func bodyStart(_ body: RenderedMarkdown?) -> String? {
        guard let body else { return nil }
        let start = SearchShards.clip(body.plainText, to: summaryLimit)
        return start.isEmpty ? nil : start
    }

    public static func sitemap(graph: BriefingGraph, facets: Facets? = nil, changeYears: [Int] = []) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        var entries: [(path: String, lastModified: DayDate?)] = [
            (urls.home, graph.actions.first?.date), (urls.actors, nil), (urls.actions, graph.actions.first?.date), (urls.search, nil),
        ]
        // By index: `map` over the case files copies each whole.
        entries += graph.actors.indices.map { (urls.actor(graph.actors[$0].slug), graph.actors[$0].updated) }
        entries += graph.actions.indices.map { (urls.action(graph.actions[$0].slug), graph.actions[$0].lastModified) }
        entries += graph.pages.indices.map { (urls.page(graph.pages[$0].slug), graph.pages[$0].updated) }
        entries += SiteExtras.sitemapPaths(graph, facets: facets ?? Facets(graph: graph), changeYears: changeYears).map { ($0, nil) }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in entries {
            xml += "  <url><loc>\(XML.escape(urls.absolute(entry.path)))</loc>"
            if let date = entry.lastModified { xml += "<lastmod>\(date)</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        return xml
    }
}

/// Text made safe for XML and HTML, as content or as a quoted attribute value.
public enum XML {
    /// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids
    /// (C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF). Feeds escape every
    /// body's HTML, so it works on the UTF-8 bytes, in C (`dossier_xml_escape`), and text with
    /// nothing to escape is returned as it is.
    public static func escape(_ text: String) -> String {
        var text = text
        let escaped: String? = text.withUTF8 { source in
            guard let base = source.baseAddress, dossier_xml_special_offset(base, UInt(source.count)) < UInt(source.count) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6 * source.count) { output in
                let written = Int(dossier_xml_escape(base, UInt(source.count), output.baseAddress!))
                return String(decoding: UnsafeBufferPointer(rebasing: output[0..<written]), as: UTF8.self)
            }
        }
        return escaped ?? text
    }
}
