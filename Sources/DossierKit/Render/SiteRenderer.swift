import Foundation

/// A file of the generated site: its path below the output folder and its bytes.
public struct OutputFile: Sendable, Hashable {
    public var path: String
    public var bytes: Data

    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Data(text.utf8))
    }
}

/// Renders every body once, then every page, feed and index of the site, in parallel, writing
/// each file into the build's staging folder as it is made (never into the site itself), and
/// returns what it made and every problem found.
public enum SiteRenderer {
    /// Renders every body, taking from `cache` those it holds good (Render/BodyCache.swift), and
    /// returns the bodies by slug, their problems, the cache for the next build with the shards
    /// of it that changed (nil when none did) and how many bodies it rendered.
    public static func renderBodies(_ graph: BriefingGraph, cache: BodyCache = BodyCache())
        -> ([String: RenderedMarkdown], [Diagnostic], (cache: BodyCache, changedShards: Set<Int>)?, rendered: Int) {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let unsafeHTML = graph.site.unsafeHTML
        let resolve: @Sendable (String) -> WikiLinkResolution = { slug in
            WikiLinkResolution.of(slug, targets: graph.targets, unreadable: graph.unreadableSlugs, urls: urls)
        }
        // By index: `map` copies each case file whole.
        let jobs: [(slug: String, path: String, body: Body)] =
            graph.actors.indices.map { (graph.actors[$0].slug, graph.actors[$0].path, graph.actors[$0].body) }
            + graph.actions.indices.map { (graph.actions[$0].slug, graph.actions[$0].path, graph.actions[$0].body) }
            + graph.pages.indices.map { (graph.pages[$0].slug, graph.pages[$0].path, graph.pages[$0].body) }
        // While every link resolves as it did for the cache, no body's links are resolved again.
        let linksFingerprint = BodyCache.linksFingerprint(graph)
        let linksUnchanged = cache.linksFingerprint == linksFingerprint
        // `cached`: whether the cache had an entry for the path, good or not.
        let results = jobs.parallelMap { job -> (RenderedMarkdown, [Diagnostic], BodyCache.Entry?, hit: Bool, cached: Bool) in
            if let entry = cache.entry(for: job.body, path: job.path, unsafeHTML: unsafeHTML, linksUnchanged: linksUnchanged, resolve: resolve) {
                return (entry.rendered, [], entry, true, true)
            }
            let cached = cache.entries[job.path] != nil
            // A body the loader left in its file is read now (Load/FileSignature.swift).
            guard let body = job.body.loaded() else {
                return (RenderedMarkdown(html: "", plainText: ""), [.error("the file changed while dossier read it: build again", at: SourceLocation(path: job.path))], nil, false, cached)
            }
            // Every slug the body resolves is remembered with how it resolved.
            var links: [(slug: String, resolution: UInt64)] = []
            let (rendered, diagnostics) = MarkdownRenderer.render(body, path: job.path, unsafeHTML: unsafeHTML) { slug in
                let resolution = resolve(slug)
                links.append((slug, BodyCache.fingerprint(resolution)))
                return resolution
            }
            let entry = diagnostics.isEmpty
                ? BodyCache.Entry(markdownHash: body.markdownHash, unsafeHTML: unsafeHTML, links: links, rendered: rendered) : nil
            return (rendered, diagnostics, entry, false, cached)
        }
        var bodies: [String: RenderedMarkdown] = [:]
        bodies.reserveCapacity(jobs.count)
        var diagnostics: [Diagnostic] = []
        var next = BodyCache()
        next.entries.reserveCapacity(jobs.count)
        // Every entry kept was checked against these links or rendered with them.
        next.linksFingerprint = linksFingerprint
        // A shard changes with a body rendered anew or one the cache holds and the briefing lost.
        var changedShards = Set<Int>()
        var cachedPaths = 0
        for (job, result) in zip(jobs, results) {
            bodies[job.slug] = result.0
            diagnostics += result.1
            if let entry = result.2 { next.entries[job.path] = entry }
            if !result.hit { changedShards.insert(BodyCache.shard(of: job.path)) }
            if result.cached { cachedPaths += 1 }
        }
        // Every entry of the cache is a job's: none was lost, and no need to look for one.
        if cachedPaths != cache.entries.count {
            for path in cache.entries.keys where next.entries[path] == nil { changedShards.insert(BodyCache.shard(of: path)) }
        }
        // Saved when a shard changed, or only the links' fingerprint (a title edited, say).
        let save = !changedShards.isEmpty || cache.linksFingerprint != linksFingerprint
        return (bodies, diagnostics, save ? (next, changedShards) : nil, results.count { !$0.hit })
    }

