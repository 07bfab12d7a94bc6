import Foundation

/// What a rebuild needs of the build that made the site in place to patch that site when only
/// case files' bodies changed (Build/BodyPatch.swift), without loading, parsing and linking the
/// briefing: each case file's metadata and bytes as that build read them and its place in the
/// graph, what every `[[slug]]` resolves to, what the change log's page shows besides its
/// entries, and what the search shards read besides each document's terms (`SearchCorpus`).
///
/// Kept beside the site's record as `site-<identity>.patch` and removed with it
/// (`SiteWriter`), so it always describes the folder it is named after. About 3 MB at 10,000
/// actions, written by every build that writes a site, on a thread of its own.
public struct PatchState: Sendable {
    /// A case file as the build read it.
    struct CaseFile: Sendable, Equatable {
        var path: String
        /// `FileSignature` of the file as the build's walk listed it; 0 when it was too new
        /// to trust, and its bytes are compared instead.
        var signature: UInt64
        /// `ContentHash` of the bytes the site was built from; 0 when the build kept none (a
        /// file with a problem).
        var contentHash: UInt64
        /// Nil for a case file the site does not show (a draft).
        var place: Place?
        /// `cachedFingerprint` of its model: every field but the body that can reach the site.
        var fingerprint: UInt64
        /// `RenderedMarkdown.fingerprint` of its body as the site shows it.
        var bodyFingerprint: UInt64
    }

    /// Where a case file is in the graph (an index into its actors, actions or pages).
    typealias Place = SearchDocument.Source

    /// `InputStamp.tool` of the build.
    var tool: UInt64
    /// `InputStamp.Listing.rest` of the build's inputs.
    var rest: UInt64
    /// The site's file count, as its record's memory says: a check that the two belong together.
    var fileCount: Int
    /// The briefing's newest date (`Standing.asOf`).
    var asOf: DayDate?
    /// The published pages, in the graph's order, as the navigation lists them.
    var pages: [(slug: String, title: String)]
    /// What a `[[slug]]` can name: every linkable case file, and the slugs of unreadable ones.
    var targets: [LinkTarget]
    var unreadableSlugs: [String]
    /// Every `.md` file of the case folders the walk listed, sorted by path.
    var files: [CaseFile]
    var corpus: SearchCorpus

    // MARK: Bytes

    private static let signature = Array("dossier patch state 1\n".utf8)

    func encoded() -> [UInt8] {
        var writer = ParseCacheWriter()
        writer.bytes.reserveCapacity(160 * files.count + 64 * corpus.count)
        writer.bytes += Self.signature
        writer.word(tool)
        writer.word(rest)
        writer.varint(UInt64(fileCount))
        writer.optionalDate(asOf)
        writer.varint(UInt64(pages.count))
        for page in pages { writer.text(page.slug); writer.text(page.title) }
        writer.varint(UInt64(targets.count))
        for target in targets {
            writer.bytes.append(Self.kindNumber(target.kind))
            writer.text(target.slug)
            writer.text(target.title)
            writer.flag(target.isPublished)
        }
        writer.texts(unreadableSlugs)
        writer.varint(UInt64(files.count))
        for file in files {
            writer.text(file.path)
            writer.word(file.signature)
            writer.word(file.contentHash)
            switch file.place {
            case nil: writer.bytes.append(0)
            case .actor(let index): writer.bytes.append(1); writer.varint(UInt64(index))
            case .action(let index): writer.bytes.append(2); writer.varint(UInt64(index))
            case .page(let index): writer.bytes.append(3); writer.varint(UInt64(index))
            }
            writer.word(file.fingerprint)
            writer.word(file.bodyFingerprint)
        }
        writer.varint(UInt64(corpus.count))
        for number in 0..<corpus.count {
            writer.text(corpus.slugs[number])
            writer.word(corpus.keys[number])
            writer.integer(corpus.typeIndices[number] ?? -1)
            writer.optionalDate(corpus.dates[number])
        }
        writer.varint(UInt64(corpus.named.count))
        for named in corpus.named {
            writer.varint(UInt64(named.document))
            writer.texts(named.names)
        }
        for count in [corpus.actionCount, corpus.actorCount, corpus.pageCount] { writer.varint(UInt64(count)) }
        let checksum = writer.bytes.withUnsafeBytes { ContentHash.of($0) }
        writer.word(checksum)
        return writer.bytes
    }

