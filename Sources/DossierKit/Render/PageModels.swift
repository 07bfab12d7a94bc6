import Foundation

/// Builds the values each template sees (documented in TEMPLATES.md). Pure: graph in, values out.
public struct PageModels: Sendable {
    public let graph: BriefingGraph
    public let urls: SiteURLs
    /// Rendered bodies by slug.
    public let bodies: [String: RenderedMarkdown]
    /// `actionSummary` of each action, by index in `graph.actions`, made once when first asked
    /// for: an action shows in the lists of every actor it names, of the actions around it, and
    /// of the home and actions pages, and these values are immutable and shared, not copied. A
    /// rebuild that renders few pages makes few of them.
    private let actionSummaries: LazyValues<TemplateValue>
    /// Facets, standing and the other whole-briefing values of issue 6 (Render/PageExtras.swift).
    let extras: PageExtras
    /// `actorLink` of each published actor, by index in `graph.actors`, made once when first
    /// asked for, like `actionSummaries`: every list of actions shows the actors each names.
    private let actorLinks: ActorLinks
    /// `actorGroups`, made once when first asked for: the home page and the actors page both
    /// show every actor, and both are rendered, to be keyed by their values, on every build.
    private let actorGroupsValue: LazyValues<TemplateValue>
    /// What `common` gives every page alike (Render/PageFrame.swift).
    let frame: PageFrame

    /// How many actions the home page lists.
    static let latestCount = 20

    public init(graph: BriefingGraph, bodies: [String: RenderedMarkdown], extras: PageExtras? = nil) {
        self.graph = graph
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        self.urls = urls
        self.bodies = bodies
        let actorLinks = ActorLinks(graph: graph, urls: urls)
        self.actorLinks = actorLinks
        self.actionSummaries = LazyValues(count: graph.actions.count) { index in
            Self.actionSummary(graph.actions[index], graph: graph, urls: urls, actorLinks: actorLinks)
        }
        let extras = extras ?? PageExtras(graph: graph)
        self.extras = extras
        actorGroupsValue = LazyValues(count: 1) { _ in Self.actorGroups(graph: graph, urls: urls, facets: extras.facets) }
        frame = PageFrame(site: graph.site, pages: graph.pages.map { ($0.slug, $0.title) }, asOf: extras.asOf)
    }

    // MARK: Shared parts

    /// What every page has: the site, navigation, breadcrumbs and the page's own meta data.
    func common(kind: String, title: String, description: String?, path: String, breadcrumbs: [(String, String?)]) -> [TemplateKey: TemplateValue] {
        frame.common(kind: kind, title: title, description: description, path: path, breadcrumbs: breadcrumbs)
    }

    func actorLink(_ slug: String) -> TemplateValue {
        actorLinks.link(slug)
    }

    static func actorLink(_ slug: String, graph: BriefingGraph, urls: SiteURLs) -> TemplateValue {
        // Fields read in place: `graph.actor(slug)` copies the whole actor.
        if let index = graph.actorIndex[slug] {
            return .object(["slug": .text(slug), "name": .text(graph.actors[index].name), "url": .text(urls.actor(slug)), "linked": .bool(true),
                            "type_label": .text(graph.actors[index].type.label)])
        }
        // A draft left out of the site: its name as plain text.
        let name = graph.targets[slug]?.title ?? slug
        return .object(["slug": .text(slug), "name": .text(name), "url": .absent, "linked": .bool(false), "type_label": .absent])
    }

    /// An action as lists show it: shared by every list it is in, so that its list item is
    /// rendered once (`SharedTemplateObject`).
    static func actionSummary(_ action: Action, graph: BriefingGraph, urls: SiteURLs, actorLinks: ActorLinks) -> TemplateValue {
        .shared(SharedTemplateObject(actionSummaryValues(action, graph: graph, urls: urls, actorLinks: actorLinks)))
    }

