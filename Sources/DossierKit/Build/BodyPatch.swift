import CDossierSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A rebuild whose only changes are bodies: published case files edited below their front
/// matter (without a summary, past the start of the body that stands in for one), everything
/// else as the site in place was built from (its `PatchState`). Such an edit reaches few files,
/// and each in a way known without the graph: the body's HTML on its page, its text in its
/// `index.json` and its line of `search-index.json`, its escaped HTML in `feed.xml` (one of the
/// newest actions), its document in the search shards, and for an action or actor one "edited"
/// entry in the change log (its page, feed and JSON). So nothing is loaded, parsed or linked but
/// the edited files: each new body is rendered, spliced where the old one was (found exactly
/// once, or the rebuild takes the whole pipeline), the shards are made from the search cache
/// with the edited documents' terms worked out from their cached ones, and every other file is
/// kept. The site is staged and swapped in like any other build's.
///
/// Anything else (a front matter edit, a new or removed file, a template or `site.yml` edit, a
/// body with a problem, a new start of a body that stands in for a missing summary, a site or
/// cache that does not say what it was made from) is declined, with why, before anything is
/// written, and the whole pipeline runs. A patched site is byte for byte the one a clean build
/// makes (`IncrementalBuildTests`, which counts the rebuilds that take this way;
/// `BodyPatchTests`). A patched file's record has no render key, so the next full rebuild
/// renders it again.
enum BodyPatch {
    /// Beyond this many edited files the whole pipeline is about as quick.
    static let fileLimit = 16
    /// How many case files whose metadata changed are read to find those edits.
    static let readLimit = 256

    /// One edited case file.
    private struct Edit: Sendable {
        var file: Int
        var place: PatchState.Place
        var slug: String
        var title: String
        var updated: DayDate?
        var hasSummary: Bool
        var markdownHash: UInt64
        var rendered: RenderedMarkdown
        var links: [(slug: String, resolution: UInt64)]
    }

    /// Why a rebuild took the whole pipeline; `--timings` shows it.
    struct Declined: Error, Sendable {
        var reason: String
    }