    /// The state `encoded` wrote; nil for another build of dossier's, or a damaged one.
    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count > Self.signature.count + 8, bytes.starts(with: Self.signature) else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 8)])
        var check = ByteReader(bytes: bytes, offset: bytes.count - 8)
        guard check.word() == ContentHash.of(body) else { return nil }
        var reader = ByteReader(bytes: body, offset: Self.signature.count)
        guard let tool = reader.word(), tool == InputStamp.tool(), let rest = reader.word(), let fileCount = reader.varint(),
              let asOf = reader.optionalDate(), let pageCount = reader.count() else { return nil }
        self.tool = tool
        self.rest = rest
        self.fileCount = Int(truncatingIfNeeded: fileCount)
        self.asOf = asOf
        pages = []
        for _ in 0..<pageCount {
            guard let slug = reader.text(), let title = reader.text() else { return nil }
            pages.append((slug, title))
        }
        guard let targetCount = reader.count() else { return nil }
        targets = []
        targets.reserveCapacity(targetCount)
        for _ in 0..<targetCount {
            guard let kind = reader.byte().flatMap(Self.kind), let slug = reader.text(), let title = reader.text(), let published = reader.flag() else { return nil }
            targets.append(LinkTarget(kind: kind, slug: slug, title: title, isPublished: published))
        }
        guard let unreadable = reader.texts(), let fileCount = reader.count() else { return nil }
        unreadableSlugs = unreadable
        files = []
        files.reserveCapacity(fileCount)
        for _ in 0..<fileCount {
            guard let path = reader.text(), let signature = reader.word(), let contentHash = reader.word(), let placeKind = reader.byte() else { return nil }
            var place: Place?
            if placeKind != 0 {
                guard let number = reader.varint(), number < UInt64(Int32.max) else { return nil }
                let index = Int(number)
                switch placeKind {
                case 1: place = .actor(index)
                case 2: place = .action(index)
                case 3: place = .page(index)
                default: return nil
                }
            }
            guard let fingerprint = reader.word(), let bodyFingerprint = reader.word() else { return nil }
            files.append(CaseFile(path: path, signature: signature, contentHash: contentHash, place: place, fingerprint: fingerprint, bodyFingerprint: bodyFingerprint))
        }
        guard let documentCount = reader.count() else { return nil }
        var slugs: [String] = [], keys: [UInt64] = [], typeIndices: [Int?] = [], dates: [DayDate?] = []
        slugs.reserveCapacity(documentCount); keys.reserveCapacity(documentCount)
        typeIndices.reserveCapacity(documentCount); dates.reserveCapacity(documentCount)
        for _ in 0..<documentCount {
            guard let slug = reader.text(), let key = reader.word(), let typeIndex = reader.integer(), let date = reader.optionalDate() else { return nil }
            slugs.append(slug); keys.append(key); typeIndices.append(typeIndex < 0 ? nil : typeIndex); dates.append(date)
        }
        guard let namedCount = reader.count() else { return nil }
        var named: [SearchCorpus.Named] = []
        for _ in 0..<namedCount {
            guard let document = reader.varint(), document < UInt64(documentCount), let names = reader.texts() else { return nil }
            named.append(SearchCorpus.Named(document: Int(document), names: names))
        }
        // Counts of documents, not of bytes still to read.
        guard let actions = reader.varint(), let actors = reader.varint(), let pagesCount = reader.varint(), actions + actors + pagesCount == UInt64(documentCount),
              reader.offset == body.count else { return nil }
        corpus = SearchCorpus(slugs: slugs, keys: keys, typeIndices: typeIndices, dates: dates, named: named,
                              actionCount: Int(actions), actorCount: Int(actors), pageCount: Int(pagesCount))
    }

    init(tool: UInt64, rest: UInt64, fileCount: Int, asOf: DayDate?, pages: [(slug: String, title: String)], targets: [LinkTarget],
         unreadableSlugs: [String], files: [CaseFile], corpus: SearchCorpus) {
        self.tool = tool
        self.rest = rest
        self.fileCount = Int(truncatingIfNeeded: fileCount)
        self.asOf = asOf
        self.pages = pages
        self.targets = targets
        self.unreadableSlugs = unreadableSlugs
        self.files = files
        self.corpus = corpus
    }

    private static func kindNumber(_ kind: LinkTarget.Kind) -> UInt8 {
        switch kind {
        case .actor: 1
        case .action: 2
        case .page: 3
        }
    }

    private static func kind(_ number: UInt8) -> LinkTarget.Kind? {
        switch number {
        case 1: .actor
        case 2: .action
        case 3: .page
        default: nil
        }
    }
}

extension PatchState {
    /// The state of a build that made `graph` into the site: `listing` is its walk's,
    /// `contentHashes` the bytes of each case file it kept a model of (the parse cache's), by
    /// path, `bodies` its rendered bodies, `corpus` what its search outputs were made from.
    init(listing: InputStamp.Listing, trustedAge: Double, contentHashes: [String: UInt64], graph: BriefingGraph,
         bodies: [String: RenderedMarkdown], corpus: SearchCorpus, fileCount: Int) {
        var places: [String: (Place, fingerprint: UInt64, body: UInt64)] = [:]
        places.reserveCapacity(graph.actors.count + graph.actions.count + graph.pages.count)
        for index in graph.actors.indices {
            places[graph.actors[index].path] = (.actor(index), graph.actorFingerprints[index], bodies[graph.actors[index].slug]?.fingerprint ?? 0)
        }
        for index in graph.actions.indices {
            places[graph.actions[index].path] = (.action(index), graph.actionFingerprints[index], bodies[graph.actions[index].slug]?.fingerprint ?? 0)
        }
        for index in graph.pages.indices {
            places[graph.pages[index].path] = (.page(index), graph.pageFingerprints[index], bodies[graph.pages[index].slug]?.fingerprint ?? 0)
        }
        let files = listing.caseFiles.map { folder, name, status in
            let path = folder + "/" + name
            let place = places[path]
            return CaseFile(path: path, signature: FileSignature.of(status, now: listing.started, trustedAge: trustedAge),
                            contentHash: contentHashes[path] ?? 0, place: place?.0, fingerprint: place?.fingerprint ?? 0, bodyFingerprint: place?.body ?? 0)
        }
        self.init(tool: InputStamp.tool(), rest: listing.rest, fileCount: fileCount, asOf: Standing.asOf(graph),
                  pages: graph.pages.map { ($0.slug, $0.title) },
                  // In the dictionary's order: the state is a cache, read back whole, and sorting 12,000
                  // targets was a third of making it at 10,000 actions.
                  targets: Array(graph.targets.values), unreadableSlugs: Array(graph.unreadableSlugs),
                  files: files, corpus: corpus)
    }
}
