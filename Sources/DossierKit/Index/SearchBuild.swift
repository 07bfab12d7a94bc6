import Foundation

/// The search outputs of one build, `search-index.json` and the shards (`SearchShards`), made
/// from what an earlier build left in its `SearchCache` wherever the inputs are the same, and the
/// cache for the next build. Each step is keyed by a hash of exactly what it reads, so the output
/// is byte for byte what a build without a cache makes; a rebuild after one edit redoes the
/// changed document, the sections of its terms, their picks and the few files they reach.
public final class SearchOutputs: @unchecked Sendable {
    /// The graph, for `search-index.json` and the documents the cache does not hold; nil for a
    /// body-only rebuild, whose one new document is in `cache` already (Build/BodyPatch.swift).
    let graph: BriefingGraph?
    let bodies: [String: RenderedMarkdown]
    /// The body of each document, by number, as the shards keep its text.
    let bodyOfDocument: @Sendable (Int) -> RenderedMarkdown?
    let old: SearchCache
    /// Every document's key, slug, type, date and names, in search order; a document itself is
    /// made only when the cache does not hold what is made of it.
    public let corpus: SearchCorpus
    /// The members of `search-index.json` and their `memberKey`s.
    let members: [SearchIndex.Member]
    let memberKeys: [UInt64]
    /// The cache the next build reads: what this one used. For a body-only rebuild, only its
    /// groups, sections' JSON and picks that the cache lacked or `overlaid` holds (what its
    /// `SearchCache.Overlay` keeps); no documents.
    public private(set) var next = SearchCache()
    /// For a body-only rebuild, the entries of the cache that came from its overlay.
    private let overlaid: SearchCache?

    public init(graph: BriefingGraph, bodies: [String: RenderedMarkdown], cache: SearchCache = SearchCache()) {
        self.graph = graph
        self.bodies = bodies
        old = cache
        let corpus = SearchCorpus(graph: graph, bodies: bodies)
        self.corpus = corpus
        bodyOfDocument = { bodies[corpus.slugs[$0]] }
        members = SearchIndex.members(of: graph)
        memberKeys = members.parallelMap { Self.memberKey($0, graph: graph, bodies: bodies) }
        next.indexMembers = memberKeys
        overlaid = nil
    }

    /// The shards of `corpus` from `cache` alone, which must hold every document's entry; the
    /// next cache's `indexMembers` are `indexMembers` (of a `search-index.json` made otherwise).
    /// `bodies`: each document's, by number. `overlaid`: the entries of `cache` that came from
    /// its overlay, which `next` keeps too.
    init(corpus: SearchCorpus, bodies: @escaping @Sendable (Int) -> RenderedMarkdown?, cache: SearchCache, overlaid: SearchCache, indexMembers: [UInt64]) {
        graph = nil
        self.bodies = [:]
        bodyOfDocument = bodies
        old = cache
        self.overlaid = overlaid
        self.corpus = corpus
        members = []
        memberKeys = []
        next.indexMembers = indexMembers
    }

    /// Whether `next` keeps an entry this build used, which `isIn` finds in a cache or not:
    /// always, but after a body-only rebuild only one the cache lacked or had from its overlay.
    private func nextKeeps(_ isIn: (SearchCache) -> Bool) -> Bool {
        guard let overlaid else { return true }
        return !isIn(old) || isIn(overlaid)
    }

    // MARK: search-index.json

