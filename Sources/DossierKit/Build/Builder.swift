import Foundation

/// Runs the pipeline in order: load -> parse -> link -> render -> index -> write. Each stage
/// takes values and returns values; only load and write touch the disk (and a body the loader
/// left in its file, read where it must be rendered again: `Body.loaded()`). Every problem of every
/// stage is collected; the site is written only if there is no error at all.
public struct Builder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) {
        self.options = options
    }

    /// `progress` hears each stage's name as it starts, with a count where it has one.
    public func run(progress: (@Sendable (String) -> Void)? = nil) -> BuildReport {
        var report = BuildReport()
        var clock = StageClock()

        // The memory of the site in place, read once: it holds the change log's state, megabytes
        // at 10,000 actions. Read on another core while the stamp walks the inputs on one.
        let memoryRead = options.writes ? Background { [output = options.output] in SiteWriter(output: output).currentMemory() } : nil
        // So is the search cache, which any rebuild reads (20 MB at 10,000 actions): a body
        // patch's longest wait, its shards made from it. Begun after the stamp, it was not read
        // when the patch had found its edits (one-body edit 8 ms longer). A rebuild with nothing
        // to do reads it in vain, and its stamp takes longer with the two cores shared: 10 to
        // 20 ms more, at 0.05 s still a hundredth of a full build. (Read on a thread of lower
        // priority, the patch lost about what the rebuild with nothing to do gained.)
        let searchCacheRead = options.writes && !options.clean ? Background { [output = options.output] in SiteWriter(output: output).readSearchCacheAndOverlay() } : nil
        // Nothing changed since the site in place was built: nothing to do.
        let walk = options.writes ? InputStamp.walk(root: options.root, includeDrafts: options.includeDrafts, baseURL: options.baseURL) : nil
        let stamp = walk?.stamp
        let memory = memoryRead?.value ?? nil
        if let stamp, !options.clean, let memory, memory.inputs == stamp {
            report.upToDate = true
            report.pageCount = memory.pageCount
            report.fileCount = memory.fileCount
            report.basePath = memory.basePath
            report.diagnostics.append(contentsOf: memory.warnings.map(\.warning))
            clock.lap("stamp", into: &report)
            return report
        }
        clock.lap("stamp", into: &report)
        // Only bodies changed: the site in place is patched (Build/BodyPatch.swift).
        if let walk, let memory, let searchCacheRead, options.writes, !options.clean {
            switch BodyPatch.build(options: options, listing: walk.listing, stamp: stamp, memory: memory, searchCacheRead: searchCacheRead, writer: SiteWriter(output: options.output), clock: &clock) {
            case .success(var patched):
                patched.stageTimes = report.stageTimes + patched.stageTimes
                patched.stagePeakMemory = report.stagePeakMemory + patched.stagePeakMemory
                if !options.freesMemory { Abandoned.keep(walk, memory, memoryRead as Any) }
                return patched
            case .failure(let declined):
                report.patchDeclined = declined.reason
            }
        }

        // Files parsed by an earlier build, with the same path and bytes, come from its cache,
        // read while the files load.
        let parseCache = options.writes ? Background { options.clean ? ParseCache() : SiteWriter(output: options.output).readParseCache() } : nil
        // So is the Markdown cache, 73 MB at 10,000 actions.
        let cacheWriter = options.writes && !options.clean ? SiteWriter(output: options.output) : nil
        let bodyCache = cacheWriter.map { writer in Background { writer.readBodyCache() } }

        progress?("load")
        // A case file whose metadata is as the parse cache recorded it is not read.
        let loader = BriefingLoader(root: options.root, trustedAge: options.trustedFileAge)
        let previousParse = parseCache?.value
        // Listed and statted once, by the stamp's walk.
        var (sources, loadDiagnostics) = previousParse.map { cache in loader.load(signatures: { cache.signature(of: $0) }, listing: walk?.listing) } ?? loader.load(listing: walk?.listing)
        report.diagnostics.append(contentsOf: loadDiagnostics)
        clock.lap("load", into: &report)
        // The theme is compiled (20 ms) while the case files are parsed.
        let theme = Theme.withOverrides(sources.themeOverrides)
        let compiledTemplates = Background { TemplateRenderer.compile(theme) }

        progress?("parse \(sources.actorFiles.count + sources.actionFiles.count + sources.pageFiles.count) files")
        let (parsedBriefing, parseDiagnostics, nextParseCache) = Self.parse(sources, baseURL: options.baseURL, cache: previousParse)
        report.diagnostics.append(contentsOf: parseDiagnostics)
        report.parsedFileCount = sources.actorFiles.count + sources.actionFiles.count + sources.pageFiles.count - (nextParseCache?.hits ?? 0)
        report.unreadFileCount = [sources.actorFiles, sources.actionFiles, sources.pageFiles].reduce(0) { $0 + $1.count { $0.unreadPath != nil } }
        // The case files' bytes are all in the models now: 43 MB at 10,000 actions not to carry
        // through the rest of the build (peak memory is a target).
        sources.actorFiles = []
        sources.actionFiles = []
        sources.pageFiles = []
        clock.lap("parse", into: &report)

        progress?("templates")
        let (templates, templateDiagnostics) = compiledTemplates.value
        report.diagnostics.append(contentsOf: templateDiagnostics)
        clock.lap("templates", into: &report)

        // Consumed, so the linker holds the only reference and moves the case files into the graph.
        guard let briefing = consume parsedBriefing else { return report }
        report.basePath = SiteURLs(baseURL: briefing.site.baseURL).basePath

        // The linker runs on one core: what needs no graph is read on the other meanwhile. The
        // change log's last state (12,000 lines at 10,000 actions), and what earlier builds made
        // of the search outputs (43 MB), read here rather than while the bodies or pages take
        // every core.
        let writer = SiteWriter(output: options.output)
        let refusal = writer.refusal(root: options.root)
        let previousState = refusal == nil ? memory?.changeLog : nil
        let previousChangeLog = Background { previousState.map { ChangeLog.published(state: $0) } }
        let searchCache = searchCacheRead.map { read in Background { read.value.cache } }
        // So are the records the staging folder starts from, under the work folder's lock.
        let preparedStaging = options.writes && refusal == nil ? Background { [clean = options.clean] in writer.prepareStaging(clean: clean) } : nil

        progress?("link")
        // Consumed: the graph shares the briefing's Markdown, and `dropMarkdown` below frees it
        // only if nothing else holds it.
        // Into a `var` at once: a `let` copied into one stayed alive to the end, so `dropMarkdown`
        // copied all 12,000 actions (10 ms at 10,000 actions) and freed no Markdown at all.
        var (graph, linkDiagnostics) = Linker.link(consume briefing, includeDrafts: options.includeDrafts)
        report.diagnostics.append(contentsOf: linkDiagnostics)
        // `dossier check` also warns about what an author likely wants to fix (Build/AuthorChecks.swift).
        if options.authorChecks { report.diagnostics.append(contentsOf: AuthorChecks.warnings(graph)) }
        clock.lap("link", into: &report)

        progress?("render \(graph.actors.count + graph.actions.count + graph.pages.count) bodies")
        // The change log compares this briefing with the last published one (Build/ChangeLog.swift);
        // its memory is kept in the site's record, so it moves on exactly when the site does.
        // Made while the bodies render, with its state for the site's record (2 MB of text at
        // 10,000 actions).
        let nextChangeLog = Background { [graph] () -> (log: ChangeLog, state: String, stateUnreadable: Bool) in
            let previous = previousChangeLog.value
            let (log, state) = ChangeLog.update(after: previous ?? nil, graph: graph)
            return (log, state, previous.map { $0 == nil } ?? false)
        }
        // So are the facets, which every page's render key and values read: made on one core,
        // they were a stretch with the other idle between the bodies and the pages.
        let pageExtras = Background { [graph] in PageExtras(graph: graph) }
        // Bodies whose Markdown and links are as an earlier build rendered them come from its cache.
        let (bodies, bodyDiagnostics, nextBodyCache, renderedBodies) = SiteRenderer.renderBodies(graph, cache: bodyCache?.value ?? BodyCache())
        report.diagnostics.append(contentsOf: bodyDiagnostics)
        report.renderedBodyCount = renderedBodies
        let (changeLog, changeLogState, stateUnreadable) = nextChangeLog.value
        if stateUnreadable {
            report.diagnostics.warning("the change log's state is not one this version of dossier wrote: the change log starts again", at: SourceLocation(path: relativePath(of: writer.workFolder)))
        }
        clock.lap("markdown", into: &report)

        guard let templates else { return report }
        // Pages are written into the back folder as they are rendered, so the site's bytes are
        // never all in memory; it is swapped in only if the whole build succeeds (Write/SiteWriter.swift).
        var staging: SiteStaging?
        if options.writes, !report.diagnostics.hasErrors, refusal == nil {
            do {
                staging = try writer.makeStaging(clean: options.clean, prepared: preparedStaging?.value)
            } catch {
                report.diagnostics.error("cannot write the site: \(error.localizedDescription)", at: SourceLocation(path: relativePath(of: options.output)))
                return report
            }
        }
        // The Markdown cache is saved while the pages render: it is content-addressed, so it is
        // right whether or not this build succeeds, and at 50,000 actions it is 300 MB to write.
        let cacheSaved = DispatchGroup()
        if let nextBodyCache, staging != nil {
            DispatchQueue.global().async(group: cacheSaved) {
                // Only a cache: a build that cannot save it renders those bodies again next time.
                try? writer.writeBodyCache(nextBodyCache.cache, shards: nextBodyCache.changedShards)
            }
        }
        // Like the Markdown cache, even for a build with errors, once there is a work folder.
        if let nextParseCache, nextParseCache.changed, options.writes, refusal == nil {
            DispatchQueue.global().async(group: cacheSaved) {
                try? writer.writeParseCache(nextParseCache)
            }
        }
        defer { cacheSaved.wait() }
        // Nothing past this point reads the Markdown itself, only what it rendered to: 43 MB at
        // 10,000 actions not to hold while the pages render. (Once the facets are made, which
        // held a copy of the graph: changed while another holds it, it would be copied whole.)
        let extras = pageExtras.value
        graph.dropMarkdown()
        progress?("render \(graph.actors.count + graph.actions.count + graph.pages.count + 5) pages")
        let (summary, pageDiagnostics) = SiteRenderer.renderSite(graph, bodies: bodies, templates: templates, theme: theme, contentAssets: sources.contentAssets, into: staging, changes: changeLog, extras: extras, searchCache: searchCache) { nextSearchCache in
            // Saved as soon as it is made, often while pages still render.
            DispatchQueue.global().async(group: cacheSaved) {
                try? writer.writeSearchCache(nextSearchCache)
            }
        }
        report.diagnostics.append(contentsOf: pageDiagnostics)
        report.pageCount = summary.pageCount
        report.fileCount = summary.fileCount
        report.renderedPageCount = summary.renderedPageCount
        report.searchIndexSeconds = (summary.searchIndexSeconds, summary.searchIndexCPUSeconds)
        clock.lap("pages", into: &report)

        // A failed build leaves the back folder without a record: the next build starts it again.
        guard options.writes, !report.diagnostics.hasErrors else { return report }
        if let refusal {
            report.diagnostics.error(refusal, at: SourceLocation(path: relativePath(of: options.output)))
            return report
        }
        guard let staging else { return report }
        progress?("write \(summary.fileCount) files")
        do {
            if let writeError = summary.writeError { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: writeError]) }
            var memory = SiteRecord.Memory()
            memory.inputs = stamp
            memory.basePath = report.basePath
            memory.changeLog = changeLogState
            memory.pageCount = report.pageCount
            memory.fileCount = report.fileCount
            memory.warnings = report.diagnostics.all.filter { $0.severity == .warning }.map(SiteRecord.StoredDiagnostic.init)
            // What a rebuild that changes only bodies needs of this one, made while the record is.
            let patch: (@Sendable () -> PatchState?)? = walk.flatMap { walk in
                guard let corpus = summary.searchCorpus, let nextParseCache else { return nil }
                return { [graph, bodies, trustedAge = options.trustedFileAge, fileCount = report.fileCount] in
                    PatchState(listing: walk.listing, trustedAge: trustedAge, contentHashes: nextParseCache.contentHashes, graph: graph,
                               bodies: bodies, corpus: corpus, fileCount: fileCount)
                }
            }
            try writer.commit(staging, memory: memory, patch: patch)
        } catch {
            report.diagnostics.error("cannot write the site: \(error.localizedDescription)", at: SourceLocation(path: relativePath(of: options.output)))
        }
        clock.lap("write", into: &report)
        // The caches are saved in the background while the pages render; what is left of that
        // is waited for here, and timed.
        cacheSaved.wait()
        clock.lap("caches", into: &report)
        // What the build read or made, held to here: freeing the caches' dictionaries, the
        // records and the snapshots one by one took 50 ms after the commit of a one-body rebuild at
        // 10,000 actions, and more in between where a value was last used. Not the next parse
        // and Markdown caches, which the threads saving them free: the parse cache's models still
        // hold the Markdown the graph let go of, 200 MB at 50,000 actions.
        if !options.freesMemory {
            Abandoned.keep(graph, bodies, changeLog, summary, memory as Any, searchCache as Any, templates, sources, walk as Any, memoryRead as Any,
                           parseCache as Any, previousParse as Any, bodyCache as Any, previousChangeLog, nextChangeLog, changeLogState, pageExtras,
                           preparedStaging as Any, staging as Any, loader, theme, compiledTemplates)
        }
        return report
    }

    /// Parses site.yml and every case file, collecting every file's problems.
    static func parse(_ sources: BriefingSources, baseURL: String?) -> (Briefing?, [Diagnostic]) {
        let (briefing, diagnostics, _) = parse(sources, baseURL: baseURL, cache: nil)
        return (briefing, diagnostics)
    }

    /// Takes from `cache` the models of files it holds (Parse/ParseCache.swift) and returns, with
    /// a cache, the next build's.
    static func parse(_ sources: BriefingSources, baseURL: String?, cache: ParseCache?) -> (Briefing?, [Diagnostic], ParseCache.Next?) {
        var diagnostics: [Diagnostic] = []
        var site: SiteConfig?
        if let siteFile = sources.siteFile {
            let (parsed, siteDiagnostics) = Self.site(siteFile, baseURL: baseURL)
            site = parsed
            diagnostics += siteDiagnostics
        }
        var next = cache.map(ParseCache.Next.init)
        let actors = ParseCache.parse(sources.actorFiles, next: &next, CaseFileParser.parseActor)
        let actions = ParseCache.parse(sources.actionFiles, next: &next, CaseFileParser.parseAction)
        let pages = ParseCache.parse(sources.pageFiles, next: &next, CaseFileParser.parsePage)
        diagnostics += actors.flatMap(\.1) + actions.flatMap(\.1) + pages.flatMap(\.1)
        guard let site else { return (nil, diagnostics, next) }
        // One pass each, so that every model is copied once (10,000 actions, a few dozen
        // references each: it shows once parsing is nearly free).
        var unreadable: Set<String> = []
        // Fingerprints come only from a cache: without one, nothing is reserved for them.
        var fingerprints: [String: UInt64] = [:]
        if cache != nil { fingerprints.reserveCapacity(actors.count + actions.count + pages.count) }
        // Each model moved out of its result, last first, into its place from the end: a copy of
        // 12,000 actions counted a reference to every field, and freeing the results counted
        // them back, on one core between the parse and the link.
        func models<Model: ParseCacheable>(_ results: consuming [(Model?, [Diagnostic], fingerprint: UInt64?)], of files: [SourceFile]) -> [Model] {
            var results = results
            let total = results.count
            return [Model](unsafeUninitializedCapacity: total) { buffer, initializedCount in
                var next = total
                while let (model, _, fingerprint) = results.popLast() {
                    if let model {
                        if let fingerprint { fingerprints[model.path] = fingerprint }
                        next -= 1
                        (buffer.baseAddress! + next).initialize(to: model)
                    } else {
                        unreadable.insert(files[results.count].slug)
                    }
                }
                // Moved to the front when a file gave no model (the regions may overlap).
                if next > 0 { buffer.baseAddress!.moveInitialize(from: buffer.baseAddress! + next, count: total - next) }
                initializedCount = total - next
            }
        }
        var briefing = Briefing(site: site, actors: models(consume actors, of: sources.actorFiles), actions: models(consume actions, of: sources.actionFiles),
                                pages: models(consume pages, of: sources.pageFiles))
        briefing.unreadableSlugs = unreadable
        briefing.cachedFingerprints = fingerprints
        return (briefing, diagnostics, next)
    }

    /// `site.yml`, with `--base-url` in place of its `base_url` when given.
    static func site(_ file: SourceFile, baseURL: String?) -> (SiteConfig?, [Diagnostic]) {
        var (site, diagnostics) = SiteConfigParser.parse(file)
        if let baseURL, site != nil {
            if BaseURL.path(of: baseURL) == nil {
                diagnostics.append(.error("--base-url must be an absolute http or https URL, like https://example.org/briefing/", at: SourceLocation(path: "Content/site.yml")))
            } else {
                site?.baseURL = baseURL
            }
        }
        return (site, diagnostics)
    }

    private func relativePath(of url: URL) -> String {
        let rootPath = options.root.path
        return url.path.hasPrefix(rootPath + "/") ? String(url.path.dropFirst(rootPath.count + 1)) : url.path
    }
}

/// Values a build leaves allocated when its process is about to exit (`BuildOptions.freesMemory`).
enum Abandoned {
    private final class Box {
        let values: [Any]
        init(_ values: [Any]) { self.values = values }
    }

    static func keep(_ values: Any...) {
        _ = Unmanaged.passRetained(Box(values))
    }
}

/// Wall time per stage, from a monotonic clock.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap(_ name: String, into report: inout BuildReport) {
        let now = DispatchTime.now().uptimeNanoseconds
        report.stageTimes.append((name, Double(now - last) / 1e9))
        report.stagePeakMemory.append(Self.peakResidentMegabytes())
        last = now
    }

    /// The process's peak resident memory so far (`VmHWM`), in MB; 0 where there is no /proc.
    static func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
