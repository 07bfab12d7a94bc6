/// The values of the page kinds issue 6 added: facet indexes (`facets`), facet pages (`facet`)
/// and the change log (`changes`). Documented in TEMPLATES.md.
extension PageModels {
    public func facetIndex(_ kind: FacetKind) -> [TemplateKey: TemplateValue] {
        let path = urls.facetIndex(kind)
        var context = common(kind: "facets", title: kind.pluralLabel, description: "Every \(kind.label.lowercased()) in \(graph.site.title).", path: path,
                             breadcrumbs: [("Home", urls.home), (kind.pluralLabel, nil)])
        let facets = extras.facets.facets(kind)
        context["facet_kind"] = .text(kind.rawValue)
        context["facet_kind_label"] = .text(kind.label)
        context["facet_kind_plural"] = .text(kind.pluralLabel)
        context["facets"] = .list(facets.map { facet in
            .object([
                "label": .text(facet.label), "slug": .text(facet.slug), "url": .text(urls.facet(kind, facet.slug)),
                "count": .number(facet.actors.count + facet.actions.count),
            ])
        })
        context["count"] = .number(facets.count)
        return context
    }

    public func facet(_ facet: Facet) -> [TemplateKey: TemplateValue] {
        let path = urls.facet(facet.kind, facet.slug)
        var context = common(kind: "facet", title: "\(facet.kind.label): \(facet.label)",
                             description: "Actors and actions in \(graph.site.title) with the \(facet.kind.label.lowercased()) \(facet.label).", path: path,
                             breadcrumbs: [("Home", urls.home), (facet.kind.pluralLabel, urls.facetIndex(facet.kind)), (facet.label, nil)])
        let feed: String? = facet.kind == .tag ? urls.tagFeed(facet.slug) : nil
        context["facet"] = .object([
            "kind": .text(facet.kind.rawValue),
            "kind_label": .text(facet.kind.label),
            "kind_plural": .text(facet.kind.pluralLabel),
            "kind_url": .text(urls.facetIndex(facet.kind)),
            "label": .text(facet.label),
            "slug": .text(facet.slug),
            "url": .text(path),
            "feed_url": .optionalText(feed),
            "actors": .list(facet.actors.map { index in
                let actor = graph.actors[index]
                return .object([
                    "slug": .text(actor.slug), "name": .text(actor.name), "url": .text(urls.actor(actor.slug)),
                    "type_label": .text(actor.type.label), "summary": .optionalText(actor.summary), "country": .optionalText(actor.country),
                ])
            }),
            "has_actors": .bool(!facet.actors.isEmpty),
            "actions": actionList(facet.actions),
            "has_actions": .bool(!facet.actions.isEmpty),
            "actor_count": .number(facet.actors.count),
            "action_count": .number(facet.actions.count),
        ])
        if let feed {
            context["alternates"] = .list([PageExtras.alternate("application/atom+xml", feed, "\(graph.site.title): \(facet.label)")])
        }
        return context
    }

    /// The change log's page, or with `year` its page of that year.
    public func changes(_ log: ChangeLog, year: Int? = nil) -> [TemplateKey: TemplateValue] {
        frame.changes(log, year: year) { ChangeLog.isPublished($0, in: graph) }
    }
}
