/// What the pages added for issue 6 (facets, pictures, standing, citation) need from the whole
/// briefing, worked out once per build rather than once per page.
public struct PageExtras: Sendable {
    public let facets: Facets
    /// The briefing's newest date: "in force as of" and the date a citation gives.
    public let asOf: DayDate?

    public init(graph: BriefingGraph) {
        facets = Facets(graph: graph)
        asOf = Standing.asOf(graph)
    }

    func facetLinks(_ kind: FacetKind, _ values: [String], urls: SiteURLs) -> TemplateValue {
        .list(values.compactMap { value in
            facets.slug(kind, value).map { .object(["label": .text(value), "url": .text(urls.facet(kind, $0))]) }
        })
    }

    static func alternate(_ type: String, _ url: String, _ title: String) -> TemplateValue {
        .object(["type": .text(type), "url": .text(url), "title": .text(title)])
    }

    /// A citation in the common "Author, title, publication, date, address" order.
    static func cite(title: String, site: SiteConfig, url: String, date: DayDate?) -> TemplateValue {
        var text = "\(site.author ?? site.title). “\(title).” \(site.title)"
        if let date { text += ", \(date.label)" }
        text += ". \(url)"
        return .object(["text": .text(text), "title": .text(title), "url": .text(url), "date": .optionalText(date?.description), "date_label": .optionalText(date?.label)])
    }

    /// The key of each facet's index under `urls` (`legal_basis` for `legal-basis/`), made once:
    /// Foundation's `replacingOccurrences` on every page was a visible part of a full build.
    static let facetLinkKeys: [(FacetKind, TemplateKey)] = FacetKind.allCases.map { kind in
        (kind, TemplateKey(String(kind.folder.map { $0 == "-" ? "_" : $0 })))
    }

    /// The site's addresses every page has under `urls`: `links`, and those of issue 6's pages
    /// and exports.
    static func urlsObject(_ links: [TemplateKey: TemplateValue], urls: SiteURLs) -> TemplateValue {
        var links = links
        for (kind, key) in facetLinkKeys { links[key] = .text(urls.facetIndex(kind)) }
        links["changes"] = .text(urls.changes)
        links["changes_feed"] = .text(urls.changesFeed)
        links["actors_csv"] = .text(urls.actorsCSV)
        links["actions_csv"] = .text(urls.actionsCSV)
        links["entities"] = .text(urls.entities)
        return .object(links)
    }

    /// The actor page's map, feeds, data, facet links and what is in force against it.
    func decorateActor(_ context: inout [TemplateKey: TemplateValue], _ actor: Actor, graph: BriefingGraph, urls: SiteURLs, actorLink: (String) -> TemplateValue) {
        guard case .object(var values) = context["actor"] else { return }
        let targeting = graph.actionsOfActor[actor.slug]?[.targets] ?? []
        let inForce = targeting.filter { Standing.isInForce($0, in: graph, asOf: asOf) }
        values["relation_map"] = RelationMap.html(for: actor, graph: graph, urls: urls).map(TemplateValue.html) ?? .absent
        // Read through the graph's array: an action bound to a name is copied whole.
        values["in_force"] = .list(inForce.map { index in
            .object([
                "title": .text(graph.actions[index].title), "url": .text(urls.action(graph.actions[index].slug)),
                "date": .text(graph.actions[index].date.description), "date_label": .text(graph.actions[index].date.label),
                "measures": PageModels.textList(graph.actions[index].measures), "has_measures": .bool(!graph.actions[index].measures.isEmpty),
                "ends": .optionalText(graph.actions[index].ends?.description), "ends_label": .optionalText(graph.actions[index].ends?.label),
                "by": .list(PageModels.uniqueSlugs(graph.actions[index].by).map(actorLink)),
            ])
        })
        values["has_in_force"] = .bool(!inForce.isEmpty)
        values["country_url"] = .optionalText(actor.country.flatMap { facets.slug(.country, $0) }.map { urls.facet(.country, $0) })
        values["tag_links"] = facetLinks(.tag, actor.tags, urls: urls)
        values["feed_url"] = .text(urls.actorFeed(actor.slug))
        values["json_url"] = .text(urls.actorJSON(actor.slug))
        context["actor"] = .object(values)
        context["alternates"] = .list([
            Self.alternate("application/atom+xml", urls.actorFeed(actor.slug), "\(actor.name): actions"),
            Self.alternate("application/json", urls.actorJSON(actor.slug), "\(actor.name): data (JSON)"),
        ])
        context["cite"] = Self.cite(title: actor.name, site: graph.site, url: urls.absolute(urls.actor(actor.slug)), date: actor.updated ?? asOf)
    }

    /// The action page's chain of responses, data, facet links and standing.
    func decorateAction(_ summary: inout [TemplateKey: TemplateValue], context: inout [TemplateKey: TemplateValue], _ action: Action, graph: BriefingGraph, urls: SiteURLs) {
        summary["response_chain"] = ResponseChain.html(for: action, graph: graph, urls: urls).map(TemplateValue.html) ?? .absent
        summary["tag_links"] = facetLinks(.tag, action.tags, urls: urls)
        summary["legal_basis_links"] = facetLinks(.legalBasis, action.legalBasis, urls: urls)
        let effective = Standing.effectiveStatus(action, asOf: asOf)
        summary["effective_status"] = .optionalText(effective?.rawValue)
        summary["effective_status_label"] = .optionalText(effective?.label)
        summary["status_differs"] = .bool(effective != action.status)
        summary["json_url"] = .text(urls.actionJSON(action.slug))
        context["alternates"] = .list([Self.alternate("application/json", urls.actionJSON(action.slug), "\(action.title): data (JSON)")])
        context["cite"] = Self.cite(title: action.title, site: graph.site, url: urls.absolute(urls.action(action.slug)), date: action.lastModified)
    }
}
