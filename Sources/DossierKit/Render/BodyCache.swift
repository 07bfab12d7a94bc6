import Foundation

/// Rendered bodies from earlier builds, so a rebuild renders only the Markdown that changed.
///
/// An entry is good for a body when the Markdown text is the same (by `ContentHash`), the
/// `unsafe_html` setting is the same, and every `[[slug]]` the body resolved when it was
/// rendered resolves the same way now (a renamed actor changes the link text of every body that
/// names it, and only those). The whole cache belongs to one build of dossier (`InputStamp.tool`).
/// Bodies that had problems are not kept: their diagnostics must show on every build.
public struct BodyCache: Sendable {
    public struct Entry: Sendable {
        public var markdownHash: UInt64
        public var unsafeHTML: Bool
        /// Each slug the body resolved, with the fingerprint of how it resolved.
        public var links: [(slug: String, resolution: UInt64)]
        public var rendered: RenderedMarkdown
    }

    /// By the case file's path.
    public var entries: [String: Entry] = [:]
    /// `linksFingerprint` of the graph every entry was last checked against or rendered with,
    /// when the cache on disk says so: while the briefing's link targets stay as they were, an
    /// entry is good whenever its Markdown is, and no link of 12,000 bodies is resolved again.
    public var linksFingerprint: UInt64?

    public init() {}

    /// What every `[[slug]]` of every body resolves to in `graph`: the published site's targets
    /// (kind, slug, title, whether published), the unreadable files' slugs and the base URL.
    /// Each target hashed on its own and the results summed, so no order is needed.
    static func linksFingerprint(_ graph: BriefingGraph) -> UInt64 {
        var sum: UInt64 = 0
        for (slug, target) in graph.targets {
            var hash = ContentHash(seed: 1)
            hash.add(slug)
            hash.add(target.kind.rawValue)
            hash.add(target.slug)
            hash.add(target.title)
            hash.add(target.isPublished ? 1 : 0)
            sum &+= hash.value
        }
        for slug in graph.unreadableSlugs {
            var hash = ContentHash(seed: 2)
            hash.add(slug)
            sum &+= hash.value
        }
        var hash = ContentHash(seed: 3)
        hash.add(graph.site.baseURL)
        hash.add(UInt64(graph.targets.count))
        hash.add(UInt64(graph.unreadableSlugs.count))
        hash.add(sum)
        return hash.value
    }

    static func fingerprint(_ resolution: WikiLinkResolution) -> UInt64 {
        var hash = ContentHash()
        switch resolution {
        case .link(let url, let title): hash.add("link"); hash.add(url); hash.add(title)
        case .plainText(let title): hash.add("text"); hash.add(title)
        case .unknown: hash.add("unknown")
        }
        return hash.value
    }

    /// The entry for `path` if it is good for `body` now. With `linksUnchanged` (the graph's
    /// `linksFingerprint` is the cache's), its links are not resolved again.
    func entry(for body: Body, path: String, unsafeHTML: Bool, linksUnchanged: Bool = false, resolve: (String) -> WikiLinkResolution) -> Entry? {
        guard let entry = entries[path], entry.unsafeHTML == unsafeHTML, entry.markdownHash == body.markdownHash,
              linksUnchanged || entry.links.allSatisfy({ Self.fingerprint(resolve($0.slug)) == $0.resolution }) else { return nil }
        return entry
    }

    /// The file that holds `linksFingerprint`: the tool's stamp and the value.
    static func linksFileBytes(_ linksFingerprint: UInt64) -> [UInt8] {
        var bytes = linksSignature
        append(InputStamp.tool(), to: &bytes)
        append(linksFingerprint, to: &bytes)
        return bytes
    }