    /// The build, or why the edits are not bodies alone (nothing is written then).
    static func build(options: BuildOptions, listing: InputStamp.Listing, stamp: String?, memory: SiteRecord.Memory,
                      searchCacheRead: Background<(cache: SearchCache, overlay: SearchCache.Overlay?)>,
                      writer: SiteWriter, clock: inout StageClock) -> Result<BuildReport, Declined> {
        func declined(_ reason: String) -> Result<BuildReport, Declined> { .failure(Declined(reason: reason)) }
        guard options.writes, !options.clean, let changeLogState = memory.changeLog, writer.refusal(root: options.root) == nil else { return declined("no site to patch") }
        guard var stateRead = writer.currentPatchState(), stateRead.fileCount == memory.fileCount else { return declined("the site in place has no patch state") }
        // Its files taken out, not shared: the first change would copy 12,000 of them.
        var files = stateRead.files
        stateRead.files = []
        let state = stateRead
        guard state.rest == listing.rest else { return declined("more than case files changed") }
        var report = BuildReport()
        let loader = BriefingLoader(root: options.root, trustedAge: options.trustedFileAge)
        guard let site = siteConfig(loader: loader, baseURL: options.baseURL) else { return declined("site.yml has a problem") }
        let urls = SiteURLs(baseURL: site.baseURL)

        // Which case files changed: those whose metadata is not what the state recorded.
        var candidates: [(file: Int, status: stat)] = []
        var listed = 0
        let isListed: Bool = files.withUnsafeMutableBufferPointer { files in
            var isListed = true
            listing.forEachCaseFile { folder, name, status in
                guard isListed, listed < files.count, InputStamp.Listing.isPath(files[listed].path, folder: folder, name: name) else {
                    isListed = false
                    return
                }
                let signature = FileSignature.of(status, now: listing.started, trustedAge: options.trustedFileAge)
                if signature == 0 || signature != files[listed].signature { candidates.append((listed, status)) }
                files[listed].signature = signature
                listed += 1
            }
            return isListed
        }
        guard isListed, listed == files.count else { return declined("the case files are not the ones the state lists") }
        // Files too new to trust by their metadata are read, as many as a checkout leaves.
        guard candidates.count <= readLimit else { return declined("more than \(readLimit) case files may have changed") }

        // Which of them have new bytes, and whether those are a new body alone.
        var targets: [String: LinkTarget] = [:]
        targets.reserveCapacity(state.targets.count)
        for target in state.targets { targets[target.slug] = target }
        let unreadable = Set(state.unreadableSlugs)
        var edits: [Edit] = []
        for (index, status) in candidates {
            let path = files[index].path
            guard status.st_mode & S_IFMT == S_IFREG else { return declined("\(path) is not a plain file") }
            var diagnostics: [Diagnostic] = []
            guard let file = BriefingLoader.readFile(options.root.appendingPathComponent(path).path, relativePath: path, limit: BriefingLoader.textFileLimit, into: &diagnostics),
                  diagnostics.isEmpty else { return declined("\(path) cannot be read") }
            let contentHash = file.bytes.withUnsafeBytes { ContentHash.of($0) }
            if contentHash == files[index].contentHash { continue }
            guard files[index].contentHash != 0, let place = files[index].place, !memory.warnings.contains(where: { $0.path == path }) else {
                return declined("\(path) is not a published case file without problems")
            }
            files[index].contentHash = contentHash
            guard edits.count < fileLimit else { return declined("more than \(fileLimit) case files changed") }
            // The model, which must be as before but for its body.
            let model: (slug: String, title: String, summary: String?, updated: DayDate?, body: Body, fingerprint: UInt64)?
            switch place {
            case .action:
                let (action, problems) = CaseFileParser.parseAction(file)
                model = problems.isEmpty ? action.map { ($0.slug, $0.title, $0.summary, $0.updated, $0.body, $0.cachedFingerprint) } : nil
            case .actor:
                let (actor, problems) = CaseFileParser.parseActor(file)
                model = problems.isEmpty ? actor.map { ($0.slug, $0.name, $0.summary, $0.updated, $0.body, $0.cachedFingerprint) } : nil
            case .page:
                let (page, problems) = CaseFileParser.parsePage(file)
                model = problems.isEmpty ? page.map { ($0.slug, $0.title, $0.summary, $0.updated, $0.body, $0.cachedFingerprint) } : nil
            }
            guard let model else { return declined("\(path) has a problem") }
            guard model.fingerprint == files[index].fingerprint else { return declined("the front matter of \(path) changed") }
            var links: [(slug: String, resolution: UInt64)] = []
            let (rendered, problems) = MarkdownRenderer.render(model.body, path: path, unsafeHTML: site.unsafeHTML) { slug in
                let resolution = WikiLinkResolution.of(slug, targets: targets, unreadable: unreadable, urls: urls)
                links.append((slug, BodyCache.fingerprint(resolution)))
                return resolution
            }
            guard problems.isEmpty else { return declined("the body of \(path) has a problem") }
            edits.append(Edit(file: index, place: place, slug: model.slug, title: model.title, updated: model.updated, hasSummary: model.summary != nil,
                              markdownHash: model.body.markdownHash, rendered: rendered, links: links))
        }
        clock.lap("patch", into: &report)

        // The caches and the records of the staging folder, read on other cores meanwhile; the
        // lock is held from here on (released on the way out unless the staging takes it).
        let bodyCacheRead = Background { writer.readBodyCacheTables() }
        let preparationRead = Background { writer.prepareStaging(clean: false, byLines: true) }
        let indexRead = Background { try? Data(contentsOf: URL(fileURLWithPath: writer.output.path + "/search-index.json"), options: .alwaysMapped) }
        var staged = false
        defer { if !staged { preparationRead.value?.release() } }

        // The rendered bodies of the site in place, each as the state recorded it, by document
        // number (a dictionary by slug was another 12,000 entries to make): checked on another
        // core while the shards begin, which read only the few bodies of the files they make.
        let checkedFiles = files, unsafeHTML = site.unsafeHTML
        let bodiesRead = Background { () -> [RenderedMarkdown?]? in
            let bodyCache = bodyCacheRead.value
            var bodies = [RenderedMarkdown?](repeating: nil, count: state.corpus.count)
            for file in checkedFiles {
                guard let place = file.place else { continue }
                guard let (rendered, renderedUnsafe) = bodyCache.rendered(path: file.path), rendered.fingerprint == file.bodyFingerprint,
                      renderedUnsafe == unsafeHTML else { return nil }
                bodies[documentNumber(place, corpus: state.corpus)] = rendered
            }
            return bodies
        }

        // The search shards' documents: each edited one's terms worked out from its cached ones.
        var (searchCache, overlayRead) = searchCacheRead.value
        guard let overlay = overlayRead else { return declined("there is no search cache") }
        var corpus = state.corpus
        var indexMembers = searchCache.indexMembers
        guard indexMembers.count == corpus.count, patchDocuments(edits, corpus: &corpus, indexMembers: &indexMembers, cache: &searchCache),
              corpus.keys.allSatisfy({ searchCache.documents[$0] != nil }) else {
            return declined("the search cache does not hold the site's documents")
        }
        // The shards, begun now: the splicing below, the change log's page and the writing all
        // go on while they are made, the patch's longest stretch. A pack whose key is the one the
        // site in place recorded for its path is kept (by `keepEveryOtherFile`, below), not made.
        // Should the bodies or anything below decline the patch, they are left unused.
        var editedBodies: [Int: RenderedMarkdown] = [:]
        for edit in edits { editedBodies[documentNumber(edit.place, corpus: state.corpus)] = edit.rendered }
        let newBodies = editedBodies
        let search = SearchOutputs(corpus: corpus, bodies: { number in newBodies[number] ?? bodiesRead.value?[number] ?? nil },
                                   cache: searchCache, overlaid: overlay.entries, indexMembers: indexMembers)
        let shardsMade = Background {
            search.shardFiles(keeping: { path, key in key != 0 && preparationRead.value?.liveKey(of: path) == key }).files
        }

        // The templates of the change log's pages, compiled meanwhile (only theirs): compiled
        // whole once the change log was patched, they held up the writing by 10 ms.
        let templatesCompiled = Background { () -> TemplateRenderer? in
            let (overrides, problems) = loader.themeOverrides()
            return problems.isEmpty ? TemplateRenderer.compile(Theme.withOverrides(overrides), pages: ["changes"]).0 : nil
        }

        // The change log: each edited action or actor's new line, and an "edited" entry.
        let bodyEdits = edits.compactMap { edit -> ChangeLog.BodyEdit? in
            let isAction: Bool
            switch edit.place {
            case .action: isAction = true
            case .actor: isAction = false
            case .page: return nil
            }
            return ChangeLog.BodyEdit(isAction: isAction, slug: edit.slug, title: edit.title, updated: edit.updated,
                                      fingerprint: BriefingSnapshot.fingerprint(files[edit.file].fingerprint, edit.markdownHash))
        }
        guard let changeLog = ChangeLogPatch(state: changeLogState, edits: bodyEdits, asOf: state.asOf) else {
            return declined("the change log's state is not in this version's form")
        }
        // Its pages: `/changes/` and the page of each new entry's year, which the site in place
        // has already (a new year would change the other pages' lists of years and the sitemap).
        let changedYears = changeLog.entriesOfYear.keys.sorted()
        guard changedYears.allSatisfy({ FileManager.default.fileExists(atPath: writer.output.path + "/" + SiteExtras.changesPagePath(year: $0)) }) else {
            return declined("the change log has a new year")
        }
        let changesMade = Background { () -> [(path: String, bytes: [UInt8])]? in
            guard !changeLog.added.isEmpty else { return [] }
            guard let templates = templatesCompiled.value,
                  let json = try? Data(contentsOf: URL(fileURLWithPath: writer.output.path + "/changes/index.json"), options: .alwaysMapped) else { return nil }
            let isPublished = publishedCheck(state.corpus)
            guard let changesJSON = json.withUnsafeBytes({ changeLog.json(before: $0, urls: urls, isPublished: isPublished) }) else { return nil }
            let frame = PageFrame(site: site, pages: state.pages, asOf: state.asOf)
            var made: [(path: String, bytes: [UInt8])] = []
            for year in [nil] + changedYears.map(Optional.some) {
                let shown = year.map { changeLog.entriesOfYear[$0]![...] } ?? changeLog.recent[...]
                let context = frame.changes(shown: shown, of: changeLog.count, years: changeLog.years, year: year, isPublished: isPublished)
                guard case .success(let page) = templates.renderPage("changes", context: context) else { return nil }
                made.append((SiteExtras.changesPagePath(year: year), Array(page)))
            }
            return made + [("changes/feed.xml", Array(ExtraFeeds.changes(changeLog.recentLog, site: site, asOf: state.asOf, isPublished: isPublished).utf8)),
                           ("changes/index.json", changesJSON)]
        }

        guard let bodies = bodiesRead.value else { return declined("the Markdown cache does not hold the site's bodies") }

        // Each small file an edit reaches, spliced; `search-index.json`'s places found.
        let live = writer.output.path
        var outputs: [String: [UInt8]] = [:]
        func splice(_ path: String, _ old: [UInt8], _ new: [UInt8]) -> Bool {
            guard let bytes = outputs[path] ?? FileManager.default.contents(atPath: live + "/" + path).map([UInt8].init),
                  let spliced = replacingOnce(old, with: new, in: bytes) else { return false }
            outputs[path] = spliced
            return true
        }
        guard let index = indexRead.value else { return declined("the site in place has no search-index.json") }
        var indexReplacements: [(range: Range<Int>, bytes: [UInt8])] = []
        for edit in edits {
            let old = bodies[documentNumber(edit.place, corpus: state.corpus)]!
            guard edit.hasSummary || standInsAreEqual(old, edit.rendered) else {
                return declined("the start of the body of \(files[edit.file].path), which stands in for its summary, changed")
            }
            // An empty body leaves its section out of the page.
            guard !old.html.isEmpty, !edit.rendered.html.isEmpty else { return declined("a body was or is empty") }
            let oldText = JSONValue.string(old.plainText).serializedBytes, newText = JSONValue.string(edit.rendered.plainText).serializedBytes
            let oldHTML = Array(old.html.utf8), newHTML = Array(edit.rendered.html.utf8)
            let spliced: Bool
            switch edit.place {
            case .action(let number):
                spliced = splice("actions/\(edit.slug)/index.html", oldHTML, newHTML) && splice("actions/\(edit.slug)/index.json", oldText, newText)
                    && (number >= Feeds.feedLimit || splice("feed.xml", Array(XML.escape(old.html).utf8), Array(XML.escape(edit.rendered.html).utf8)))
            case .actor:
                spliced = splice("actors/\(edit.slug)/index.html", oldHTML, newHTML) && splice("actors/\(edit.slug)/index.json", oldText, newText)
            case .page:
                spliced = splice("\(edit.slug)/index.html", oldHTML, newHTML)
            }
            // In the document's own line of `search-index.json` (the file's second line is its
            // first document; it ends with the last one's, `]}` and a newline): searched for in
            // all 39 MB at 10,000 actions, it was a fiftieth of the rebuild's time. The line is
            // found from the nearer end: before the last members are as many megabytes.
            let member = memberNumber(edit.place, corpus: state.corpus), members = state.corpus.count
            guard spliced, let place = index.withUnsafeBytes({ bytes in
                (member < members / 2 ? line(member + 1, of: bytes) : line(fromEnd: members + 1 - member, of: bytes)).flatMap { onlyPlace(of: oldText, in: bytes, within: $0) }
            }),
                  !indexReplacements.contains(where: { $0.range.overlaps(place) }) else { return declined("an old body is not where the site showed it") }
            indexReplacements.append((place, newText))
        }
        indexReplacements.sort { $0.range.lowerBound < $1.range.lowerBound }

        guard let preparation = preparationRead.value else { return declined("the staging folder cannot be locked") }
        guard let changes = changesMade.value else { return declined("the change log's page cannot be made") }
        clock.lap("splice", into: &report)

        // Nothing that can fail is left but writing, which begins while the shards are made.
        let staging: SiteStaging
        staged = true
        do {
            staging = try writer.makeStaging(prepared: preparation)
        } catch {
            report.diagnostics.error("cannot write the site: \(error.localizedDescription)", at: SourceLocation(path: options.output.lastPathComponent))
            return .success(report)
        }
        report.basePath = memory.basePath
        report.pageCount = memory.pageCount
        report.fileCount = memory.fileCount
        report.parsedFileCount = edits.count
        report.renderedBodyCount = edits.count
        report.patchedFileCount = edits.count
        report.renderedPageCount = outputs.keys.count { $0.hasSuffix(".html") } + changes.count { $0.path.hasSuffix(".html") }
        report.diagnostics.append(contentsOf: memory.warnings.map(\.warning))
        let finalIndexMembers = indexMembers, finalReplacements = indexReplacements, finalOutputs = outputs
        var written: Set<String> = ["search-index.json"]
        written.formUnion(outputs.keys)
        written.formUnion(changes.map(\.path))
        let failure = WriteFailure()
        let writes = DispatchGroup()
        // `search-index.json`, streamed over the back folder's copy.
        DispatchQueue.global().async(group: writes) {
            failure.run {
                try staging.writeStreamed(to: "search-index.json", key: SearchOutputs.indexKey(finalIndexMembers), producingInPlace: { emit in
                    index.withUnsafeBytes { bytes in emitSpliced(bytes, finalReplacements, into: emit) }
                })
            }
        }
        failure.run {
            for (path, bytes) in finalOutputs { try staging.write(bytes, to: path) }
            for (path, bytes) in changes { try staging.write(bytes, to: path) }
        }
        let shards = shardsMade.value
        // What this build used that the search cache's file lacks (only a cache), saved
        // meanwhile: the edited documents, the new terms, what the shards made anew, and
        // whatever of the last overlay this build still used (so it holds what the patches
        // since the last full build changed, not every version of it).
        let lastOverlay = overlay.entries
        let editedKeys = Set(edits.map { corpus.keys[documentNumber($0.place, corpus: corpus)] })
        let searchCacheSaved = DispatchGroup()
        DispatchQueue.global().async(group: searchCacheSaved) { [overlay, searchCache, corpus] in
            var overlay = overlay
            var entries = SearchCache()
            entries.terms = Array(searchCache.terms[overlay.baseTermCount...])
            for key in corpus.keys where lastOverlay.documents[key] != nil || editedKeys.contains(key) {
                entries.documents[key] = searchCache.documents[key]
            }
            entries.groups = search.next.groups
            entries.sectionJSON = search.next.sectionJSON
            entries.picks = search.next.picks
            entries.indexMembers = finalIndexMembers
            entries.termHashes = search.next.termHashes
            entries.termHashDocuments = search.next.termHashDocuments
            overlay.entries = entries
            try? writer.writeSearchOverlay(overlay)
        }
        // Every file no edit reaches, kept as it is, once it is known which shards are made.
        written.formUnion(shards.map(\.file.path))
        let writing = written
        DispatchQueue.global().async(group: writes) {
            failure.run {
                guard staging.keepEveryOtherFile(except: writing) else { throw SiteWriter.failure("cannot link the files kept from \(writer.output.path)") }
            }
        }
        failure.run {
            for (file, key) in shards { try staging.write(file.bytes, to: file.path, key: key) }
        }
        writes.wait()
        clock.lap("write", into: &report)
        do {
            if let error = failure.error { throw error }
            var nextMemory = memory
            nextMemory.inputs = stamp
            nextMemory.changeLog = changeLog.state
            var nextState = state
            nextState.files = files
            for edit in edits { nextState.files[edit.file].bodyFingerprint = edit.rendered.fingerprint }
            nextState.corpus = corpus
            let committedState = nextState
            try writer.commit(staging, memory: nextMemory) { committedState }
        } catch {
            report.diagnostics.error("cannot write the site: \(error.localizedDescription)", at: SourceLocation(path: options.output.lastPathComponent))
        }
        clock.lap("commit", into: &report)
        // Only a cache, like the search cache: a rebuild without it renders those bodies again.
        let editedShards = Set(edits.map { BodyCache.shard(of: files[$0.file].path) })
        var bodyCache = bodyCacheRead.value.parts(editedShards)
        for edit in edits {
            bodyCache[files[edit.file].path] = BodyCache.Entry(markdownHash: edit.markdownHash, unsafeHTML: site.unsafeHTML, links: edit.links, rendered: edit.rendered)
        }
        try? writer.writeBodyCache(bodyCache, shards: editedShards)
        searchCacheSaved.wait()
        clock.lap("caches", into: &report)
        // Freed one by one, the caches, records and state took 10 ms after the commit at 10,000
        // actions, in a process about to exit.
        if !options.freesMemory {
            Abandoned.keep(bodyCache, searchCache, bodies, state, files, search, index, staging, changeLog, bodyCacheRead, searchCacheRead, preparationRead,
                           indexRead, changesMade, shardsMade, targets, outputs, changes)
        }
        return .success(report)
    }

