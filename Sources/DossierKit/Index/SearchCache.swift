import Foundation

/// What earlier builds made of the search outputs (`search-index.json` and the shards), so a
/// rebuild redoes only what its changes reach. Every entry is keyed by a `ContentHash` of exactly
/// the inputs it was made from, so an entry found is what making it again would give, whatever
/// else changed; entries a build did not use are not kept. The whole cache belongs to one build
/// of dossier (`InputStamp.tool`); a damaged cache (its checksum, at the end, differs) reads as empty. Stored in
/// `.Site.dossier/search.cache` (`SiteWriter.readSearchCacheAndOverlay`), with what body patches added since in
/// `search.overlay` (`SearchCache.Overlay`).
///
/// - a document's tokenization (its terms with their best field) and records, by the hash of
///   the `SearchDocument` (`SearchBuild.key`). Not its clipped body, which a build makes again
///   for the few packs and chunks it makes anew: the bodies were 36 of the cache's 43 MB at
///   10,000 actions, read and written by every build;
/// - a document's member of `search-index.json`, by the document's hash and its other fields;
/// - the sections of a shard key, by its terms and their postings; a section's JSON, by that and
///   the names listed in it; its picks, by that and the postings of its phrases;
/// - each term's hash of itself and its postings, with the documents they were made of, so a
///   build hashes again only the terms of the documents that changed (`TermPostings`).
///
/// Not the compressed files of the shards: each is recorded with the key of what it is made
/// from, and a build keeps the site in place's file with the same key (`SearchOutputs.shardFiles`).
public struct SearchCache: Sendable {
    struct Document: Sendable {
        var record: String
        var short: String
        /// Each term of the document once, as `term number << 2 | (field - 1)`, ascending; term
        /// numbers index `terms`.
        var terms: [UInt32]
    }

    struct Group: Sendable {
        var sections: [SearchSection]
        var split: [String: String]
    }

    var documents: [UInt64: Document] = [:]
    /// The term numbers of `documents`.
    var terms: [String] = []
    var groups: [UInt64: Group] = [:]
    var sectionJSON: [UInt64: String] = [:]
    var picks: [UInt64: SearchPicks] = [:]
    /// The key (`SearchOutputs.memberKey`) of each document of the `search-index.json` this
    /// cache came with, in the file's order, one a line; a later build copies the lines of
    /// documents whose key is unchanged.
    var indexMembers: [UInt64] = []
    /// The record key of that `search-index.json` (`SearchOutputs.indexKey`): the file in place
    /// is the one these members describe only if its record has this key.
    var indexKey: UInt64 { SearchOutputs.indexKey(indexMembers) }
    /// What the build that made the cache hashed of each term and its postings, by term
    /// number (0: no document uses the term), and the keys of the documents, in search order,
    /// whose postings those were (`TermPostings`): a later build over the same
    /// documents but a few hashes again only the terms of the documents that changed.
    /// Empty when unknown.
    var termHashes: [UInt64] = []
    var termHashDocuments: [UInt64] = []
    /// How many of `terms` the documents use, when the build that made the cache counted them
    /// (its postings): not stored, and counted again by `encode` when unknown.
    var usedTermCount: Int?
    /// The checksum the cache's file ended with, when it was read from one: what an `Overlay`
    /// is made over.
    var checksum: UInt64?

    public init() {}

    public var isEmpty: Bool { documents.isEmpty }

    // MARK: Bytes