    static func actionSummaryValues(_ action: Action, graph: BriefingGraph, urls: SiteURLs, actorLinks: ActorLinks) -> [TemplateKey: TemplateValue] {
        func actorLink(_ slug: String) -> TemplateValue { actorLinks.link(slug) }
        func uniqueSlugs(_ references: [Reference]) -> [String] { Self.uniqueSlugs(references) }
        return [
            "slug": .text(action.slug),
            "title": .text(action.title),
            "url": .text(urls.action(action.slug)),
            "date": .text(action.date.description),
            "date_label": .text(action.date.label),
            "type": .text(action.type.rawValue),
            "type_label": .text(action.type.label),
            "type_url": .text(urls.facet(.type, action.type.rawValue)),
            "status": .optionalText(action.status?.rawValue),
            "status_label": .optionalText(action.status?.label),
            "ends": .optionalText(action.ends?.description),
            "ends_label": .optionalText(action.ends?.label),
            "summary": .optionalText(action.summary),
            "by": .list(uniqueSlugs(action.by).map(actorLink)),
            "targets": .list(uniqueSlugs(action.targets).map(actorLink)),
            "has_targets": .bool(!action.targets.isEmpty),
        ]
    }

    func uniqueSlugs(_ references: [Reference]) -> [String] {
        Self.uniqueSlugs(references)
    }

    static func uniqueSlugs(_ references: [Reference]) -> [String] {
        // An action names a handful of actors: looking back through those found beats hashing
        // each into a new set.
        guard references.count > 16 else {
            var slugs: [String] = []
            slugs.reserveCapacity(references.count)
            for index in references.indices where !slugs.contains(references[index].slug) { slugs.append(references[index].slug) }
            return slugs
        }
        var seen = Set<String>()
        return references.map(\.slug).filter { seen.insert($0).inserted }
    }

    func actionList(_ indices: [Int]) -> TemplateValue {
        .list(indices.map { actionSummaries[$0] })
    }

    static func textList(_ values: [String]) -> TemplateValue { .list(values.map(TemplateValue.text)) }

    static func value(_ extra: ExtraValue) -> TemplateValue {
        switch extra {
        case .string(let text): .text(text)
        case .bool(let bool): .bool(bool)
        case .list(let values): .list(values.map(value))
        case .mapping(let pairs): .object(Dictionary(pairs.map { (TemplateKey($0.key), value($0.value)) }, uniquingKeysWith: { first, _ in first }))
        case .null: .absent
        }
    }

    // MARK: Pages

    public func home() -> [TemplateKey: TemplateValue] {
        var context = common(kind: "home", title: graph.site.title, description: graph.site.description, path: urls.home, breadcrumbs: [])
        let latest = Array(graph.actions.indices.prefix(Self.latestCount))
        context["latest_actions"] = actionList(latest)
        context["has_more_actions"] = .bool(graph.actions.count > latest.count)
        context["counts"] = .object([
            "actors": .number(graph.actors.count), "actions": .number(graph.actions.count), "pages": .number(graph.pages.count),
        ])
        context["actor_groups"] = actorGroups()
        // Counted through indices: a closure over `graph.actions` copies every action.
        var typeCounts: [ActionType: Int] = [:]
        for index in graph.actions.indices { typeCounts[graph.actions[index].type, default: 0] += 1 }
        context["action_types"] = .list(ActionType.allCases.compactMap { type in
            let count = typeCounts[type] ?? 0
            return count == 0 ? nil : .object(["type": .text(type.rawValue), "label": .text(type.label), "count": .number(count)])
        })
        return context
    }

    func actorGroups() -> TemplateValue { actorGroupsValue[0] }

    /// Every actor by type. Read through the graph's arrays: filtering the actors copied each.
    private static func actorGroups(graph: BriefingGraph, urls: SiteURLs, facets: Facets) -> TemplateValue {
        .list(ActorType.allCases.compactMap { type in
            let indices = graph.actors.indices.filter { graph.actors[$0].type == type }
            guard !indices.isEmpty else { return nil }
            return .object([
                "type": .text(type.rawValue),
                "label": .text(type.pluralLabel),
                "count": .number(indices.count),
                "actors": .list(indices.map { index in
                    let slug = graph.actors[index].slug, country = graph.actors[index].country
                    return .object([
                        "slug": .text(slug), "name": .text(graph.actors[index].name), "url": .text(urls.actor(slug)),
                        "summary": .optionalText(graph.actors[index].summary), "country": .optionalText(country),
                        "country_url": .optionalText(country.flatMap { facets.slug(.country, $0) }.map { urls.facet(.country, $0) }),
                        "action_count": .number(Role.allCases.reduce(0) { $0 + (graph.actionsOfActor[slug]?[$1]?.count ?? 0) }),
                    ])
                }),
            ])
        })
    }