    /// The first error of writes made on several threads.
    private final class WriteFailure: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var error: Error?

        func run(_ write: () throws -> Void) {
            do { try write() } catch { lock.withLock { if self.error == nil { self.error = error } } }
        }
    }

    /// `bytes` with each range replaced (in order, none overlapping), handed to `emit` in pieces
    /// of exactly `pieceSize` bytes (the last one shorter). A piece within a run of `bytes` is
    /// handed over where it is; only one across a replacement is put together in a buffer.
    /// Copied into pieces of their own, the 39 MB of `search-index.json` at 10,000 actions were
    /// touched twice more, in fresh memory.
    static func emitSpliced(_ bytes: UnsafeRawBufferPointer, _ replacements: [(range: Range<Int>, bytes: [UInt8])], pieceSize: Int = 1 << 20,
                            into emit: (UnsafeRawBufferPointer) -> Void) {
        let joined = Array(replacements.map(\.bytes).joined())
        joined.withUnsafeBytes { joined in
            var runs: [UnsafeRawBufferPointer] = []
            var offset = 0, replaced = 0
            for (range, replacement) in replacements {
                runs.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<range.lowerBound]))
                runs.append(UnsafeRawBufferPointer(rebasing: joined[replaced..<replaced + replacement.count]))
                offset = range.upperBound
                replaced += replacement.count
            }
            runs.append(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            var buffer: [UInt8] = []
            buffer.reserveCapacity(pieceSize)
            for var run in runs {
                while !run.isEmpty {
                    if buffer.isEmpty && run.count >= pieceSize {
                        emit(UnsafeRawBufferPointer(rebasing: run[..<pieceSize]))
                        run = UnsafeRawBufferPointer(rebasing: run[pieceSize...])
                        continue
                    }
                    let count = min(run.count, pieceSize - buffer.count)
                    buffer += UnsafeRawBufferPointer(rebasing: run[..<count])
                    run = UnsafeRawBufferPointer(rebasing: run[count...])
                    if buffer.count == pieceSize {
                        buffer.withUnsafeBytes(emit)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !buffer.isEmpty { buffer.withUnsafeBytes(emit) }
        }
    }

    /// Whether what a case file without a summary shows instead, the start of its body, is the
    /// same in both bodies: as an actor's or tag's feed shows it (`Feeds.bodyStart`) and as a
    /// search result does (`SearchShards.record`). Nothing else shows a body but the places a
    /// patch splices.
    static func standInsAreEqual(_ old: RenderedMarkdown, _ new: RenderedMarkdown) -> Bool {
        [Feeds.summaryLimit, SearchShards.summaryLimit].allSatisfy { SearchShards.clip(old.plainText, to: $0) == SearchShards.clip(new.plainText, to: $0) }
    }

    /// Where line `number` before the end of `bytes` is (0: the text after the last newline,
    /// 1: the line that newline ends), without its newline, if it has one.
    static func line(fromEnd number: Int, of bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return number == 0 ? 0..<0 : nil }
        var end = bytes.count
        for _ in 0..<number {
            let newline = dossier_last_byte(base, UInt(end), Int32(UInt8(ascii: "\n")))
            guard newline >= 0 else { return nil }
            end = newline
        }
        return dossier_last_byte(base, UInt(end), Int32(UInt8(ascii: "\n"))) + 1..<end
    }

    /// Where line `number` (from 0, without its newline) of `bytes` is, if it has one.
    static func line(_ number: Int, of bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        var start = 0
        for _ in 0..<number {
            guard start < bytes.count, let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) else { return nil }
            start = base.distance(to: UnsafeRawPointer(newline)) + 1
        }
        let newline = start < bytes.count ? memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) : nil
        return start..<(newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count)
    }

    /// Where `needle` is in `bytes[range]` (as a range of `bytes`), if it is there exactly once.
    static func onlyPlace(of needle: [UInt8], in bytes: UnsafeRawBufferPointer, within range: Range<Int>) -> Range<Int>? {
        onlyPlace(of: needle, in: UnsafeRawBufferPointer(rebasing: bytes[range])).map { $0.lowerBound + range.lowerBound..<$0.upperBound + range.lowerBound }
    }

    /// Where `needle` is in `bytes`, if it is there exactly once.
    static func onlyPlace(of needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard !needle.isEmpty else { return nil }
        return needle.withUnsafeBytes { needle in
            var first: UInt = 0
            guard dossier_count_bytes(bytes.baseAddress, UInt(bytes.count), needle.baseAddress, UInt(needle.count), 2, &first) == 1 else { return nil }
            return Int(first)..<Int(first) + needle.count
        }
    }

    /// `site.yml` as the build reads it, with `--base-url`; nil if it has any problem.
    private static func siteConfig(loader: BriefingLoader, baseURL: String?) -> SiteConfig? {
        let (file, problems) = loader.siteFile()
        guard let file, problems.isEmpty else { return nil }
        let (site, siteProblems) = Builder.site(file, baseURL: baseURL)
        return siteProblems.isEmpty ? site : nil
    }

    /// A case file's document number in search order (`SearchDocument.sources`).
    static func documentNumber(_ place: PatchState.Place, corpus: SearchCorpus) -> Int {
        SearchDocument.number(of: place, actions: corpus.actionCount, actors: corpus.actorCount)
    }

    /// Its member number in `search-index.json` (`SearchIndex.members`).
    static func memberNumber(_ place: PatchState.Place, corpus: SearchCorpus) -> Int {
        SearchIndex.number(of: place, actions: corpus.actionCount, actors: corpus.actorCount)
    }

    /// Whether an entry's action or actor has a page: the documents of the corpus.
    private static func publishedCheck(_ corpus: SearchCorpus) -> @Sendable (ChangeEntry) -> Bool {
        let actions = Set(corpus.slugs[0..<corpus.actionCount])
        let actors = Set(corpus.slugs[corpus.actionCount..<corpus.actionCount + corpus.actorCount])
        return { entry in entry.kind.isAction ? actions.contains(entry.slug) : actors.contains(entry.slug) }
    }

    /// Gives each edited document a new key and, in `cache` under it, its entry: the record and
    /// short record as before (a document with a summary shows no body in them), the terms of
    /// every field but the body as before, and the terms of the new body (the body is the
    /// weakest field, so a term whose best field is the body came from the body alone). Its
    /// member of `search-index.json` gets a new key too. False if the cache lacks a document.
    private static func patchDocuments(_ edits: [Edit], corpus: inout SearchCorpus, indexMembers: inout [UInt64],
                                       cache: inout SearchCache) -> Bool {
        guard !edits.isEmpty else { return true }
        var numberOfTerm: [String: UInt32] = [:]
        numberOfTerm.reserveCapacity(cache.terms.count)
        for (number, term) in cache.terms.enumerated() { numberOfTerm[term] = UInt32(number) }
        for edit in edits {
            let number = documentNumber(edit.place, corpus: corpus)
            guard let old = cache.documents[corpus.keys[number]] else { return false }
            let bodyField = UInt32(SearchField.body.rawValue - 1)
            var best: [UInt32: UInt32] = [:]
            for packed in old.terms where packed & 3 != bodyField { best[packed >> 2] = packed & 3 }
            var table = WordFieldTable()
            var tokenizer = SearchTokenizer()
            tokenizer.forEachWordBytes(in: edit.rendered.plainText) { word, _ in table.add(word, .body) }
            for stopWord in SearchTokenizer.stopWordBytes { stopWord.withUnsafeBufferPointer { table.remove($0, below: .name) } }
            table.forEachWord { word, _ in
                let term = SearchStemmer.stem(String(decoding: word, as: UTF8.self))
                let termNumber: UInt32
                if let known = numberOfTerm[term] {
                    termNumber = known
                } else {
                    termNumber = UInt32(cache.terms.count)
                    numberOfTerm[term] = termNumber
                    cache.terms.append(term)
                }
                if best[termNumber] == nil { best[termNumber] = bodyField }
            }
            let terms = best.map { $0.key << 2 | $0.value }.sorted()
            var key = ContentHash(seed: 0x7061_7463_6820_646f)
            key.add(corpus.keys[number])
            key.add(edit.rendered.fingerprint)
            corpus.keys[number] = key.value
            cache.documents[key.value] = SearchCache.Document(record: old.record, short: old.short, terms: terms)
            let member = memberNumber(edit.place, corpus: corpus)
            var memberKey = ContentHash(seed: 0x6d65_6d62_6572)
            memberKey.add(indexMembers[member])
            memberKey.add(edit.rendered.fingerprint)
            indexMembers[member] = memberKey.value
        }
        cache.usedTermCount = nil
        return true
    }

    /// `bytes` with the one place `old` occurs in it replaced by `new`; nil unless `old` occurs
    /// exactly once.
    static func replacingOnce(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) -> [UInt8]? {
        guard let place = bytes.withUnsafeBytes({ onlyPlace(of: old, in: $0) }) else { return nil }
        var result = bytes
        result.replaceSubrange(place, with: new)
        return result
    }
}
