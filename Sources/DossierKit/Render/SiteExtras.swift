import Foundation

/// The pages and files issue 6 added, rendered after the core pages: facet indexes and pages,
/// the change log (page, feed, JSON), per-actor and per-tag feeds, `index.json` beside every
/// actor and action page, `actors.csv`, `actions.csv` and `entities.ftm.json`; and the sitemap,
/// a whole-briefing file like those.
///
/// Pages are rendered even without a staging folder (`dossier check`), so a template error
/// shows there too; files are written only into a staging folder.
public enum SiteExtras {
    public struct Outcome: Sendable {
        public var pageCount = 0
        public var renderedPageCount = 0
        public var fileCount = 0
        public var diagnostics: [Diagnostic] = []
        public var writeError: String?
    }

    enum Job: Sendable {
        /// `changes`: the change log's page of its newest entries (`year` nil), or of one year's.
        case facetIndex(FacetKind), facet(Facet), changes(year: Int?)
    }

    /// Where the change log's page of `year` is, or of its newest entries.
    static func changesPagePath(year: Int?) -> String {
        year.map { "changes/\($0)/index.html" } ?? "changes/index.html"
    }

    static func render(_ graph: BriefingGraph, models: PageModels, keys: DependencyKeys, bodies: [String: RenderedMarkdown], entries: FeedEntries, templates: TemplateRenderer,
                              changes: ChangeLog, into staging: SiteStaging?) -> Outcome {
        let urls = models.urls
        let facets = models.extras.facets
        // The change log's page first: on a first build it lists every action and actor, the
        // biggest page of all, and rendered last it kept one core busy while the other waited.
        let jobs: [Job] = ([nil] + changes.years).map { Job.changes(year: $0) } + FacetKind.allCases.map(Job.facetIndex) + facets.all.map(Job.facet)
        let templateFingerprint = templates.fingerprint
        // bytes nil: the page in place was rendered from the same key and is kept as it is.
        let results: [Result<(path: String, bytes: [UInt8]?, key: UInt64), Diagnostic>] = jobs.parallelMap { job in
            // A facet page's and the change log's inputs are known from the graph and the log
            // (Render/DependencyKeys.swift), so their values are made only to render them; the
            // few facet indexes are keyed by their values.
            let (template, path): (String, String) = switch job {
            case .facetIndex(let kind): ("facets", kind.folder + "/index.html")
            case .facet(let facet): ("facet", "\(facet.kind.folder)/\(facet.slug)/index.html")
            case .changes(let year): ("changes", changesPagePath(year: year))
            }
            let dependencyKey: UInt64? = switch job {
            case .facet(let facet): keys.facet(facet, path: path)
            case .changes(let year): keys.changesPage(year: year, path: path)
            case .facetIndex: nil
            }
            if let dependencyKey, let staging, staging.keep(path, key: dependencyKey) { return .success((path, nil, dependencyKey)) }
            let context: [TemplateKey: TemplateValue] = switch job {
            case .facetIndex(let kind): models.facetIndex(kind)
            case .facet(let facet): models.facet(facet)
            case .changes(let year): models.changes(changes, year: year)
            }
            let key = dependencyKey ?? SiteRenderer.renderKey(templateFingerprint, template, path, context)
            if dependencyKey == nil, let staging, staging.keep(path, key: key) { return .success((path, nil, key)) }
            return templates.renderPage(template, context: context).map { (path, $0, key) }
        }
        var outcome = Outcome()
        var pages: [(path: String, bytes: [UInt8]?, key: UInt64)] = []
        for result in results {
            switch result {
            case .success(let page): pages.append(page)
            case .failure(let diagnostic): outcome.diagnostics.append(diagnostic)
            }
        }
        outcome.diagnostics = Array(Set(outcome.diagnostics))
        outcome.pageCount = pages.count
        outcome.renderedPageCount = pages.count { $0.bytes != nil }

        // The data files are made and written on every core, each by the thread that makes it,
        // like the pages: at 10,000 actions they are 14,000 files.
        // The whole-briefing files first: each is one job of a few hundred milliseconds at
        // 10,000 actions, and placed last they kept one core busy after the other had finished.
        let tagFacets = facets.facets(.tag)
        var fileJobs: [FileJob] = [.actionsCSV, .entities, .actorsCSV, .sitemap, .changesFeed, .changesJSON]
        fileJobs += graph.actors.indices.map(FileJob.actor) + graph.actions.indices.map(FileJob.action) + tagFacets.map(FileJob.tagFeed)
        outcome.fileCount = pages.count + fileJobs.reduce(0) { $0 + $1.fileCount }

        guard let staging, outcome.diagnostics.isEmpty else { return outcome }
        let writeErrors: [String?] = pages.parallelMap { page in
            guard let bytes = page.bytes else { return nil }
            do { try staging.write(bytes, to: page.path, key: page.key); return nil } catch { return error.localizedDescription }
        } + fileJobs.parallelMap { job in
            do {
                // A data file whose inputs are those of the file in place is kept as it is.
                for (path, key) in job.paths(graph: graph, keys: keys, changes: changes) where !staging.keep(path, key: key) {
                    try staging.write(job.file(path, graph: graph, urls: urls, bodies: bodies, entries: entries, changes: changes, facets: facets), to: path, key: key)
                }
                return nil
            } catch {
                return error.localizedDescription
            }
        }
        outcome.writeError = writeErrors.lazy.compactMap { $0 }.first
        return outcome
    }