    public func actorsList() -> [TemplateKey: TemplateValue] {
        var context = common(kind: "actors", title: "Actors", description: "Every actor in \(graph.site.title), grouped by type.", path: urls.actors,
                             breadcrumbs: [("Home", urls.home), ("Actors", nil)])
        context["actor_groups"] = actorGroups()
        context["count"] = .number(graph.actors.count)
        return context
    }

    public func actor(_ actor: Actor) -> [TemplateKey: TemplateValue] {
        var context = common(kind: "actor", title: actor.name, description: actor.summary, path: urls.actor(actor.slug),
                             breadcrumbs: [("Home", urls.home), ("Actors", urls.actors), (actor.name, nil)])
        let roles = graph.actionsOfActor[actor.slug] ?? [:]
        let by = roles[.by] ?? [], targeting = roles[.targets] ?? [], involving = roles[.involves] ?? []
        context["actor"] = .object([
            "slug": .text(actor.slug),
            "name": .text(actor.name),
            "url": .text(urls.actor(actor.slug)),
            "type": .text(actor.type.rawValue),
            "type_label": .text(actor.type.label),
            "aliases": Self.textList(actor.aliases),
            "has_aliases": .bool(!actor.aliases.isEmpty),
            "country": .optionalText(actor.country),
            "roles": Self.textList(actor.roles),
            "has_roles": .bool(!actor.roles.isEmpty),
            "summary": .optionalText(actor.summary),
            "tags": Self.textList(actor.tags),
            "has_tags": .bool(!actor.tags.isEmpty),
            "updated": .optionalText(actor.updated?.description),
            "updated_label": .optionalText(actor.updated?.label),
            "body_html": .html(bodies[actor.slug]?.html ?? ""),
            "extra": actor.extra.map(Self.value) ?? .absent,
            "actions_by": actionList(by),
            "actions_targeting": actionList(targeting),
            "actions_involving": actionList(involving),
            "has_actions_by": .bool(!by.isEmpty),
            "has_actions_targeting": .bool(!targeting.isEmpty),
            "has_actions_involving": .bool(!involving.isEmpty),
            "has_actions": .bool(!(by.isEmpty && targeting.isEmpty && involving.isEmpty)),
            "action_count": .number(Set(by + targeting + involving).count),
        ])
        extras.decorateActor(&context, actor, graph: graph, urls: urls, actorLink: actorLink)
        return context
    }

    public func actionsList() -> [TemplateKey: TemplateValue] {
        var context = common(kind: "actions", title: "Actions", description: "Every action in \(graph.site.title), newest first.", path: urls.actions,
                             breadcrumbs: [("Home", urls.home), ("Actions", nil)])
        var years: [(Int, [Int])] = []
        for (index, action) in graph.actions.enumerated() {
            if years.last?.0 == action.date.year { years[years.count - 1].1.append(index) } else { years.append((action.date.year, [index])) }
        }
        context["years"] = .list(years.map { year, indices in
            .object(["year": .number(year), "count": .number(indices.count), "actions": actionList(indices)])
        })
        context["count"] = .number(graph.actions.count)
        context["activity_chart"] = ActivityChart.html(graph.actions).map(TemplateValue.html) ?? .absent
        return context
    }

