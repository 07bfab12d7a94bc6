/// Render keys of the pages and data files worked out from the graph, before any page's values
/// are built: a key is the fingerprint of every case file, body and whole-briefing value the file
/// shows, so a file whose key matches the site in place is kept (`SiteStaging.keep`) and its
/// template values are never made. A one-body edit then builds values for the two or three files
/// that show that body, not for 12,000 pages.
///
/// Each key must cover everything its file reads; a key that covers more only renders a file
/// again for nothing. What each file reads is in `PageModels`, `PageExtras`, `RelationMap`,
/// `ResponseChain`, `RecordJSON` and `ExtraFeeds`; `IncrementalBuildTests` compares hundreds of
/// incremental builds with clean ones to catch a key that misses something.
struct DependencyKeys: Sendable {
    let graph: BriefingGraph
    /// What every page shows: the templates (and so the tool), the site, the navigation, the
    /// briefing's "as of" date.
    private let pageBase: UInt64
    /// The same for data files, which use no template.
    private let dataBase: UInt64
    private let actorHeads: [UInt64]
    /// Each action's own fields and how each actor it names is shown (name and type, or the
    /// plain text of a draft): what a list entry, a feed entry or a record of it shows.
    private let actionHeads: [UInt64]
    private let pageHeads: [UInt64]
    /// Each action's resolved `responds_to`, responses and related actions, by slug.
    private let actionLinks: [UInt64]
    /// Each body's `RenderedMarkdown.fingerprint` (its HTML and plain text), 0 for none, by
    /// index in the graph's lists: an actor's feed alone reads fifty.
    private let actorBodies: [UInt64]
    private let actionBodies: [UInt64]
    private let pageBodies: [UInt64]
    let facets: Facets

    /// The change log's entries, and whether each one's page is still published: hashed once
    /// for its feed and JSON (12,000 entries at 10,000 actions); for its pages, the newest
    /// entries and each year's, with the years every page lists.
    private let changesDigest: UInt64
    private let recentChangesDigest: UInt64
    private let yearChangesDigests: [Int: UInt64]

    init(graph: BriefingGraph, bodies: [String: RenderedMarkdown], facets: Facets, templates: UInt64, changes log: ChangeLog) {
        self.graph = graph
        self.facets = facets
        var site = ContentHash(seed: graph.site.fingerprint)
        site.add(graph.newestDate)
        site.add(UInt64(graph.pages.count))
        for page in graph.pages { site.add(page.slug); site.add(page.title) }
        var data = ContentHash(seed: site.value)
        data.add(InputStamp.tool())
        dataBase = data.value
        site.add(templates)
        pageBase = site.value

        let actorHeads = graph.actors.indices.map { ContentHash.headFingerprint(content: graph.actorFingerprints[$0], path: graph.actors[$0].path) }
        self.actorHeads = actorHeads
        pageHeads = graph.pageFingerprints
        let shownActors = Dictionary(uniqueKeysWithValues: graph.actors.indices.map { index -> (String, UInt64) in
            var hash = ContentHash(seed: 5)
            hash.add(graph.actors[index].name); hash.add(graph.actors[index].type.rawValue)
            return (graph.actors[index].slug, hash.value)
        })
        // Read through the array: binding the action to a name copies all of it.
        actionHeads = Array(graph.actions.indices).parallelMap { index in
            var hash = ContentHash(seed: ContentHash.headFingerprint(content: graph.actionFingerprints[index], path: graph.actions[index].path))
            for role in Role.allCases {
                for reference in graph.actions[index].actors(in: role) {
                    if let shown = shownActors[reference.slug] { hash.add(shown) } else { hash.add(0); hash.add(graph.targets[reference.slug]?.title ?? reference.slug) }
                }
            }
            return hash.value
        }
        // By index, and the lists by index where the graph has them: `map` copies every action.
        actionLinks = graph.actions.indices.map { index in
            var hash = ContentHash(seed: 6)
            for list in [graph.respondsToByIndex[index], graph.responsesByIndex[index], graph.related[graph.actions[index].slug] ?? []] {
                hash.add(UInt64(list.count))
                for other in list { hash.add(graph.actions[other].slug) }
            }
            return hash.value
        }
        changesDigest = Self.digest(of: log.entries[...], graph: graph)
        let years = log.years
        var yearsHash = ContentHash(seed: 9)
        for year in years { yearsHash.add(UInt64(year)) }
        func pageDigest(_ entries: ArraySlice<ChangeEntry>) -> UInt64 {
            var hash = ContentHash(seed: yearsHash.value)
            hash.add(Self.digest(of: entries, graph: graph))
            return hash.value
        }
        var recent = ContentHash(seed: pageDigest(log.entries.prefix(ChangeLog.recentCount)))
        recent.add(log.entries.count > ChangeLog.recentCount)
        recentChangesDigest = recent.value
        yearChangesDigests = Dictionary(uniqueKeysWithValues: years.map { ($0, pageDigest(log.entries(of: $0))) })
        actorBodies = graph.actors.indices.map { bodies[graph.actors[$0].slug]?.fingerprint ?? 0 }
        actionBodies = graph.actions.indices.map { bodies[graph.actions[$0].slug]?.fingerprint ?? 0 }
        pageBodies = graph.pages.indices.map { bodies[graph.pages[$0].slug]?.fingerprint ?? 0 }
    }