    private static let signature = Array("dossier search cache 5\n".utf8)

    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        encode { bytes += $0 }
        return bytes
    }

    /// Hands the encoding to `sink` in pieces of about a megabyte. Only the terms the documents
    /// use are written, renumbered in their order. Entries go in the dictionaries' order, which
    /// differs from process to process: a cache is read back whole, so its order means nothing,
    /// and sorting 12,000 documents was a third of the encoding.
    public func encode(into sink: ([UInt8]) throws -> Void) rethrows {
        var writer = Writer()
        writer.bytes = Self.signature
        writer.number(InputStamp.tool())

        // Terms no document uses any more are dropped, and the rest renumbered, only once they
        // are a quarter of all: renumbering means sorting every document's terms again, and a
        // rebuild after one edit drops a few terms at most.
        // Counted from every document's terms (2.4 million at 10,000 actions) only when the
        // build did not count them already.
        let usedCount = usedTermCount ?? {
            var used = [Bool](repeating: false, count: terms.count)
            var count = 0
            for document in documents.values {
                for packed in document.terms where !used[Int(packed >> 2)] {
                    used[Int(packed >> 2)] = true
                    count += 1
                }
            }
            return count
        }()
        let renumbers = usedCount * 4 < terms.count * 3
        var newNumber: [UInt32] = []
        var termHashes = termHashes.count == terms.count ? termHashes : []
        if renumbers {
            newNumber = [UInt32](repeating: UInt32.max, count: terms.count)
            var kept: [String] = []
            for document in documents.values {
                for packed in document.terms where newNumber[Int(packed >> 2)] == UInt32.max {
                    newNumber[Int(packed >> 2)] = UInt32(kept.count)
                    kept.append(terms[Int(packed >> 2)])
                }
            }
            writer.number(UInt64(kept.count))
            for term in kept { writer.text(term) }
            // A term no document uses has the hash 0, and is not kept.
            if !termHashes.isEmpty {
                var renumbered = [UInt64](repeating: 0, count: kept.count)
                for (number, hash) in termHashes.enumerated() where newNumber[number] != UInt32.max { renumbered[Int(newNumber[number])] = hash }
                termHashes = renumbered
            }
        } else {
            writer.number(UInt64(terms.count))
            for term in terms { writer.text(term) }
        }
        try writer.flush(into: sink)
        try writeEntries(into: &writer, sink: sink, termHashes: termHashes) { renumbers ? $0.map { newNumber[Int($0 >> 2)] << 2 | $0 & 3 }.sorted() : $0 }
    }

    /// Everything after the terms: documents (their terms as `numbered` gives them), groups,
    /// sections' JSON, picks, the members of `search-index.json`, the term hashes (`termHashes`,
    /// numbered as the terms written) with their documents, and the checksum.
    private func writeEntries(into writer: inout Writer, sink: ([UInt8]) throws -> Void, termHashes: [UInt64], numbered: ([UInt32]) -> [UInt32]) rethrows {
        writer.number(UInt64(documents.count))
        for (key, document) in documents {
            writer.number(key)
            writer.text(document.record)
            writer.text(document.short)
            writer.numbers(numbered(document.terms))
            try writer.flush(into: sink)
        }
        writer.number(UInt64(groups.count))
        for (key, group) in groups {
            writer.number(key)
            writer.number(UInt64(group.sections.count))
            for section in group.sections {
                writer.text(section.key)
                writer.number(UInt64(section.terms.count))
                for (term, encoded) in zip(section.terms, section.encoded) {
                    writer.text(term)
                    writer.text(encoded)
                }
                writer.number(section.heads == nil ? 0 : 1)
                if let heads = section.heads { writer.numbers(heads) }
            }
            writer.number(UInt64(group.split.count))
            for (key, next) in group.split.sorted(by: { $0.key < $1.key }) {
                writer.text(key)
                writer.text(next)
            }
            try writer.flush(into: sink)
        }
        writer.number(UInt64(sectionJSON.count))
        for (key, json) in sectionJSON {
            writer.number(key)
            writer.text(json)
            try writer.flush(into: sink)
        }
        writer.number(UInt64(picks.count))
        for (key, picks) in picks {
            writer.number(key)
            writer.numbers(picks.documents.map(UInt32.init))
            writer.numbers(picks.withNames.sorted().map(UInt32.init))
            writer.number(UInt64(picks.windows.count))
            for (document, terms) in picks.windows.sorted(by: { $0.key < $1.key }) {
                writer.number(UInt64(document))
                writer.number(UInt64(terms.count))
                for term in terms.sorted() { writer.text(term) }
            }
            try writer.flush(into: sink)
        }
        writer.numbers(indexMembers)
        writer.numbers(termHashes)
        writer.numbers(termHashes.isEmpty ? [] : termHashDocuments)
        try writer.flush(into: sink, force: true)
    }

    /// An empty cache for anything another build of dossier wrote, or that is damaged.
    /// Usually a mapped file's bytes (`SiteWriter.readSearchCacheAndOverlay`).
    init(encoded bytes: UnsafeRawBufferPointer) {
        self = Self.decode(bytes) ?? SearchCache()
    }

    public init(encoded bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { SearchCache(encoded: $0) }
    }

    private static func decode(_ all: UnsafeRawBufferPointer) -> SearchCache? {
        guard all.count >= 8 else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: all[0..<all.count - 8])
        guard UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self)) == checksum(bytes) else { return nil }
        var reader = ByteReader(bytes: bytes, offset: signature.count)
        guard bytes.count > signature.count, Array(bytes[0..<signature.count]) == signature, reader.word() == InputStamp.tool() else { return nil }
        var cache = SearchCache()
        guard let termCount = reader.wordCount() else { return nil }
        cache.terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            guard let term = reader.wordText() else { return nil }
            cache.terms.append(term)
        }
        guard cache.readEntries(&reader, termCount: termCount), reader.offset == bytes.count else { return nil }
        cache.checksum = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self))
        return cache
    }

    /// What `writeEntries` wrote, into this cache; false if anything is amiss.
    private mutating func readEntries(_ reader: inout ByteReader, termCount: Int) -> Bool {
        guard let documentCount = reader.wordCount() else { return false }
        documents.reserveCapacity(documentCount)
        for _ in 0..<documentCount {
            guard let key = reader.word(), let record = reader.wordText(), let short = reader.wordText(),
                  let terms = reader.uint32s(), terms.allSatisfy({ Int($0 >> 2) < termCount }) else { return false }
            documents[key] = Document(record: record, short: short, terms: terms)
        }
        guard let groupCount = reader.wordCount() else { return false }
        for _ in 0..<groupCount {
            guard let key = reader.word(), let sectionCount = reader.wordCount() else { return false }
            var group = Group(sections: [], split: [:])
            for _ in 0..<sectionCount {
                guard let sectionKey = reader.wordText(), let count = reader.wordCount() else { return false }
                var section = SearchSection(key: sectionKey)
                for _ in 0..<count {
                    guard let term = reader.wordText(), let encoded = reader.wordText() else { return false }
                    section.terms.append(term)
                    section.encoded.append(encoded)
                }
                guard let hasHeads = reader.word() else { return false }
                if hasHeads == 1 {
                    guard let heads = reader.uint32s() else { return false }
                    section.heads = heads
                }
                group.sections.append(section)
            }
            guard let splitCount = reader.wordCount() else { return false }
            for _ in 0..<splitCount {
                guard let key = reader.wordText(), let next = reader.wordText() else { return false }
                group.split[key] = next
            }
            groups[key] = group
        }
        guard let jsonCount = reader.wordCount() else { return false }
        for _ in 0..<jsonCount {
            guard let key = reader.word(), let json = reader.wordText() else { return false }
            sectionJSON[key] = json
        }
        guard let picksCount = reader.wordCount() else { return false }
        for _ in 0..<picksCount {
            guard let key = reader.word(), let documents = reader.uint32s(), let withNames = reader.uint32s(), let windowCount = reader.wordCount() else { return false }
            var windows: [Int: Set<String>] = [:]
            for _ in 0..<windowCount {
                guard let document = reader.word(), let termCount = reader.wordCount() else { return false }
                var terms: Set<String> = []
                for _ in 0..<termCount {
                    guard let term = reader.wordText() else { return false }
                    terms.insert(term)
                }
                windows[Int(document)] = terms
            }
            picks[key] = SearchPicks(documents: documents.map(Int.init), windows: windows, withNames: Set(withNames.map(Int.init)))
        }
        guard let members = reader.words(), let hashes = reader.words(), let hashDocuments = reader.words(),
              hashes.isEmpty || hashes.count == termCount else { return false }
        indexMembers = members
        termHashes = hashes
        termHashDocuments = hashDocuments
        return true
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func number(_ number: UInt64) {
            withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func text(_ text: String) {
            number(UInt64(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
        }

        /// A word count, then the numbers little-endian (`ByteReader.uint32s`, `words`).
        mutating func numbers<Number: FixedWidthInteger>(_ numbers: [Number]) {
            number(UInt64(numbers.count))
            #if _endian(little)
            // In memory they are little-endian already: copied as one block.
            numbers.withUnsafeBytes { bytes.append(contentsOf: $0) }
            #else
            for value in numbers { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
            #endif
        }

        var checksum = ContentHash()

        /// Hands on whole blocks (all that is left when `force`, then the checksum of every
        /// block), so the checksum is over the same blocks whatever the pieces were.
        mutating func flush(into sink: ([UInt8]) throws -> Void, force: Bool = false) rethrows {
            guard force || bytes.count >= SearchCache.block else { return }
            var start = 0
            while bytes.count - start >= SearchCache.block || (force && start < bytes.count) {
                let end = min(start + SearchCache.block, bytes.count)
                let piece = Array(bytes[start..<end])
                piece.withUnsafeBytes { checksum.add($0) }
                try sink(piece)
                start = end
            }
            bytes.removeSubrange(0..<start)
            if force {
                var tail: [UInt8] = []
                withUnsafeBytes(of: checksum.value.littleEndian) { tail.append(contentsOf: $0) }
                try sink(tail)
            }
        }
    }

    static let block = 1 << 20

    /// The checksum `Writer` ends the bytes with.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ContentHash()
        var start = 0
        while start < bytes.count {
            let end = min(start + block, bytes.count)
            hash.add(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            start = end
        }
        return hash.value
    }
}

extension SearchCache {
    /// What body patches (Build/BodyPatch.swift) add to the cache, kept beside it
    /// (`.Site.dossier/search.overlay`) instead of writing the whole cache again: 20 MB at
    /// 10,000 actions for a handful of new entries. Its terms are numbered after the base
    /// file's, and it applies only over the file it was made over (that file's checksum); a
    /// full build writes the whole cache, and an overlay left from before no longer applies.
    struct Overlay: Sendable {
        var baseChecksum: UInt64
        var baseTermCount: Int
        /// The terms after the base's, the entries the base lacks, and the members of the
        /// `search-index.json` they came with; the term hashes of all terms, the base's too.
        var entries = SearchCache()

        init(baseChecksum: UInt64, baseTermCount: Int) {
            self.baseChecksum = baseChecksum
            self.baseTermCount = baseTermCount
        }

        private static let signature = Array("dossier search overlay 2\n".utf8)

        func encoded() -> [UInt8] {
            var bytes: [UInt8] = []
            var writer = Writer()
            writer.bytes = Self.signature
            writer.number(InputStamp.tool())
            writer.number(baseChecksum)
            writer.number(UInt64(baseTermCount))
            writer.number(UInt64(entries.terms.count))
            for term in entries.terms { writer.text(term) }
            entries.writeEntries(into: &writer, sink: { bytes += $0 }, termHashes: entries.termHashes, numbered: { $0 })
            return bytes
        }

        /// Nil for anything another build of dossier wrote, or that is damaged.
        init?(encoded all: UnsafeRawBufferPointer) {
            guard all.count >= 8 else { return nil }
            let bytes = UnsafeRawBufferPointer(rebasing: all[0..<all.count - 8])
            guard UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self)) == SearchCache.checksum(bytes),
                  bytes.count > Self.signature.count, Array(bytes[0..<Self.signature.count]) == Self.signature else { return nil }
            var reader = ByteReader(bytes: bytes, offset: Self.signature.count)
            guard reader.word() == InputStamp.tool(), let baseChecksum = reader.word(), let baseTermCount = reader.wordCount(),
                  let termCount = reader.wordCount() else { return nil }
            self.init(baseChecksum: baseChecksum, baseTermCount: baseTermCount)
            for _ in 0..<termCount {
                guard let term = reader.wordText() else { return nil }
                entries.terms.append(term)
            }
            guard entries.readEntries(&reader, termCount: baseTermCount + termCount), reader.offset == bytes.count else { return nil }
        }
    }

    /// Adds `overlay`'s terms and entries, if it was made over this cache's file.
    mutating func apply(_ overlay: Overlay) -> Bool {
        guard let checksum, overlay.baseChecksum == checksum, overlay.baseTermCount == terms.count else { return false }
        terms += overlay.entries.terms
        documents.merge(overlay.entries.documents) { _, overlaid in overlaid }
        groups.merge(overlay.entries.groups) { _, overlaid in overlaid }
        sectionJSON.merge(overlay.entries.sectionJSON) { _, overlaid in overlaid }
        picks.merge(overlay.entries.picks) { _, overlaid in overlaid }
        indexMembers = overlay.entries.indexMembers
        termHashes = overlay.entries.termHashes
        termHashDocuments = overlay.entries.termHashDocuments
        return true
    }
}