    enum PageJob: Sendable {
        case home, actors, actions, search, notFound
        case actor(Int), action(Int), page(Int)
    }

    /// CPU time of the whole process, every thread: on a shared machine it says more than wall time.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// What `renderSite` made.
    public struct Summary: Sendable {
        /// HTML pages in the site.
        public var pageCount = 0
        /// Of those, the pages rendered; the others were kept from the site in place.
        public var renderedPageCount = 0
        /// Files in the site.
        public var fileCount = 0
        /// The first file that could not be written into `staging`, with why.
        public var writeError: String?
        /// Wall and CPU seconds of making the search outputs (`search-index.json` and the sharded
        /// index), for `--timings` and the search benchmark.
        public var searchIndexSeconds = 0.0
        public var searchIndexCPUSeconds = 0.0
        /// What the search shards were made from, for the patch state (Build/PatchState.swift).
        public var searchCorpus: SearchCorpus?
    }

    /// Renders every page, in parallel, and writes each into `staging` as soon as it is rendered
    /// (when there is a staging folder: not for `dossier check`, nor once the build has an error),
    /// so no page's bytes are kept; then the feed, sitemap, search index and assets. `extras`:
    /// the graph's `PageExtras`, where the caller made them ahead.
    public static func renderSite(_ graph: BriefingGraph, bodies: [String: RenderedMarkdown], templates: TemplateRenderer, theme: Theme, contentAssets: [SourceFile], into staging: SiteStaging?, changes: ChangeLog = ChangeLog(), extras: PageExtras? = nil,
                                  searchCache: Background<SearchCache>? = nil, saveSearchCache: (@Sendable (SearchCache) -> Void)? = nil) -> (Summary, [Diagnostic]) {
        // With an earlier build's search cache the search outputs are a small job, made on
        // another thread while the pages render (started first: it needs neither the facets nor
        // the render keys, which take the other core meanwhile); without one they are the
        // build's other big step and wait for the pages' values to be freed (`SearchJob`).
        let search = SearchJob()
        if let staging, let searchCache {
            DispatchQueue.global().async(group: search.alongside) {
                let cache = searchCache.value
                guard !cache.isEmpty else { return }
                search.outcome = Result { try makeSearchOutputs(graph, bodies: bodies, cache: cache, into: staging) }
                if case .success(let made) = search.outcome { saveSearchCache?(made.next) }
            }
        }
        let pageExtras = extras ?? PageExtras(graph: graph)
        // Into a folder that starts empty, the pages' folders are made ahead, in the order the
        // pages render (Write/SiteStaging.swift), and all made before this returns.
        let foldersMade = staging?.makeFoldersAhead(pageFolders(graph, facets: pageExtras.facets, changeYears: changes.years))
        defer { foldersMade?.wait() }
        let templateFingerprint = templates.fingerprint
        let keys = DependencyKeys(graph: graph, bodies: bodies, facets: pageExtras.facets, templates: templateFingerprint, changes: changes)
        var summary = Summary()
        var diagnostics: [Diagnostic] = []
        // The pages and the extras, in a scope of their own: the template values they share (every
        // action's summary, made once) are freed before the search outputs are made, the other
        // big step (at 50,000 actions the two together came near 2 GB).
        let (corePages, extras, siteFeed) = { () -> (Int, SiteExtras.Outcome, String) in
            let models = PageModels(graph: graph, bodies: bodies, extras: pageExtras)
            var jobs: [PageJob] = [.home, .actors, .actions, .search, .notFound]
            jobs += graph.actors.indices.map(PageJob.actor) + graph.actions.indices.map(PageJob.action) + graph.pages.indices.map(PageJob.page)
            enum Outcome: Sendable { case rendered, kept, failed(Diagnostic), notWritten(String) }
            let outcomes: [Outcome] = jobs.parallelMap { job in
                let (template, path): (String, String) = switch job {
                case .home: ("home", "index.html")
                case .actors: ("actors", "actors/index.html")
                case .actions: ("actions", "actions/index.html")
                case .search: ("search", "search/index.html")
                case .notFound: ("404", "404.html")
                case .actor(let index): ("actor", "actors/\(graph.actors[index].slug)/index.html")
                case .action(let index): ("action", "actions/\(graph.actions[index].slug)/index.html")
                case .page(let index): ("page", "\(graph.pages[index].slug)/index.html")
                }
                // A page whose inputs are those of the page in place is kept unrendered; the big kinds
                // know their inputs from the graph (Render/DependencyKeys.swift), so their values are
                // made only to render them.
                let dependencyKey: UInt64? = switch job {
                case .actions: keys.actionsList(path: path)
                case .actor(let index): keys.actorPage(index, path: path)
                case .action(let index): keys.actionPage(index, path: path)
                case .page(let index): keys.page(index, path: path)
                case .home, .actors, .search, .notFound: nil
                }
                if let dependencyKey, let staging, staging.keep(path, key: dependencyKey) { return .kept }
                let context: [TemplateKey: TemplateValue] = switch job {
                case .home: models.home()
                case .actors: models.actorsList()
                case .actions: models.actionsList()
                case .search: models.search()
                case .notFound: models.notFound()
                case .actor(let index): models.actor(graph.actors[index])
                case .action(let index): models.action(graph.actions[index])
                case .page(let index): models.page(graph.pages[index])
                }
                let key = dependencyKey ?? renderKey(templateFingerprint, template, path, context)
                if dependencyKey == nil, let staging, staging.keep(path, key: key) { return .kept }
                switch templates.renderPage(template, context: context) {
                case .failure(let diagnostic):
                    return .failed(diagnostic)
                case .success(let bytes):
                    do {
                        try staging?.write(bytes, to: path, key: key)
                        return .rendered
                    } catch {
                        return .notWritten(error.localizedDescription)
                    }
                }
            }
            var corePages = 0
            for outcome in outcomes {
                switch outcome {
                case .rendered: corePages += 1; summary.renderedPageCount += 1
                case .kept: corePages += 1
                case .failed(let diagnostic): diagnostics.append(diagnostic)
                case .notWritten(let message): summary.writeError = summary.writeError ?? message
                }
            }
            // Facets, the change log, per-page data and feeds, exports (Render/SiteExtras.swift).
            // The feed entries (every action's escaped body) are freed before the search index is
            // built, the other big step: at 50,000 actions both at once came near 2 GB.
            let entries = FeedEntries(graph: graph, bodies: bodies)
            let extras = SiteExtras.render(graph, models: models, keys: keys, bodies: bodies, entries: entries, templates: templates, changes: changes,
                                           into: diagnostics.isEmpty && summary.writeError == nil ? staging : nil)
            return (corePages, extras, Feeds.atom(graph: graph, entries: entries))
        }()
        diagnostics += extras.diagnostics
        summary.writeError = summary.writeError ?? extras.writeError
        // One error per template and variable is enough: the same mistake shows on every page.
        diagnostics = Array(Set(diagnostics))

        // Theme assets first, then the briefing's own, which win on the same path.
        var assets: [String: Data] = [:]
        for asset in theme.assets { assets[asset.path] = asset.bytes }
        for asset in contentAssets { assets[String(asset.path.dropFirst("Content/assets/".count))] = asset.bytes }
        // Files: the core pages, the extras (the sitemap among them), search-index.json, feed.xml
        // and the assets (the search shards are added once made). An HTML asset counts as a page.
        summary.fileCount = corePages + extras.fileCount + 2 + assets.count
        summary.pageCount = corePages + extras.pageCount + assets.keys.count { $0.hasSuffix(".html") }
        summary.renderedPageCount += extras.renderedPageCount
        // Nothing more is written once a page has failed: the staging folder will be discarded.
        search.alongside.wait()
        guard let staging, diagnostics.isEmpty, summary.writeError == nil else { return (summary, diagnostics) }
        do {
            let made: (next: SearchCache, fileCount: Int, seconds: (wall: Double, cpu: Double), corpus: SearchCorpus)
            if let outcome = search.outcome {
                made = try outcome.get()
            } else {
                made = try makeSearchOutputs(graph, bodies: bodies, cache: searchCache?.value ?? SearchCache(), into: staging)
                saveSearchCache?(made.next)
            }
            summary.searchIndexSeconds = made.seconds.wall
            summary.searchIndexCPUSeconds = made.seconds.cpu
            summary.fileCount += made.fileCount
            summary.searchCorpus = made.corpus
            try staging.write(siteFeed, to: "feed.xml")
            for (path, bytes) in assets.sorted(by: { $0.key < $1.key }) {
                try staging.write(bytes, to: "assets/" + path)
            }
        } catch {
            summary.writeError = error.localizedDescription
        }
        return (summary, diagnostics)
    }

