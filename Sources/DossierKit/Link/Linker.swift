/// Resolves every reference between case files and builds the `BriefingGraph`, reporting every
/// unknown, misplaced or draft reference in one pass.
public enum Linker {
    /// Slugs a page may not take, because the site already uses the path.
    static let reservedPageSlugs: Set<String> = ["actors", "actions", "search", "assets", "index", "feed", "sitemap", "404", "search-index",
                                                       // Facet indexes and the change log (issue 6).
                                                       "tags", "types", "countries", "legal-basis", "changes"]

    public static func link(_ briefing: Briefing, includeDrafts: Bool) -> (BriefingGraph, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []

        // Slugs are unique across kinds; the first file by path keeps it.
        var targets: [String: LinkTarget] = [:]
        var ownerPath: [String: String] = [:]
        var entries: [(path: String, target: LinkTarget)] = []
        entries += briefing.actors.map { ($0.path, LinkTarget(kind: .actor, slug: $0.slug, title: $0.name, isPublished: includeDrafts || !$0.draft)) }
        entries += briefing.actions.map { ($0.path, LinkTarget(kind: .action, slug: $0.slug, title: $0.title, isPublished: includeDrafts || !$0.draft)) }
        entries += briefing.pages.map { ($0.path, LinkTarget(kind: .page, slug: $0.slug, title: $0.title, isPublished: includeDrafts || !$0.draft)) }
        var duplicates = Set<String>()
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            if let owner = ownerPath[entry.target.slug] {
                diagnostics.append(.error("duplicate slug '\(entry.target.slug)': \(owner) already uses it, and slugs are unique across actors, actions and pages", at: SourceLocation(path: entry.path)))
                duplicates.insert(entry.path)
                continue
            }
            ownerPath[entry.target.slug] = entry.path
            targets[entry.target.slug] = entry.target
        }
        for page in briefing.pages where reservedPageSlugs.contains(page.slug) {
            diagnostics.append(.error("the page slug '\(page.slug)' is taken by the site itself: rename the file", at: SourceLocation(path: page.path)))
            duplicates.insert(page.path)
        }

        let actorSlugs = briefing.actors.filter { !duplicates.contains($0.path) }.map(\.slug)
        let actionSlugs = briefing.actions.filter { !duplicates.contains($0.path) }.map(\.slug)

        /// The problem with `reference`, if any.
        let knownTargets = targets
        @Sendable func check(_ reference: Reference, key: String, fromDraft: Bool, expected: LinkTarget.Kind, candidates: [String]) -> Diagnostic? {
            guard let target = knownTargets[reference.slug] else {
                if briefing.unreadableSlugs.contains(reference.slug) { return nil }
                return .error("unknown \(expected.rawValue) '\(reference.slug)' in '\(key)'\(Suggestion.didYouMean(reference.slug, in: candidates))", at: reference.location)
            }
            guard target.kind == expected else {
                return .error("'\(reference.slug)' in '\(key)' is \(target.kind == .page ? "a" : "an") \(target.kind.rawValue), not an \(expected.rawValue)", at: reference.location)
            }
            if target.isPublished || (!includeDrafts && fromDraft) { return nil }
            return .warning("'\(reference.slug)' in '\(key)' is a draft: it is left out of the site and shown as plain text", at: reference.location)
        }

        // Each action's references are checked on every core, their problems kept in order.
        // Here and below, fields are read through the arrays: binding an action to a name copies
        // all of it, 10,000 times a build.
        let problems: [[Diagnostic]] = Array(briefing.actions.indices).parallelMap { index in
            var found: [Diagnostic] = []
            let slug = briefing.actions[index].slug, draft = briefing.actions[index].draft
            for role in Role.allCases {
                for reference in briefing.actions[index].actors(in: role) {
                    if let problem = check(reference, key: role.rawValue, fromDraft: draft, expected: .actor, candidates: actorSlugs) { found.append(problem) }
                }
            }
            for (key, references) in [("responds_to", briefing.actions[index].respondsTo), ("related", briefing.actions[index].related)] {
                for reference in references {
                    if reference.slug == slug {
                        found.append(.error("an action cannot name itself in '\(key)'", at: reference.location))
                        continue
                    }
                    if let problem = check(reference, key: key, fromDraft: draft, expected: .action, candidates: actionSlugs) { found.append(problem) }
                }
            }
            return found
        }
        diagnostics += problems.joined()

        let published = { (draft: Bool) in includeDrafts || !draft }
        var graph = BriefingGraph(
            site: briefing.site,
            actors: briefing.actors.filter { published($0.draft) && !duplicates.contains($0.path) }.sorted { $0.slug < $1.slug },
            // Sorted as indices: sorting the actions themselves moves 10,000 large values around.
            actions: briefing.actions.indices.filter { published(briefing.actions[$0].draft) && !duplicates.contains(briefing.actions[$0].path) }
                .sorted { BriefingGraph.isNewer(briefing.actions[$0], than: briefing.actions[$1]) }.map { briefing.actions[$0] },
            pages: briefing.pages.filter { published($0.draft) && !duplicates.contains($0.path) }.sorted { $0.slug < $1.slug },
            targets: targets
        )
        graph.unreadableSlugs = briefing.unreadableSlugs
        graph.actorIndex.reserveCapacity(graph.actors.count)
        graph.actionIndex.reserveCapacity(graph.actions.count)
        for index in graph.actors.indices { graph.actorIndex[graph.actors[index].slug] = index }
        for index in graph.actions.indices { graph.actionIndex[graph.actions[index].slug] = index }

        // Walking actions newest first keeps every list below newest first without sorting again.
        var relatedSets: [String: Set<Int>] = [:]
        graph.linkedActors.reserveCapacity(graph.actions.count)
        for index in graph.actions.indices {
            let slug = graph.actions[index].slug
            var linked: [Int] = []
            for role in Role.allCases {
                var inRole: [Int] = []
                for reference in graph.actions[index].actors(in: role) {
                    guard let actor = graph.actorIndex[reference.slug], !inRole.contains(actor) else { continue }
                    inRole.append(actor)
                    graph.actionsOfActor[reference.slug, default: [:]][role, default: []].append(index)
                    if !linked.contains(actor) { linked.append(actor) }
                }
            }
            graph.linkedActors.append(linked)
            for reference in Set(graph.actions[index].respondsTo.map(\.slug)).sorted() {
                guard let target = graph.actionIndex[reference] else { continue }
                graph.responses[reference, default: []].append(index)
                graph.respondsTo[slug, default: []].append(target)
            }
            for reference in graph.actions[index].related.map(\.slug) {
                guard let target = graph.actionIndex[reference], target != index else { continue }
                relatedSets[slug, default: []].insert(target)
                relatedSets[reference, default: []].insert(index)
            }
        }
        for (slug, indices) in relatedSets { graph.related[slug] = indices.sorted() }
        for (slug, indices) in graph.respondsTo { graph.respondsTo[slug] = indices.sorted() }
        graph.newestDate = Standing.newestDate(graph)
        graph.actorFingerprints = graph.actors.parallelMap(\.contentFingerprint)
        graph.actionFingerprints = graph.actions.parallelMap(\.contentFingerprint)
        graph.pageFingerprints = graph.pages.map(\.headFingerprint)
        return (graph, diagnostics)
    }
}