    private func start(_ base: UInt64, _ what: String, _ path: String) -> ContentHash {
        var hash = ContentHash(seed: base)
        hash.add(what)
        hash.add(path)
        return hash
    }

    private func addActions(_ indices: [Int]?, to hash: inout ContentHash) {
        hash.add(UInt64(indices?.count ?? 0))
        for index in indices ?? [] { hash.add(actionHeads[index]) }
    }

    private func addAll(_ fingerprints: [UInt64], to hash: inout ContentHash) {
        hash.add(UInt64(fingerprints.count))
        fingerprints.withUnsafeBytes { hash.add($0) }
    }

    private func addFacets(_ kind: FacetKind, _ values: [String], to hash: inout ContentHash) {
        for value in values { hash.add(optional: facets.slug(kind, value)) }
    }

    /// Never 0, which means "no key" in a record.
    private func finish(_ hash: ContentHash) -> UInt64 { hash.value | 1 }

    // MARK: Pages

    /// The actor's page: its case file and body, every action naming it (lists, map, what is in
    /// force) with the actors those name, and its country's and tags' facet addresses.
    func actorPage(_ index: Int, path: String) -> UInt64 {
        let slug = graph.actors[index].slug
        var hash = start(pageBase, "actor", path)
        hash.add(actorHeads[index]); hash.add(actorBodies[index])
        for role in Role.allCases { addActions(graph.actionsOfActor[slug]?[role], to: &hash) }
        addFacets(.country, graph.actors[index].country.map { [$0] } ?? [], to: &hash)
        addFacets(.tag, graph.actors[index].tags, to: &hash)
        return finish(hash)
    }

    /// The action's page: its case file, body and actors, the actions it responds to, answers
    /// and relates to, its chain of responses, and its tags' and legal bases' facet addresses.
    func actionPage(_ index: Int, path: String) -> UInt64 {
        let slug = graph.actions[index].slug
        var hash = start(pageBase, "action", path)
        hash.add(actionHeads[index]); hash.add(actionBodies[index])
        addActions(graph.respondsToByIndex[index], to: &hash)
        addActions(graph.responsesByIndex[index], to: &hash)
        addActions(graph.related[slug], to: &hash)
        let chain = ResponseChain.members(of: index, graph: graph)
        hash.add(UInt64(chain.count))
        for member in chain { hash.add(actionHeads[member]); hash.add(actionLinks[member]) }
        addFacets(.tag, graph.actions[index].tags, to: &hash)
        addFacets(.legalBasis, graph.actions[index].legalBasis, to: &hash)
        return finish(hash)
    }

    func page(_ index: Int, path: String) -> UInt64 {
        var hash = start(pageBase, "page", path)
        hash.add(pageHeads[index]); hash.add(pageBodies[index])
        return finish(hash)
    }

