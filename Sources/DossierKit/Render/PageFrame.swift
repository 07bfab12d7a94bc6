import Foundation

/// What every page shows whatever it is about: the site, its addresses, the navigation (which
/// lists the briefing's pages) and the briefing's date, made once rather than for each of 12,000
/// pages. `PageModels` makes it from the graph; a rebuild that changed only bodies makes it from
/// `site.yml` and the patch state (Build/BodyPatch.swift), for the change log's page.
struct PageFrame: Sendable {
    let site: SiteConfig
    let urls: SiteURLs
    /// The briefing's newest date (`Standing.asOf`): "in force as of" and a citation's date.
    let asOf: DayDate?
    private let siteValue: TemplateValue
    private let urlsValue: TemplateValue
    private let navigation: [(title: String, url: String, key: String)]
    private let navigationByKey: [String: TemplateValue]

    /// `pages`: the published pages' slugs and titles, in the graph's order.
    init(site: SiteConfig, pages: [(slug: String, title: String)], asOf: DayDate?) {
        self.site = site
        let urls = SiteURLs(baseURL: site.baseURL)
        self.urls = urls
        self.asOf = asOf
        siteValue = .object([
            "title": .text(site.title),
            "description": .optionalText(site.description),
            "language": .text(site.language),
            "author": .optionalText(site.author),
            "base_url": .text(site.baseURL),
            "base_path": .text(urls.basePath),
            "extra": site.extra.map(PageModels.value) ?? .absent,
        ])
        urlsValue = PageExtras.urlsObject([
            "home": .text(urls.home), "actors": .text(urls.actors), "actions": .text(urls.actions),
            "search": .text(urls.search), "feed": .text(urls.feed), "search_index": .text(urls.searchIndex),
            "assets": .text(urls.assets),
        ], urls: urls)
        let navigation: [(title: String, url: String, key: String)] = [("Home", urls.home, "home"), ("Actors", urls.actors, "actors"), ("Actions", urls.actions, "actions")]
            + pages.map { ($0.title, urls.page($0.slug), "page-\($0.slug)") } + [("Search", urls.search, "search")]
        self.navigation = navigation
        var navigationByKey: [String: TemplateValue] = [:]
        for key in ["home", "actors", "actions", "search"] { navigationByKey[key] = Self.navigationList(navigation, current: key) }
        self.navigationByKey = navigationByKey
    }

    private static func navigationList(_ navigation: [(title: String, url: String, key: String)], current: String) -> TemplateValue {
        .list(navigation.map { title, url, key in
            .object(["title": .text(title), "url": .text(url), "current": .bool(key == current)])
        })
    }

    /// What every page has: the site, navigation, breadcrumbs, the page's own meta data, its
    /// citation and the briefing's date.
    func common(kind: String, title: String, description: String?, path: String, breadcrumbs: [(String, String?)]) -> [TemplateKey: TemplateValue] {
        let currentKey: String = switch kind {
        case "actor": "actors"
        case "action": "actions"
        case "page": "page-\(path.split(separator: "/").last.map(String.init) ?? "")"
        default: kind
        }
        return [
            "site": siteValue,
            "page_kind": .text(kind),
            "page_title": .text(title),
            "page_description": .optionalText(description ?? site.description),
            "page_url": .text(path),
            "canonical_url": .text(urls.absolute(path)),
            "urls": urlsValue,
            "nav": navigationByKey[currentKey] ?? Self.navigationList(navigation, current: currentKey),
            "breadcrumbs": .list(breadcrumbs.map { title, url in
                .object(["title": .text(title), "url": .optionalText(url), "has_url": .bool(url != nil)])
            }),
            "has_breadcrumbs": .bool(!breadcrumbs.isEmpty),
            "alternates": .list([]),
            "og_type": .text(kind == "action" || kind == "page" ? "article" : (kind == "actor" ? "profile" : "website")),
            "cite": kind == "404" || kind == "search" ? .absent : PageExtras.cite(title: title, site: site, url: urls.absolute(path), date: asOf),
            "as_of": .optionalText(asOf?.description),
            "as_of_label": .optionalText(asOf?.label),
        ]
    }

    /// A page of the change log: its newest entries (`ChangeLog.recentCount`), or with `year`
    /// those of that year, by day, each linked to its page while `isPublished`; and the years.
    func changes(_ log: ChangeLog, year: Int? = nil, isPublished: (ChangeEntry) -> Bool) -> [TemplateKey: TemplateValue] {
        changes(shown: year.map { log.entries(of: $0) } ?? log.entries.prefix(ChangeLog.recentCount), of: log.entries.count, years: log.years,
                year: year, isPublished: isPublished)
    }

    /// The same from the entries the page shows (the newest, or those of `year`), how many
    /// the log has, and the years that have some: all a rebuild that patched the log reads of it
    /// (`ChangeLogPatch`).
    func changes(shown: ArraySlice<ChangeEntry>, of count: Int, years: [Int], year: Int?, isPublished: (ChangeEntry) -> Bool) -> [TemplateKey: TemplateValue] {
        var context: [TemplateKey: TemplateValue]
        if let year {
            context = common(kind: "changes", title: "What changed in \(year)", description: "New actions, status changes and edits in \(site.title) in \(year), newest first.",
                             path: urls.changes(year: year), breadcrumbs: [("Home", urls.home), ("What changed", urls.changes), (String(year), nil)])
        } else {
            context = common(kind: "changes", title: "What changed", description: "New actions, status changes and edits in \(site.title), newest first.",
                             path: urls.changes, breadcrumbs: [("Home", urls.home), ("What changed", nil)])
        }
        context["change_year"] = year.map { .text(String($0)) } ?? .absent
        context["change_years"] = .list(years.map { other in
            .object(["year": .text(String(other)), "url": .text(urls.changes(year: other)), "current": .bool(other == year)])
        })
        context["has_change_years"] = .bool(!years.isEmpty)
        context["has_earlier_changes"] = .bool(year == nil && count > shown.count)
        var days: [(DayDate, [ChangeEntry])] = []
        for entry in shown {
            if days.last?.0 == entry.date { days[days.count - 1].1.append(entry) } else { days.append((entry.date, [entry])) }
        }
        context["change_days"] = .list(days.map { date, entries in
            .object([
                "date": .text(date.description), "date_label": .text(date.label),
                "entries": .list(entries.map { entry in
                    let url = ChangeLog.url(of: entry, urls: urls, isPublished: isPublished)
                    return .object([
                        "id": .text(entry.id), "kind": .text(entry.kind.rawValue), "kind_label": .text(entry.kind.label),
                        "slug": .text(entry.slug), "title": .text(entry.title), "detail": .optionalText(entry.detail),
                        "url": .optionalText(url), "linked": .bool(url != nil),
                    ])
                }),
            ])
        })
        context["change_count"] = .number(shown.count)
        context["has_changes"] = .bool(!shown.isEmpty)
        context["alternates"] = .list([
            PageExtras.alternate("application/atom+xml", urls.changesFeed, "\(site.title): what changed"),
            PageExtras.alternate("application/json", urls.changesJSON, "\(site.title): what changed (JSON)"),
        ])
        return context
    }
}