    /// `linksFingerprint` from that file; nil for anything another build of dossier wrote.
    static func linksFingerprint(file bytes: Data) -> UInt64? {
        guard bytes.count == linksSignature.count + 16, bytes.starts(with: linksSignature) else { return nil }
        return bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(bytes: buffer, offset: linksSignature.count)
            guard reader.word() == InputStamp.tool() else { return nil }
            return reader.word()
        }
    }

    private static let linksSignature = Array("dossier body links 1\n".utf8)

    // MARK: Bytes

    private static let signature = Array("dossier body cache 3\n".utf8)
    /// Seven words: `Table`.
    private static let tableRecordSize = 56

    /// The cache is kept in this many files, each body in the one its path picks, so a build
    /// that renders one body again rewrites a sixty-fourth of the cache, not 70 MB.
    public static let shardCount = 64

    public static func shard(of path: String) -> Int { Int(ContentHash.of(path) % UInt64(shardCount)) }

    /// The cache as its files hold it: the entry of `path` in `parts[shard(of: path)]`.
    struct Parts: Sendable {
        var parts = [BodyCache](repeating: BodyCache(), count: BodyCache.shardCount)
        var linksFingerprint: UInt64?

        subscript(path: String) -> Entry? {
            get { parts[BodyCache.shard(of: path)].entries[path] }
            set { parts[BodyCache.shard(of: path)].entries[path] = newValue }
        }
    }

    /// The cache's files read only as far as their tables (`Table`): a body patch looks up every
    /// body of the briefing to check it is the one the patch state recorded, and uses a few.
    /// Decoded whole, the 64 files (71 MB at 10,000 actions) were read through for 12,000 entries'
    /// paths and links, a tenth of the patch's time.
    struct Tables: Sendable {
        var tables: [Table?] = Array(repeating: nil, count: BodyCache.shardCount)
        var linksFingerprint: UInt64?

        /// The body rendered for `path`, and whether it was rendered with raw HTML allowed.
        func rendered(path: String) -> (rendered: RenderedMarkdown, unsafeHTML: Bool)? {
            let hash = ContentHash.of(path)
            return tables[Int(hash % UInt64(BodyCache.shardCount))]?.rendered(pathHash: hash)
        }

        /// The files of `shards` decoded whole, to be written again with some entries changed.
        func parts(_ shards: Set<Int>) -> Parts {
            var parts = Parts()
            parts.linksFingerprint = linksFingerprint
            for shard in shards {
                if let table = tables[shard] { parts.parts[shard] = BodyCache(file: table.file) }
            }
            return parts
        }
    }

    /// One file's table: for each entry, sorted by the hash of its path, the hash, the rendered
    /// body's fingerprint, whether raw HTML was allowed, and where the HTML and the plain text
    /// lie in the file. An entry is found by its path's 64-bit `ContentHash` alone, as every
    /// cache here is keyed.
    struct Table: Sendable {
        let file: MappedFile
        private let start: Int
        private let count: Int

        /// Nil for a file another build of dossier wrote, or one too short for its table.
        init?(file: MappedFile) {
            guard let (start, count) = BodyCache.table(of: file.bytes) else { return nil }
            self.file = file
            self.start = start
            self.count = count
        }

        func rendered(pathHash: UInt64) -> (rendered: RenderedMarkdown, unsafeHTML: Bool)? {
            let bytes = file.bytes
            func word(_ record: Int, _ field: Int) -> UInt64 {
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start + record * BodyCache.tableRecordSize + field * 8, as: UInt64.self))
            }
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                if word(middle, 0) < pathHash { low = middle + 1 } else { high = middle }
            }
            guard low < count, word(low, 0) == pathHash else { return nil }
            let html = word(low, 3), htmlCount = word(low, 4), plainText = word(low, 5), plainTextCount = word(low, 6)
            let size = UInt64(bytes.count)
            guard html <= size, htmlCount <= size - html, plainText <= size, plainTextCount <= size - plainText else { return nil }
            let rendered = RenderedMarkdown(cachedIn: file, html: Int(html)..<Int(html + htmlCount), plainText: Int(plainText)..<Int(plainText + plainTextCount),
                                            fingerprint: word(low, 1))
            return (rendered, word(low, 2) == 1)
        }
    }

    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        encode { bytes += $0 }
        return bytes
    }

    /// Hands the encoding to `sink` in pieces of about a megabyte, so writing the cache never
    /// holds a second copy of every body in memory. `SiteWriter` writes each shard's entries
    /// as a cache of their own. The table (`Table`) comes first, the entries after it in the
    /// order of their paths.
    public func encode(into sink: ([UInt8]) throws -> Void) rethrows {
        let sorted = entries.sorted(by: { $0.key < $1.key })
        // Where each entry's texts will lie: the entries' sizes are known before any is written.
        var offset = Self.signature.count + 16 + sorted.count * Self.tableRecordSize
        var records: [(pathHash: UInt64, fingerprint: UInt64, unsafeHTML: UInt64, html: Int, htmlCount: Int, plainText: Int, plainTextCount: Int)] = []
        records.reserveCapacity(sorted.count)
        for (path, entry) in sorted {
            offset += 8 + path.utf8.count + 24
            for link in entry.links { offset += 16 + link.slug.utf8.count }
            let (htmlCount, plainTextCount) = entry.rendered.withUTF8 { ($0.count, $1.count) }
            let html = offset + 8
            let plainText = html + htmlCount + 8
            offset = plainText + plainTextCount + 8
            records.append((ContentHash.of(path), entry.rendered.fingerprint, entry.unsafeHTML ? 1 : 0, html, htmlCount, plainText, plainTextCount))
        }
        records.sort { $0.pathHash < $1.pathHash }
        var bytes = Self.signature
        Self.append(InputStamp.tool(), to: &bytes)
        Self.append(UInt64(entries.count), to: &bytes)
        for record in records {
            for word in [record.pathHash, record.fingerprint, record.unsafeHTML, UInt64(record.html), UInt64(record.htmlCount), UInt64(record.plainText), UInt64(record.plainTextCount)] {
                Self.append(word, to: &bytes)
            }
        }
        for (path, entry) in sorted {
            Self.append(path, to: &bytes)
            Self.append(entry.markdownHash, to: &bytes)
            Self.append(entry.unsafeHTML ? 1 : 0, to: &bytes)
            Self.append(UInt64(entry.links.count), to: &bytes)
            for link in entry.links {
                Self.append(link.slug, to: &bytes)
                Self.append(link.resolution, to: &bytes)
            }
            entry.rendered.withUTF8 { html, plainText in
                Self.append(html, to: &bytes)
                Self.append(plainText, to: &bytes)
            }
            Self.append(entry.rendered.fingerprint, to: &bytes)
            if bytes.count >= 1 << 20 {
                try sink(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try sink(bytes)
    }

    /// An empty cache for anything another build of dossier wrote, or that is damaged.
    public init(encoded data: Data) {
        self.init(file: MappedFile(copying: data))
    }

    public init(encoded bytes: [UInt8]) {
        self.init(encoded: Data(bytes))
    }

    /// Reads the entries of a cache file; their texts stay in `file` until asked for.
    init(file: MappedFile) {
        entries = Self.decode(file) ?? [:]
    }

    private static func decode(_ file: MappedFile) -> [String: Entry]? {
        let bytes = file.bytes
        guard let (tableStart, count) = table(of: bytes) else { return nil }
        // After the table, which says nothing the entries do not.
        var reader = ByteReader(bytes: bytes, offset: tableStart + count * tableRecordSize)
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(min(count, bytes.count / 32))
        for _ in 0..<count {
            guard let path = reader.wordText(), let markdownHash = reader.word(), let unsafe = reader.word(), let linkCount = reader.word(),
                  linkCount < 1_000_000 else { return nil }
            var links: [(slug: String, resolution: UInt64)] = []
            links.reserveCapacity(Int(linkCount))
            for _ in 0..<linkCount {
                guard let slug = reader.wordText(), let resolution = reader.word() else { return nil }
                links.append((slug, resolution))
            }
            guard let html = reader.wordRange(), let plainText = reader.wordRange(), let fingerprint = reader.word() else { return nil }
            entries[path] = Entry(markdownHash: markdownHash, unsafeHTML: unsafe == 1, links: links,
                                  rendered: RenderedMarkdown(cachedIn: file, html: html, plainText: plainText, fingerprint: fingerprint))
        }
        return entries
    }

    /// Where a file's table starts and how many entries it has; nil for a file another build
    /// of dossier wrote, or one too short for its table.
    private static func table(of bytes: UnsafeRawBufferPointer) -> (start: Int, count: Int)? {
        var reader = ByteReader(bytes: bytes, offset: signature.count)
        guard bytes.count > signature.count, bytes.starts(with: signature), reader.word() == InputStamp.tool(), let count = reader.word(),
              count <= UInt64(bytes.count / tableRecordSize), reader.offset + Int(count) * tableRecordSize <= bytes.count else { return nil }
        return (reader.offset, Int(count))
    }

    private static func append(_ number: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        append(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func append(_ utf8: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        append(UInt64(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }
}
