/// Resolves every reference between case files and builds the `BriefingGraph`, reporting every
/// unknown, misplaced or draft reference in one pass.
public enum Linker {
    /// Slugs a page may not take, because the site already uses the path.
    static let reservedPageSlugs: Set<String> = ["actors", "actions", "search", "assets", "index", "feed", "sitemap", "404", "search-index",
                                                       // Facet indexes and the change log (issue 6).
                                                       "tags", "types", "countries", "legal-basis", "changes"]

    /// Takes the briefing whole (`consuming`): its case files move into the graph rather than
    /// being copied, one reference count per field of 12,000 of them at 10,000 actions.
    public static func link(_ briefing: consuming Briefing, includeDrafts: Bool) -> (BriefingGraph, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []

        // Slugs are unique across kinds; the first file by path keeps it.
        let caseFileCount = briefing.actors.count + briefing.actions.count + briefing.pages.count
        var targets: [String: LinkTarget] = [:]
        var ownerPath: [String: String] = [:]
        targets.reserveCapacity(caseFileCount)
        ownerPath.reserveCapacity(caseFileCount)
        // By index, not `map`: handing each case file to a closure copies all its fields.
        var entries: [(path: String, target: LinkTarget)] = []
        entries.reserveCapacity(caseFileCount)
        for index in briefing.actors.indices {
            entries.append((briefing.actors[index].path, LinkTarget(kind: .actor, slug: briefing.actors[index].slug, title: briefing.actors[index].name,
                                                                    isPublished: includeDrafts || !briefing.actors[index].draft)))
        }
        for index in briefing.actions.indices {
            entries.append((briefing.actions[index].path, LinkTarget(kind: .action, slug: briefing.actions[index].slug, title: briefing.actions[index].title,
                                                                     isPublished: includeDrafts || !briefing.actions[index].draft)))
        }
        for index in briefing.pages.indices {
            entries.append((briefing.pages[index].path, LinkTarget(kind: .page, slug: briefing.pages[index].slug, title: briefing.pages[index].title,
                                                                   isPublished: includeDrafts || !briefing.pages[index].draft)))
        }
        // The loader lists each folder sorted, and `actions` < `actors` < `pages`: sorted already
        // but for a briefing built by other means.
        if !entries.indices.dropFirst().allSatisfy({ entries[$0 - 1].path < entries[$0].path }) { entries.sort { $0.path < $1.path } }
        var duplicates = Set<String>()
        for entry in entries {
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

        // Not `filter`, which would copy every action it keeps.
        let actorSlugs = briefing.actors.indices.compactMap { duplicates.contains(briefing.actors[$0].path) ? nil : briefing.actors[$0].slug }
        let actionSlugs = briefing.actions.indices.compactMap { duplicates.contains(briefing.actions[$0].path) ? nil : briefing.actions[$0].slug }

        /// The problem with `reference`, if any.
        let knownTargets = targets
        let unreadableSlugs = briefing.unreadableSlugs
        @Sendable func check(_ reference: Reference, key: String, fromDraft: Bool, expected: LinkTarget.Kind, candidates: [String]) -> Diagnostic? {
            guard let target = knownTargets[reference.slug] else {
                if unreadableSlugs.contains(reference.slug) { return nil }
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
        // all of it, 10,000 times a build. The actions are handed in as an argument, so no
        // reference to them outlives the check and they can be moved into the graph below.
        let problems: [[Diagnostic]] = { (sourceActions: [Action]) in Array(sourceActions.indices).parallelMap { index in
            var found: [Diagnostic] = []
            let slug = sourceActions[index].slug, draft = sourceActions[index].draft
            for role in Role.allCases {
                for reference in sourceActions[index].actors(in: role) {
                    if let problem = check(reference, key: role.rawValue, fromDraft: draft, expected: .actor, candidates: actorSlugs) { found.append(problem) }
                }
            }
            for (key, references) in [("responds_to", sourceActions[index].respondsTo), ("related", sourceActions[index].related)] {
                for reference in references {
                    if reference.slug == slug {
                        found.append(.error("an action cannot name itself in '\(key)'", at: reference.location))
                        continue
                    }
                    if let problem = check(reference, key: key, fromDraft: draft, expected: .action, candidates: actionSlugs) { found.append(problem) }
                }
            }
            return found
        } }(briefing.actions)
        diagnostics += problems.joined()

        // A draft (unless `--drafts`), or a file whose slug an earlier path took.
        let isLeftOut = { (draft: Bool, path: String) in (draft && !includeDrafts) || (!duplicates.isEmpty && duplicates.contains(path)) }
        // The lists are taken out of the briefing, so they are the only references to their
        // storage, and filtered and ordered in place: moved, never copied.
        var owned = consume briefing
        let cachedFingerprints = owned.cachedFingerprints
        var actors = owned.actors
        owned.actors = []
        if actors.indices.contains(where: { isLeftOut(actors[$0].draft, actors[$0].path) }) {
            actors.removeAll { isLeftOut($0.draft, $0.path) }
        }
        actors.sort { $0.slug < $1.slug }
        var actions = owned.actions
        owned.actions = []
        // Looked at through the array first: `removeAll` hands its test a copy of every action.
        if actions.indices.contains(where: { isLeftOut(actions[$0].draft, actions[$0].path) }) {
            actions.removeAll { isLeftOut($0.draft, $0.path) }
        }
        // Sorted as indices, by the two fields `BriefingGraph.isNewer` compares (an action read
        // in the comparison is copied whole), then each action moved once: sorting the actions
        // themselves moves 10,000 large values around again and again.
        let dates = actions.indices.map { actions[$0].date }, slugs = actions.indices.map { actions[$0].slug }
        let order = actions.indices.sorted { dates[$0] != dates[$1] ? dates[$0] > dates[$1] : slugs[$0] < slugs[$1] }
        permute(&actions, into: order)
        var graph = BriefingGraph(
            site: owned.site,
            actors: actors,
            actions: actions,
            pages: owned.pages.filter { !isLeftOut($0.draft, $0.path) }.sorted { $0.slug < $1.slug },
            targets: targets
        )
        graph.unreadableSlugs = unreadableSlugs
        graph.actorIndex.reserveCapacity(graph.actors.count)
        graph.actionIndex.reserveCapacity(graph.actions.count)
        for index in graph.actors.indices { graph.actorIndex[graph.actors[index].slug] = index }
        for index in graph.actions.indices { graph.actionIndex[graph.actions[index].slug] = index }

        // Walking actions newest first keeps every list below newest first without sorting again.
        // The lists are gathered by index and keyed by slug once at the end: a slug looked up in
        // a dictionary costs a hash of the string, and this loop makes 100,000 at 10,000 actions.
        var roleLists = [[[Int]]](repeating: Array(repeating: [], count: Role.allCases.count), count: graph.actors.count)
        var responses = [[Int]](repeating: [], count: graph.actions.count)
        var respondsTo = [[Int]](repeating: [], count: graph.actions.count)
        var related = [Set<Int>](repeating: [], count: graph.actions.count)
        // Each action's references are looked up by slug on every core; only appending the
        // indices to the lists is done in order, on one. Looked up there too, they were the
        // longest stretch of a rebuild with one core at work (40 ms at 10,000 actions).
        let references = Self.resolveReferences(of: graph.actions, actorIndex: graph.actorIndex, actionIndex: graph.actionIndex)
        graph.linkedActors.reserveCapacity(graph.actions.count)
        for index in graph.actions.indices {
            for (roleNumber, actors) in references[index].roles.enumerated() {
                for actor in actors { roleLists[actor][roleNumber].append(index) }
            }
            graph.linkedActors.append(references[index].linked)
            for target in references[index].respondsTo {
                responses[target].append(index)
                respondsTo[index].append(target)
            }
            for target in references[index].related {
                related[index].insert(target)
                related[target].insert(index)
            }
        }
        for actor in graph.actors.indices where roleLists[actor].contains(where: { !$0.isEmpty }) {
            var lists: [Role: [Int]] = [:]
            for (roleNumber, role) in Role.allCases.enumerated() where !roleLists[actor][roleNumber].isEmpty { lists[role] = roleLists[actor][roleNumber] }
            graph.actionsOfActor[graph.actors[actor].slug] = lists
        }
        for index in graph.actions.indices {
            let slug = graph.actions[index].slug
            respondsTo[index].sort()
            if !responses[index].isEmpty { graph.responses[slug] = responses[index] }
            if !respondsTo[index].isEmpty { graph.respondsTo[slug] = respondsTo[index] }
            if !related[index].isEmpty { graph.related[slug] = related[index].sorted() }
        }
        graph.responsesByIndex = responses
        graph.respondsToByIndex = respondsTo
        graph.newestDate = Standing.newestDate(graph)
        let linked = graph
        // Those the parse cache kept are taken from it: hashing every case file was a quarter of
        // the linker's time in a one-body rebuild.
        graph.actorFingerprints = Array(linked.actors.indices).parallelMap { index in
            cachedFingerprints[linked.actors[index].path] ?? linked.actors[index].contentFingerprint
        }
        graph.actionFingerprints = Array(linked.actions.indices).parallelMap { index in
            cachedFingerprints[linked.actions[index].path] ?? linked.actions[index].contentFingerprint
        }
        graph.pageFingerprints = linked.pages.indices.map { cachedFingerprints[linked.pages[$0].path] ?? linked.pages[$0].headFingerprint }
        return (graph, diagnostics)
    }

    /// An action's references as indices: the actors of each role (in `Role.allCases` order,
    /// each once), every actor it links once in role order, the actions it responds to (by
    /// slug, each once) and the actions it names as related (not itself). Slugs the graph does
    /// not publish are left out.
    struct ResolvedReferences: Sendable {
        var roles: [[Int]]
        var linked: [Int]
        var respondsTo: [Int]
        var related: [Int]
    }

    /// `ResolvedReferences` of every action, made on every core. The actions are an argument,
    /// so nothing here holds them once it returns and the graph's copy stays their only one.
    static func resolveReferences(of actions: [Action], actorIndex: [String: Int], actionIndex: [String: Int]) -> [ResolvedReferences] {
        Array(actions.indices).parallelMap { index in
            var resolved = ResolvedReferences(roles: [], linked: [], respondsTo: [], related: [])
            for role in Role.allCases {
                var inRole: [Int] = []
                for reference in actions[index].actors(in: role) {
                    guard let actor = actorIndex[reference.slug], !inRole.contains(actor) else { continue }
                    inRole.append(actor)
                    if !resolved.linked.contains(actor) { resolved.linked.append(actor) }
                }
                resolved.roles.append(inRole)
            }
            for reference in Set(actions[index].respondsTo.map(\.slug)).sorted() {
                if let target = actionIndex[reference] { resolved.respondsTo.append(target) }
            }
            for reference in actions[index].related {
                if let target = actionIndex[reference.slug], target != index { resolved.related.append(target) }
            }
            return resolved
        }
    }

    /// Reorders `values` so that position `i` holds what was at `order[i]`, following each cycle
    /// of the permutation with swaps: every value moves once or twice, none is copied.
    static func permute<Value>(_ values: inout [Value], into order: [Int]) {
        var done = [Bool](repeating: false, count: values.count)
        // The buffer's `swapAt` moves the bytes; the array's copies each value in and out.
        values.withUnsafeMutableBufferPointer { buffer in
            for start in buffer.indices where !done[start] {
                var current = start
                while order[current] != start {
                    buffer.swapAt(current, order[current])
                    done[current] = true
                    current = order[current]
                }
                done[current] = true
            }
        }
    }
}