    public func action(_ action: Action) -> [TemplateKey: TemplateValue] {
        var context = common(kind: "action", title: action.title, description: action.summary, path: urls.action(action.slug),
                             breadcrumbs: [("Home", urls.home), ("Actions", urls.actions), (action.title, nil)])
        var summary = Self.actionSummaryValues(action, graph: graph, urls: urls, actorLinks: actorLinks)
        let roles: [TemplateValue] = Role.allCases.compactMap { role in
            let slugs = uniqueSlugs(action.actors(in: role))
            guard !slugs.isEmpty else { return nil }
            return .object(["role": .text(role.rawValue), "label": .text(role.label), "actors": .list(slugs.map(actorLink))])
        }
        let respondsTo = graph.respondsTo[action.slug] ?? []
        let responses = graph.responses[action.slug] ?? []
        let related = graph.related[action.slug] ?? []
        summary["involves"] = .list(uniqueSlugs(action.involves).map(actorLink))
        summary["roles"] = .list(roles)
        summary["measures"] = Self.textList(action.measures)
        summary["has_measures"] = .bool(!action.measures.isEmpty)
        summary["legal_basis"] = Self.textList(action.legalBasis)
        summary["has_legal_basis"] = .bool(!action.legalBasis.isEmpty)
        summary["tags"] = Self.textList(action.tags)
        summary["has_tags"] = .bool(!action.tags.isEmpty)
        summary["updated"] = .optionalText(action.updated?.description)
        summary["updated_label"] = .optionalText(action.updated?.label)
        summary["body_html"] = .html(bodies[action.slug]?.html ?? "")
        summary["extra"] = action.extra.map(Self.value) ?? .absent
        summary["responds_to"] = actionList(respondsTo)
        summary["has_responds_to"] = .bool(!respondsTo.isEmpty)
        summary["responses"] = actionList(responses)
        summary["has_responses"] = .bool(!responses.isEmpty)
        summary["related"] = actionList(related)
        summary["has_related"] = .bool(!related.isEmpty)
        summary["sources"] = .list(action.sources.map { source in
            .object([
                "title": .text(source.title), "url": .optionalText(source.url), "publisher": .optionalText(source.publisher),
                "date": .optionalText(source.date?.description), "date_label": .optionalText(source.date?.label),
            ])
        })
        summary["has_sources"] = .bool(!action.sources.isEmpty)
        extras.decorateAction(&summary, context: &context, action, graph: graph, urls: urls)
        context["action"] = .object(summary)
        return context
    }

    public func page(_ page: Page) -> [TemplateKey: TemplateValue] {
        var context = common(kind: "page", title: page.title, description: page.summary, path: urls.page(page.slug),
                             breadcrumbs: [("Home", urls.home), (page.title, nil)])
        context["page"] = .object([
            "slug": .text(page.slug), "title": .text(page.title), "url": .text(urls.page(page.slug)),
            "summary": .optionalText(page.summary),
            "updated": .optionalText(page.updated?.description), "updated_label": .optionalText(page.updated?.label),
            "body_html": .html(bodies[page.slug]?.html ?? ""),
            "extra": page.extra.map(Self.value) ?? .absent,
        ])
        return context
    }

    public func search() -> [TemplateKey: TemplateValue] {
        common(kind: "search", title: "Search", description: "Search \(graph.site.title).", path: urls.search,
               breadcrumbs: [("Home", urls.home), ("Search", nil)])
    }

    public func notFound() -> [TemplateKey: TemplateValue] {
        common(kind: "404", title: "Page not found", description: nil, path: urls.basePath + "404.html", breadcrumbs: [])
    }
}

/// `PageModels.actorLink` of each published actor, made once when first asked for (`LazyValues`);
/// a slug the site does not publish (a draft) is rare and cheap, and not kept.
struct ActorLinks: Sendable {
    private let graph: BriefingGraph
    private let urls: SiteURLs
    private let links: LazyValues<TemplateValue>

    init(graph: BriefingGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
        links = LazyValues(count: graph.actors.count) { index in PageModels.actorLink(graph.actors[index].slug, graph: graph, urls: urls) }
    }

    func link(_ slug: String) -> TemplateValue {
        guard let index = graph.actorIndex[slug] else { return PageModels.actorLink(slug, graph: graph, urls: urls) }
        return links[index]
    }
}