    /// One or two of the data files.
    enum FileJob: Sendable {
        case actor(Int), action(Int), tagFeed(Facet), changesFeed, changesJSON, actorsCSV, actionsCSV, entities, sitemap

        var fileCount: Int {
            if case .actor = self { 2 } else { 1 }
        }

        /// The job's files, each with its render key.
        func paths(graph: BriefingGraph, keys: DependencyKeys, changes: ChangeLog) -> [(String, UInt64)] {
            switch self {
            case .actor(let index):
                let actor = graph.actors[index]
                let record = "actors/\(actor.slug)/index.json", feed = "actors/\(actor.slug)/feed.xml"
                return [(record, keys.actorRecord(index, path: record)),
                        (feed, keys.actionsFeed(title: actor.name, indices: Self.actionsNaming(actor, graph: graph), path: feed))]
            case .action(let index):
                let record = "actions/\(graph.actions[index].slug)/index.json"
                return [(record, keys.actionRecord(index, path: record))]
            case .tagFeed(let facet):
                let feed = "tags/\(facet.slug)/feed.xml"
                return [(feed, keys.actionsFeed(title: facet.label, indices: facet.actions, path: feed))]
            case .changesFeed: return [("changes/feed.xml", keys.changes(path: "changes/feed.xml"))]
            case .changesJSON: return [("changes/index.json", keys.changes(path: "changes/index.json"))]
            case .actorsCSV: return [("actors.csv", keys.wholeBriefing(path: "actors.csv"))]
            case .actionsCSV: return [("actions.csv", keys.wholeBriefing(path: "actions.csv"))]
            case .entities: return [("entities.ftm.json", keys.wholeBriefing(path: "entities.ftm.json"))]
            case .sitemap: return [("sitemap.xml", keys.sitemap(path: "sitemap.xml", changeYears: changes.years))]
            }
        }

        /// Every action naming the actor in any role, newest first.
        static func actionsNaming(_ actor: Actor, graph: BriefingGraph) -> [Int] {
            Set(Role.allCases.flatMap { graph.actionsOfActor[actor.slug]?[$0] ?? [] }).sorted()
        }

        /// The file of this job at `path`, one of `paths`.
        func file(_ path: String, graph: BriefingGraph, urls: SiteURLs, bodies: [String: RenderedMarkdown], entries: FeedEntries, changes: ChangeLog, facets: Facets) -> String {
            switch self {
            case .actor(let index):
                let actor = graph.actors[index]
                if path.hasSuffix(".json") { return RecordJSON.actor(actor, graph: graph, bodies: bodies, urls: urls) }
                return ExtraFeeds.actions(title: "\(graph.site.title): \(actor.name)", feedPath: urls.actorFeed(actor.slug),
                                          pagePath: urls.actor(actor.slug), indices: Self.actionsNaming(actor, graph: graph), graph: graph, entries: entries)
            case .action(let index):
                return RecordJSON.action(graph.actions[index], graph: graph, bodies: bodies, urls: urls)
            case .tagFeed(let facet):
                return ExtraFeeds.actions(title: "\(graph.site.title): \(facet.label)", feedPath: urls.tagFeed(facet.slug),
                                          pagePath: urls.facet(.tag, facet.slug), indices: facet.actions, graph: graph, entries: entries)
            case .changesFeed: return ExtraFeeds.changes(changes, graph: graph)
            case .changesJSON: return changes.publishedJSON(urls: urls, graph: graph)
            case .actorsCSV: return CSVExport.actors(graph)
            case .actionsCSV: return CSVExport.actions(graph)
            case .entities: return FollowTheMoney.lines(graph)
            case .sitemap: return Feeds.sitemap(graph: graph, facets: facets, changeYears: changes.years)
            }
        }
    }

    /// The pages the sitemap lists besides the core ones.
    static func sitemapPaths(_ graph: BriefingGraph, facets: Facets, changeYears: [Int]) -> [String] {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        return FacetKind.allCases.map(urls.facetIndex) + facets.all.map { urls.facet($0.kind, $0.slug) } + [urls.changes] + changeYears.map { urls.changes(year: $0) }
    }
}