    /// Everything `SearchIndex.document` makes a member from: the case file's fields, its
    /// body's fingerprint, the base URL of its `url`, and for an action the actors it links.
    static func memberKey(_ member: SearchIndex.Member, graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> UInt64 {
        var hash = ContentHash(seed: 5)
        hash.add(graph.site.baseURL)
        SearchDocument.addCaseFile(member, graph: graph, bodies: bodies, to: &hash)
        if case .action(let index) = member { hash.add(SearchIndex.actors(of: index, in: graph)) }
        return hash.value
    }

    /// The record key of a `search-index.json` of these members (never 0, "no key").
    static func indexKey(_ members: [UInt64]) -> UInt64 {
        var hash = ContentHash(seed: 6)
        members.withUnsafeBytes { hash.add($0) }
        return hash.value | 1
    }

    /// The record key of the `search-index.json` `writeIndex` makes.
    public var indexKey: UInt64 { next.indexKey }

    /// The record key the site in place's `search-index.json` has if it is the one the
    /// cache's members describe, whose lines `writeIndex` can copy.
    public var previousIndexKey: UInt64? { old.indexMembers.isEmpty ? nil : old.indexKey }

    /// `search-index.json` as `SearchIndex.write` cuts it: the same bytes in the same pieces.
    /// A document whose key (`memberKey`) is the same as in `previous`, the site in place's
    /// file, is copied from it, a line of bytes; the others are made on every core a few
    /// thousand at a time. The members are not cached in memory: at 50,000 actions they are
    /// 190 MB.
    public func writeIndex(previous: Data? = nil, into sink: ([UInt8]) throws -> Void) rethrows {
        guard let graph = self.graph else { preconditionFailure("search-index.json is made from a graph") }
        let bodies = self.bodies, members = self.members, memberKeys = self.memberKeys
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        var lineOfKey: [UInt64: Range<Int>] = [:]
        if let previous, let lines = Self.memberLines(of: previous, count: old.indexMembers.count) {
            lineOfKey.reserveCapacity(lines.count)
            for (key, line) in zip(old.indexMembers, lines) { lineOfKey[key] = line }
        }
        let previousLine = lineOfKey
        enum Member: Sendable { case made([UInt8]), copied(Range<Int>) }
        var output = Array("{\"version\":1,\"documents\":[\n".utf8)
        var first = true
        try (previous ?? Data()).withUnsafeBytes { previousBytes in
            for batch in stride(from: 0, to: members.count, by: 4096) {
                let range = batch..<min(batch + 4096, members.count)
                let made: [Member] = Array(range).parallelMap { number in
                    if let line = previousLine[memberKeys[number]] { return .copied(line) }
                    return .made(SearchIndex.document(members[number], graph: graph, bodies: bodies, urls: urls).serializedBytes)
                }
                for member in made {
                    if !first { output += Array(",\n".utf8) }
                    first = false
                    switch member {
                    case .made(let bytes): output.append(contentsOf: bytes)
                    case .copied(let line): output.append(contentsOf: UnsafeRawBufferPointer(rebasing: previousBytes[line]))
                    }
                    if output.count >= 1 << 20 {
                        try sink(output)
                        output.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        output += Array((first ? "]}\n" : "\n]}\n").utf8)
        try sink(output)
    }

    /// Where the members' lines of a `search-index.json` as `writeIndex` writes it are, without
    /// their commas; nil unless it has exactly `count` of them.
    static func memberLines(of file: Data, count: Int) -> [Range<Int>]? {
        guard count > 0 else { return nil }
        return file.withUnsafeBytes { bytes -> [Range<Int>]? in
            let newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ",")
            var lines: [Range<Int>] = []
            lines.reserveCapacity(count + 2)
            var start = 0
            while start < bytes.count, let found = memchr(bytes.baseAddress! + start, Int32(newline), bytes.count - start) {
                let end = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                lines.append(start..<end)
                start = end + 1
            }
            // The opening line, the members, the closing line.
            guard start == bytes.count, lines.count == count + 2 else { return nil }
            var members = Array(lines[1...count])
            for index in members.indices.dropLast() {
                guard members[index].count > 0, bytes[members[index].upperBound - 1] == comma else { return nil }
                members[index] = members[index].lowerBound..<members[index].upperBound - 1
            }
            return members
        }
    }

    // MARK: Shards

    /// The files of `SearchShards.files`.
    public func shardFiles() -> [OutputFile] {
        shardFiles(keeping: nil).files.map(\.file)
    }

    /// The files of `SearchShards.files` with their keys, but for those `keep` keeps: a pack or
    /// chunk whose key is the one the site in place has at its path (`SiteStaging.keep`) is not
    /// made again. The keys cover the build of dossier, as the site in place may be another's.
    public func shardFiles(keeping keep: (@Sendable (_ path: String, _ key: UInt64) -> Bool)?) -> (files: [(file: OutputFile, key: UInt64)], kept: Int) {
        let corpus = self.corpus, keys = corpus.keys
        let count = corpus.count
        let tool = InputStamp.tool()
        // Documents: tokenized, and their records and bodies, unless cached. Taken apart in one
        // pass: each copy of 12,000 documents counted three references up and down again.
        var documentRecords: [String] = [], documentShorts: [String] = [], documentTerms: [[UInt32]] = []
        documentRecords.reserveCapacity(count)
        documentShorts.reserveCapacity(count)
        documentTerms.reserveCapacity(count)
        var missing: [Int] = []
        for (number, key) in keys.enumerated() {
            if let document = old.documents[key] {
                documentRecords.append(document.record)
                documentShorts.append(document.short)
                documentTerms.append(document.terms)
            } else {
                missing.append(number)
                documentRecords.append("")
                documentShorts.append("")
                documentTerms.append([])
            }
        }
        let bodies = self.bodies
        var terms = old.terms
        if !missing.isEmpty {
            guard let graph else { preconditionFailure("a document the search cache lacks is made from a graph") }
            let sources = SearchDocument.sources(of: graph)
            let made = Self.numberTerms(of: missing, terms: &terms) { number in
                let document = SearchDocument.make(sources[number], graph: graph, bodies: bodies)
                return (document.wordTable(), SearchShards.record(document).serialized, SearchShards.record(document, names: false).serialized)
            }
            // Two words of one document can share a term ("sanctions", "sanctioned"): keep the best field.
            let unique = made.lists.parallelMap { list -> [UInt32] in
                var sorted = list.sorted()
                var kept = 0
                for index in sorted.indices {
                    if kept > 0, sorted[kept - 1] >> 2 == sorted[index] >> 2 { sorted[kept - 1] = sorted[index] } else { sorted[kept] = sorted[index]; kept += 1 }
                }
                sorted.removeSubrange(kept...)
                return sorted
            }
            for (index, number) in missing.enumerated() {
                documentRecords[number] = made.records[index]
                documentShorts[number] = made.shorts[index]
                documentTerms[number] = unique[index]
            }
        }
        let records = documentRecords, short = documentShorts, termLists = documentTerms
        next.terms = terms
        let allTerms = terms
        if overlaid == nil {
            next.documents.reserveCapacity(count)
            for number in 0..<count {
                next.documents[keys[number]] = SearchCache.Document(record: records[number], short: short[number], terms: termLists[number])
            }
        }
        // A document's body as the shards keep it, made only for a pack or chunk made anew,
        // once (a document is in the windows of many packs).
        let bodyOfDocument = self.bodyOfDocument
        let clipped = LazyValues<String>(count: count) { number in
            SearchShards.clip(bodyOfDocument(number)?.plainText ?? "", to: SearchShards.textLimit)
        }
        let text: @Sendable (Int) -> String = { clipped[$0] }

        // The names and the phrases they make, on another core meanwhile.
        let namesMade = Background { () -> (names: [SearchName], phrases: [(name: Int, runs: [[String]])]) in
            let names = SearchShards.names(corpus.named.map { ($0.document, $0.names) })
            return (names, SearchPicks.phrases(of: names))
        }
        // Every term by its shard key, used or not. The sections of a key with a changed term
        // are made again from the postings of all its terms: found with the changed terms'.
        var termsOfAnyKey: [String: [Int]] = [:]
        for number in terms.indices { termsOfAnyKey[SearchShards.shardKey(terms[number]), default: []].append(number) }
        // A term's postings as the cache's hashes were made: in the section of the group the
        // cache holds for its key and those hashes (below).
        let old = self.old
        let cachedPostings: (Int) -> [UInt32]? = { term in
            let key = SearchShards.shardKey(terms[term])
            let hash = Self.groupHash(key, termHashes: (termsOfAnyKey[key] ?? []).compactMap { $0 < old.termHashes.count && old.termHashes[$0] != 0 ? old.termHashes[$0] : nil })
            for section in old.groups[hash]?.sections ?? [] {
                if let place = section.terms.firstIndex(of: terms[term]) { return PostingsCoder.decodePacked(section.encoded[place]) }
            }
            return nil
        }
        var termPostings = TermPostings(documents: termLists, keys: keys, terms: terms, cache: old, alongside: { changed in
            Set(changed.map { SearchShards.shardKey(terms[$0]) }).flatMap { termsOfAnyKey[$0] ?? [] }
        }, cached: cachedPostings)
        let termHashes = termPostings.hashes
        next.termHashes = termPostings.storable
        next.termHashDocuments = keys
        let used = terms.indices.filter { termPostings.isUsed($0) }
        next.usedTermCount = used.count

        // The used terms of each key, and the names (with the phrases of several words they
        // make), whose first words' keys are keys too.
        let termsOfKey = termsOfAnyKey.compactMapValues { numbers -> [Int]? in
            let usedNumbers = numbers.filter { termPostings.isUsed($0) }
            return usedNumbers.isEmpty ? nil : usedNumbers
        }
        var usedTermNumbers: [String: Int] = [:]
        usedTermNumbers.reserveCapacity(used.count)
        for number in used { usedTermNumbers[terms[number]] = number }
        let numberOfUsedTerm = usedTermNumbers
        let (names, phrases) = namesMade.value
        var keySet = Set(termsOfKey.keys)
        for name in names { keySet.insert(SearchShards.shardKey(name.words[0])) }
        let shardKeys = keySet.sorted(by: SearchShards.utf16Less)
        let numbersOfKey = termsOfKey

        // Sections of each key: the terms in the order of their hashes (term numbers change
        // from build to build); those the cache lacks made from their terms' postings.
        let groupHashes: [UInt64] = shardKeys.map { key in Self.groupHash(key, termHashes: (numbersOfKey[key] ?? []).map { termHashes[$0] }) }
        termPostings.need(shardKeys.indices.lazy.filter { old.groups[groupHashes[$0]] == nil }.flatMap { numbersOfKey[shardKeys[$0]] ?? [] })
        let groupPostings = termPostings
        let groupsMade: [(hash: UInt64, group: SearchCache.Group)] = Array(shardKeys.indices).parallelMap(heaviestFirst: { numbersOfKey[shardKeys[$0]]?.count ?? 0 }) { index in
            let hash = groupHashes[index]
            if let group = old.groups[hash] { return (hash, group) }
            let made = SearchSections.group(shardKeys[index], terms: (numbersOfKey[shardKeys[index]] ?? []).map { (allTerms[$0], Array(groupPostings.postings(of: $0))) })
            return (hash, SearchCache.Group(sections: made.sections, split: made.split))
        }
        var groupOfSection: [UInt64] = []
        for (hash, group) in groupsMade {
            if nextKeeps({ $0.groups[hash] != nil }) { next.groups[hash] = group }
            groupOfSection += Array(repeating: hash, count: group.sections.count)
        }
        let (sections, split) = SearchSections.assemble(groupsMade.map { ($0.group.sections, $0.group.split) }, names: names)
        let sectionHashes: [UInt64] = sections.indices.map { index in
            var hash = ContentHash(seed: groupOfSection[index])
            hash.add(sections[index].key)
            hash.add(UInt64(sections[index].names.count))
            for (name, document) in sections[index].names {
                hash.add(name)
                hash.add(UInt64(document))
            }
            return hash.value
        }

        // Picks of each section, and its JSON.
        let actions = corpus.actionCount
        let phrasesOfKey = SearchPicks.phrasesOfKey(phrases, names: names, split: split)
        let pickHashes: [UInt64] = sections.indices.map { index in
            let phrases = phrasesOfKey[sections[index].key] ?? []
            var hash = ContentHash(seed: sectionHashes[index])
            hash.add(UInt64(actions))
            hash.add(UInt64(phrases.count))
            for phrase in phrases {
                hash.add(UInt64(phrase.count))
                for term in phrase { hash.add(numberOfUsedTerm[term].map { termHashes[$0] } ?? 0) }
            }
            return hash.value
        }
        // The postings the picks the cache lacks are made from, their sections' terms' and their
        // phrases': those `termPostings` has, or else read back from the section that carries
        // the term (encoded): a pass over every document's terms to find them was a tenth of
        // the shards after a one-body edit.
        let pickPostings = termPostings
        var sectionOfKey: [String: Int] = [:]
        sectionOfKey.reserveCapacity(sections.count)
        for (index, section) in sections.enumerated() { sectionOfKey[section.key] = index }
        let knownPostings: @Sendable (String) -> [UInt32]? = { term in
            numberOfUsedTerm[term].flatMap { pickPostings.has($0) ? Array(pickPostings.postings(of: $0)) : nil }
        }
        func postingsForPicks(_ term: String) -> [UInt32]? {
            guard numberOfUsedTerm[term] != nil else { return nil }
            if let known = knownPostings(term) { return known }
            // A term's section is found as a name's first word's is: longer terms of a split key
            // always go on to the next character's section.
            guard let index = sectionOfKey[SearchSections.sectionKey(of: term, split: split)],
                  let place = sections[index].terms.firstIndex(of: term) else { return nil }
            return PostingsCoder.decodePacked(sections[index].encoded[place])
        }
        // Each phrase term's once: many sections' phrases share a term.
        var phrasePostings: [String: [UInt32]] = [:]
        for index in sections.indices where old.picks[pickHashes[index]] == nil {
            for term in (phrasesOfKey[sections[index].key] ?? []).joined() where phrasePostings[term] == nil {
                if let postings = postingsForPicks(term) { phrasePostings[term] = postings }
            }
        }
        let postingsOfPhraseTerm = phrasePostings
        let picksMade: [(picks: SearchPicks, json: String)] = Array(sections.indices).parallelMap { index in
            let section = sections[index]
            let json = old.sectionJSON[sectionHashes[index]] ?? SearchPacks.json(section)
            if let picks = old.picks[pickHashes[index]] { return (picks, json) }
            var postingsOfTerm: [String: [UInt32]] = [:]
            for (term, encoded) in zip(section.terms, section.encoded) {
                postingsOfTerm[term] = knownPostings(term) ?? PostingsCoder.decodePacked(encoded)
            }
            let phrases = phrasesOfKey[section.key] ?? []
            let picks = SearchPicks.pick(section, phrases: phrases.map { phrase in (phrase, phrase.compactMap { postingsOfPhraseTerm[$0] }) },
                                         postings: { postingsOfTerm[$0]! }, actions: actions)
            return (picks, json)
        }
        for (index, made) in picksMade.enumerated() {
            if nextKeeps({ $0.picks[pickHashes[index]] != nil }) { next.picks[pickHashes[index]] = made.picks }
            if nextKeeps({ $0.sectionJSON[sectionHashes[index]] != nil }) { next.sectionJSON[sectionHashes[index]] = made.json }
        }
        let picks = picksMade.map(\.picks)
        let sectionJSON = picksMade.map(\.json)

        // Packs.
        let packGroups = SearchPacks.group(sectionJSON: sectionJSON, picks: picks, records: records, short: short)
        // A pack is made from its sections, their picks and the documents those pick: the key
        // hashes what each is made from, so a pack found in the cache is never taken apart to be
        // hashed (half of the search outputs' time after a one-body edit).
        // Of a document a pack picks, it shows the record (or the short one), and for one picked
        // by its body, a window of the body: the key has those, not all the document is made of.
        // With its whole key, a one-body edit made again every pack that picks the document,
        // eight at 10,000 actions, which came out the same.
        let recordKeys: [UInt64] = Array(0..<count).parallelMap { number in
            var hash = ContentHash()
            hash.add(records[number])
            hash.add(short[number])
            return hash.value
        }
        let packKeys: [UInt64] = Array(packGroups.indices).parallelMap { number in
            var hash = ContentHash(seed: tool)
            hash.add("pack")
            hash.add(UInt64(packGroups[number].count))
            for index in packGroups[number] {
                hash.add(sectionHashes[index])
                hash.add(pickHashes[index])
                hash.add(UInt64(picks[index].documents.count))
                for document in picks[index].documents {
                    hash.add(UInt64(document))
                    hash.add(picks[index].windows[document] == nil ? recordKeys[document] : keys[document])
                }
            }
            return hash.value
        }
        var jobs = packGroups.indices.map { number in
            ShardJob(path: SearchShards.folder + "t/\(number).bin", key: packKeys[number], weight: 3) {
                let content = SearchPacks.contents(packGroups[number], picks: picks)
                let json = SearchPacks.json(content, sectionJSON: sectionJSON, records: records, short: short, text: text)
                return Deflate.compress(Array(json.utf8))
            }
        }

        // Record and body chunks.
        // Each keyed by what it shows of its documents: their records, or their bodies.
        func chunks(_ value: @escaping @Sendable (Int) -> String, keys: [UInt64], size: Int, folder: String, level: Int32, weight: Int) -> [ShardJob] {
            let starts = Array(stride(from: 0, to: count, by: size))
            let chunkKeys: [UInt64] = starts.parallelMap { start in
                var hash = ContentHash(seed: tool)
                hash.add(folder)
                hash.add(UInt64(level))
                for document in start..<min(start + size, count) { hash.add(keys[document]) }
                return hash.value
            }
            return starts.indices.map { number in
                ShardJob(path: SearchShards.folder + folder + "\(number).bin", key: chunkKeys[number], weight: weight) {
                    let range = starts[number]..<min(starts[number] + size, count)
                    let chunk = "[" + range.map(value).joined(separator: ",") + "]"
                    return Deflate.compress(Array(chunk.utf8), level: level)
                }
            }
        }
        jobs += chunks({ records[$0] }, keys: recordKeys, size: SearchShards.docsPerChunk, folder: "d/", level: 6, weight: 1)
        // The bodies are most of the index's bytes and seldom read: compressed fast, not small.
        jobs += chunks({ JSONValue.string(text($0)).serialized }, keys: keys, size: SearchShards.textsPerChunk, folder: "x/", level: 1, weight: 6)
        jobs += SearchShards.summaryJobs(corpus: corpus, split: split, firstKeys: packGroups.map { sections[$0[0]].key }, tool: tool)
        // Which to keep is decided first, and only the files made are shared between the cores,
        // packs and chunks together: cut by count with the kept ones, the pack and the two chunks
        // a one-body rebuild makes again were made one after the other on one core, the
        // rebuild's last 0.1 s at 10,000 actions.
        let unkept = jobs.filter { job in !(keep?(job.path, job.key) ?? false) }
        let kept = jobs.count - unkept.count
        // The heaviest first: a chunk of bodies reached last kept one core busy alone.
        let files: [(file: OutputFile, key: UInt64)] = unkept.parallelMap(heaviestFirst: \.weight) { job in (OutputFile(path: job.path, bytes: job.make()), job.key) }
        return (files, kept)
    }
}

extension SearchOutputs {
    /// The key of a shard key's sections in the cache: the key and the hashes of its used terms
    /// (`TermPostings`), sorted, as term numbers differ from build to build.
    static func groupHash(_ key: String, termHashes: [UInt64]) -> UInt64 {
        var hash = ContentHash()
        hash.add(key)
        for termHash in termHashes.sorted() { hash.add(termHash) }
        return hash.value
    }

    /// The documents numbered `documents`, each made by `make` (its words with the best field of
    /// each, its record and short record), with their words as `term << 2 | (field - 1)`,
    /// numbering terms not in `terms` yet in the order they first appear, documents in order.
    /// Made, and their words stemmed and their terms found, on every core, a run of documents
    /// each, as numbers of the run's own (a word met again in the run costs one probe of its
    /// bytes: `WordNumbers`); only each run's distinct terms are then numbered in order, on one
    /// core. Looked up word by word on one core, that was the search outputs' longest stretch
    /// with the other core idle: 2.4 million words at 10,000 actions.
    static func numberTerms(of documents: [Int], terms: inout [String],
                            make: @Sendable (Int) -> (words: WordFieldTable, record: String, short: String)) -> (lists: [[UInt32]], records: [String], shorts: [String]) {
        struct Run: Sendable {
            /// The run's distinct terms, in the order they first appear in it.
            var terms: [String] = []
            /// Each document's words as `run term << 2 | (field - 1)`.
            var lists: [[UInt32]] = []
            var records: [String] = []
            var shorts: [String] = []
        }
        let runCount = min(max(1, documents.count / 256), ProcessInfoCores.count * 8)
        let bounds = (0...runCount).map { $0 * documents.count / runCount }
        let runs: [Run] = Array(0..<runCount).parallelMap { number in
            var run = Run()
            var numbers = WordNumbers()
            var numberOfTerm: [String: Int] = [:]
            for position in bounds[number]..<bounds[number + 1] {
                let (words, record, short) = make(documents[position])
                var list: [UInt32] = []
                list.reserveCapacity(words.count)
                words.forEachWord { word, field in
                    let termNumber = numbers.number(of: word) {
                        let term = SearchStemmer.stem(String(decoding: word, as: UTF8.self))
                        if let known = numberOfTerm[term] { return known }
                        numberOfTerm[term] = run.terms.count
                        run.terms.append(term)
                        return run.terms.count - 1
                    }
                    list.append(UInt32(termNumber) << 2 | UInt32(field.rawValue - 1))
                }
                run.lists.append(list)
                run.records.append(record)
                run.shorts.append(short)
            }
            return run
        }
        var numberOfTerm: [String: Int] = [:]
        numberOfTerm.reserveCapacity(terms.count)
        for (number, term) in terms.enumerated() { numberOfTerm[term] = number }
        var globals: [[UInt32]] = []
        for run in runs {
            globals.append(run.terms.map { term in
                if let known = numberOfTerm[term] { return UInt32(known) }
                numberOfTerm[term] = terms.count
                terms.append(term)
                return UInt32(terms.count - 1)
            })
        }
        let globalNumbers = globals
        let numbered = Array(0..<runCount).parallelMap { number in
            runs[number].lists.map { list in list.map { packed in globalNumbers[number][Int(packed >> 2)] << 2 | packed & 3 } }
        }
        return (numbered.flatMap { $0 }, runs.flatMap(\.records), runs.flatMap(\.shorts))
    }
}

/// A file of the sharded index: where it goes, the key of what it is made from, and how it is
/// made when the site in place does not have it already.
struct ShardJob: Sendable {
    let path: String
    let key: UInt64
    /// About how much work it is, to start the heaviest first.
    var weight = 1
    let make: @Sendable () -> Data
}