    /// The folders of the site's pages, each after its parent, in the order they are rendered.
    static func pageFolders(_ graph: BriefingGraph, facets: Facets, changeYears: [Int]) -> [String] {
        var folders = ["actors", "actions", "search"]
        folders += graph.actors.indices.map { "actors/" + graph.actors[$0].slug }
        folders += graph.actions.indices.map { "actions/" + graph.actions[$0].slug }
        folders += graph.pages.indices.map { graph.pages[$0].slug }
        folders.append("changes")
        folders += changeYears.map { "changes/\($0)" }
        for kind in FacetKind.allCases {
            folders.append(kind.folder)
            folders += facets.facets(kind).map { kind.folder + "/" + $0.slug }
        }
        return folders
    }

    /// The search outputs of a `renderSite`, when made alongside the pages.
    private final class SearchJob: @unchecked Sendable {
        let alongside = DispatchGroup()
        /// Set on the other thread before `alongside` is left; nil when it left the job to
        /// be made after the pages.
        var outcome: Result<(next: SearchCache, fileCount: Int, seconds: (wall: Double, cpu: Double), corpus: SearchCorpus), Error>?
    }

    /// Writes `search-index.json` and the sharded index the search page loads into `staging`,
    /// from what an earlier build made of the same inputs (Index/SearchBuild.swift). Returns the
    /// cache for the next build, the number of shard files, and the wall and CPU time taken (the
    /// CPU time is the process's: made alongside the pages, it counts theirs too).
    static func makeSearchOutputs(_ graph: BriefingGraph, bodies: [String: RenderedMarkdown], cache: SearchCache, into staging: SiteStaging) throws -> (next: SearchCache, fileCount: Int, seconds: (wall: Double, cpu: Double), corpus: SearchCorpus) {
        let started = (wall: DispatchTime.now().uptimeNanoseconds, cpu: Self.processCPUSeconds())
        let search = SearchOutputs(graph: graph, bodies: bodies, cache: cache)
        let previousIndex = search.previousIndexKey.flatMap { staging.liveBytes("search-index.json", key: $0) }
        try staging.writeStreamed(to: "search-index.json", key: search.indexKey) { emit in try search.writeIndex(previous: previousIndex, into: emit) }
        let shards = search.shardFiles(keeping: { staging.keep($0, key: $1) })
        let seconds = (wall: Double(DispatchTime.now().uptimeNanoseconds - started.wall) / 1e9, cpu: Self.processCPUSeconds() - started.cpu)
        for (file, key) in shards.files { try staging.write(file.bytes, to: file.path, key: key) }
        return (search.next, shards.files.count + shards.kept, seconds, search.corpus)
    }

    /// What a page is rendered from: the templates, which one, where, and the whole context.
    /// Never 0, which means "no key" in a record.
    static func renderKey(_ templates: UInt64, _ template: String, _ path: String, _ context: [TemplateKey: TemplateValue]) -> UInt64 {
        var hash = ContentHash(seed: templates)
        hash.add(template)
        hash.add(path)
        TemplateValue.object(context).fingerprint(into: &hash)
        return hash.value | 1
    }
}