    /// Every action as lists show it, newest first, and the chart of them.
    func actionsList(path: String) -> UInt64 {
        var hash = start(pageBase, "actions", path)
        addActions(Array(graph.actions.indices), to: &hash)
        return finish(hash)
    }

    /// A facet's actors and actions.
    func facet(_ facet: Facet, path: String) -> UInt64 {
        var hash = start(pageBase, "facet", path)
        hash.add(facet.kind.rawValue); hash.add(facet.value); hash.add(facet.label); hash.add(facet.slug)
        hash.add(UInt64(facet.actors.count))
        for index in facet.actors { hash.add(actorHeads[index]) }
        addActions(facet.actions, to: &hash)
        return finish(hash)
    }

    /// The change log's feed or JSON: every entry, and whether its page is still published.
    func changes(path: String) -> UInt64 {
        var hash = start(dataBase, "changes", path)
        hash.add(changesDigest)
        return finish(hash)
    }

    /// A page of the change log: its newest entries (whether there are earlier ones too), or
    /// with `year` that year's, with whether each one's page is published, and the years.
    func changesPage(year: Int?, path: String) -> UInt64 {
        var hash = start(pageBase, "changes page", path)
        hash.add(year.map { yearChangesDigests[$0] ?? 0 } ?? recentChangesDigest)
        return finish(hash)
    }

    private static func digest(of entries: ArraySlice<ChangeEntry>, graph: BriefingGraph) -> UInt64 {
        var hash = ContentHash(seed: 8)
        hash.add(UInt64(entries.count))
        for entry in entries {
            hash.add(entry.date); hash.add(entry.kind.rawValue); hash.add(entry.slug); hash.add(entry.title); hash.add(optional: entry.detail)
            hash.add(entry.kind.isAction ? graph.hasAction(entry.slug) : graph.hasActor(entry.slug))
        }
        return hash.value
    }

    // MARK: Data files

    /// `index.json` of an actor: its case file and body, and the actions naming it (their slugs,
    /// and whether each is in force).
    func actorRecord(_ index: Int, path: String) -> UInt64 {
        let slug = graph.actors[index].slug
        var hash = start(dataBase, "actor record", path)
        hash.add(actorHeads[index]); hash.add(actorBodies[index])
        for role in Role.allCases { addActions(graph.actionsOfActor[slug]?[role], to: &hash) }
        return finish(hash)
    }

    /// `index.json` of an action: its case file and body and its resolved links to actions.
    func actionRecord(_ index: Int, path: String) -> UInt64 {
        var hash = start(dataBase, "action record", path)
        hash.add(actionHeads[index]); hash.add(actionBodies[index]); hash.add(actionLinks[index])
        return finish(hash)
    }

    /// An actor's or tag's Atom feed of `indices` (newest first) under `title`: each entry shows
    /// the action, its authors' names and its summary, the start of its body for an action
    /// without one (`Feeds.entry(full: false)`).
    func actionsFeed(title: String, indices: [Int], path: String) -> UInt64 {
        var hash = start(dataBase, "feed", path)
        hash.add(title)
        let shown = indices.prefix(Feeds.feedLimit)
        hash.add(UInt64(shown.count))
        for index in shown {
            hash.add(actionHeads[index])
            if graph.actions[index].summary == nil { hash.add(actionBodies[index]) }
        }
        return finish(hash)
    }

    /// The sitemap: every page's address and date, facets and the change log's years included.
    func sitemap(path: String, changeYears: [Int]) -> UInt64 {
        var hash = start(dataBase, "sitemap", path)
        hash.add(UInt64(changeYears.count))
        for year in changeYears { hash.add(UInt64(year)) }
        for heads in [actorHeads, actionHeads, pageHeads] { addAll(heads, to: &hash) }
        for facet in facets.all { hash.add(facet.kind.rawValue); hash.add(facet.slug) }
        return finish(hash)
    }

    /// The CSV tables and the FollowTheMoney export: every case file's fields and every
    /// action's resolved links.
    func wholeBriefing(path: String) -> UInt64 {
        var hash = start(dataBase, "briefing", path)
        for fingerprints in [actorHeads, actionHeads, actionLinks] { addAll(fingerprints, to: &hash) }
        return finish(hash)
    }
}
