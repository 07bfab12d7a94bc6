import Foundation

/// The pages and files issue 6 added, rendered after the core pages: facet indexes and pages,
/// the change log (page, feed, JSON), per-actor and per-tag feeds, `index.json` beside every
/// actor and action page, `actors.csv`, `actions.csv` and `entities.ftm.json`.
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
        case facetIndex(FacetKind), facet(Facet), changes
    }

    public static func render(_ graph: BriefingGraph, models: PageModels, bodies: [String: RenderedMarkdown], entries: FeedEntries, templates: TemplateRenderer,
                              changes: ChangeLog, into staging: SiteStaging?) -> Outcome {
        let urls = models.urls
        let facets = models.extras.facets
        var jobs: [Job] = FacetKind.allCases.map(Job.facetIndex) + facets.all.map(Job.facet)
        jobs.append(.changes)
        let templateFingerprint = templates.fingerprint
        // bytes nil: the page in place was rendered from the same key and is kept as it is.
        let results: [Result<(path: String, bytes: [UInt8]?, key: UInt64), Diagnostic>] = jobs.parallelMap { job in
            let (template, path, context): (String, String, [String: TemplateValue]) = switch job {
            case .facetIndex(let kind): ("facets", kind.folder + "/index.html", models.facetIndex(kind))
            case .facet(let facet): ("facet", "\(facet.kind.folder)/\(facet.slug)/index.html", models.facet(facet))
            case .changes: ("changes", "changes/index.html", models.changes(changes))
            }
            let key = SiteRenderer.renderKey(templateFingerprint, template, path, context)
            if let staging, staging.keep(path, key: key) { return .success((path, nil, key)) }
            return SiteRenderer.renderPage(template: template, context: context, templates: templates).map { (path, $0, key) }
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
        let tagFacets = facets.facets(.tag)
        var fileJobs: [FileJob] = graph.actors.indices.map(FileJob.actor) + graph.actions.indices.map(FileJob.action)
        fileJobs += tagFacets.map(FileJob.tagFeed) + [.changesFeed, .changesJSON, .actorsCSV, .actionsCSV, .entities]
        outcome.fileCount = pages.count + fileJobs.reduce(0) { $0 + $1.fileCount }

        guard let staging, outcome.diagnostics.isEmpty else { return outcome }
        let writeErrors: [String?] = pages.parallelMap { page in
            guard let bytes = page.bytes else { return nil }
            do { try staging.write(bytes, to: page.path, key: page.key); return nil } catch { return error.localizedDescription }
        } + fileJobs.parallelMap { job in
            do {
                for (path, text) in job.files(graph: graph, urls: urls, bodies: bodies, entries: entries, changes: changes) { try staging.write(text, to: path) }
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
        case actor(Int), action(Int), tagFeed(Facet), changesFeed, changesJSON, actorsCSV, actionsCSV, entities

        var fileCount: Int {
            if case .actor = self { 2 } else { 1 }
        }

        func files(graph: BriefingGraph, urls: SiteURLs, bodies: [String: RenderedMarkdown], entries: FeedEntries, changes: ChangeLog) -> [(String, String)] {
            switch self {
            case .actor(let index):
                let actor = graph.actors[index]
                let indices = Set(Role.allCases.flatMap { graph.actionsOfActor[actor.slug]?[$0] ?? [] }).sorted()
                return [
                    ("actors/\(actor.slug)/index.json", RecordJSON.actor(actor, graph: graph, bodies: bodies)),
                    ("actors/\(actor.slug)/feed.xml", ExtraFeeds.actions(title: "\(graph.site.title): \(actor.name)", feedPath: urls.actorFeed(actor.slug),
                                                                         pagePath: urls.actor(actor.slug), indices: indices, graph: graph, entries: entries)),
                ]
            case .action(let index):
                let action = graph.actions[index]
                return [("actions/\(action.slug)/index.json", RecordJSON.action(action, graph: graph, bodies: bodies))]
            case .tagFeed(let facet):
                return [("tags/\(facet.slug)/feed.xml", ExtraFeeds.actions(title: "\(graph.site.title): \(facet.label)", feedPath: urls.tagFeed(facet.slug),
                                                                          pagePath: urls.facet(.tag, facet.slug), indices: facet.actions, graph: graph, entries: entries))]
            case .changesFeed: return [("changes/feed.xml", ExtraFeeds.changes(changes, graph: graph))]
            case .changesJSON: return [("changes/index.json", changes.publishedJSON(urls: urls, graph: graph))]
            case .actorsCSV: return [("actors.csv", CSVExport.actors(graph))]
            case .actionsCSV: return [("actions.csv", CSVExport.actions(graph))]
            case .entities: return [("entities.ftm.json", FollowTheMoney.lines(graph))]
            }
        }
    }

    /// The pages the sitemap lists besides the core ones.
    static func sitemapPaths(_ graph: BriefingGraph) -> [String] {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let facets = Facets(graph: graph)
        return FacetKind.allCases.map(urls.facetIndex) + facets.all.map { urls.facet($0.kind, $0.slug) } + [urls.changes]
    }
}
