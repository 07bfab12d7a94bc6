/// The index the search page really loads, under `search/shards/`, cut so that a query fetches a
/// small part of it: on a briefing of 10,000 actions a query reads a few shards of terms and the
/// records of the results it shows, never the whole corpus. `search-index.json` stays the full
/// export the contract describes.
///
/// Files (all JSON; `search.js` reads them, and `SearchShards.version` changes with the format):
///
/// - `manifest.json`: the format version, how many actions, actors and pages there are (documents
///   are numbered in that order, actions newest first, so a lower number wins a tie), the chunk
///   sizes, the type names, the list of term shards and which of them are split.
/// - `t/<key>.json`: the terms whose first two characters are `key` (a one-character term has its
///   own shard), sorted, each with its postings (`PostingsCoder`), and the names, aliases and
///   page titles whose first word starts with `key`, folded, for exact-name matches. A shard larger
///   than `splitBytes` is split by the next character (see `splitShard`), so typing "sanc" loads
///   the "san" terms, not every "sa"; the manifest's `split` lists each split key's next characters.
/// - `d/<n>.json`: the records of documents `n * docsPerChunk ..< (n + 1) * docsPerChunk`: slug,
///   title, type, date, a short summary, aliases, and an action's actor names.
/// - `x/<n>.json`: the body text of documents `n * textsPerChunk ..<`, cut at `textLimit`
///   characters, loaded only to excerpt a result found in its body.
/// - `facets.json`: every document's type and the actions' dates, loaded only for the filters.
///
/// A file name keeps the letters a–z and digits of a key and writes any other character as
/// `_<hex>_`, so every name is safe on any host.
public enum SearchShards {
    public static let version = 1
    public static let folder = "search/shards/"
    static let docsPerChunk = 4
    static let textsPerChunk = 2
    static let textLimit = 1_200
    static let summaryLimit = 200
    static let splitBytes = 12_000
    /// Kind and type of every document, as `search.js` filters them.
    static let types: [String] = ActionType.allCases.map { "action:" + $0.rawValue } + ActorType.allCases.map { "actor:" + $0.rawValue }

    public static func files(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [OutputFile] {
        let documents = SearchDocument.all(graph: graph, bodies: bodies)
        let wordsOfDocuments = documents.parallelMap { $0.wordFields() }

        // Postings in document order, since documents are visited in order. A briefing has far
        // fewer distinct words than words, so each is stemmed once, and postings are kept by term
        // number rather than hashed by term for every word of every document.
        var termOfWord: [String: Int] = [:]
        var numberOfTerm: [String: Int] = [:]
        var termList: [String] = []
        var postingLists: [[UInt32]] = []
        for (number, words) in wordsOfDocuments.enumerated() {
            let document = UInt32(number)
            for (word, field) in words {
                let termNumber: Int
                if let known = termOfWord[word] {
                    termNumber = known
                } else {
                    let term = SearchStemmer.stem(word)
                    if let known = numberOfTerm[term] {
                        termNumber = known
                    } else {
                        termNumber = termList.count
                        numberOfTerm[term] = termNumber
                        termList.append(term)
                        postingLists.append([])
                    }
                    termOfWord[word] = termNumber
                }
                let posting = document << 2 | UInt32(field.rawValue - 1)
                // Two words of one document can share a term ("sanctions", "sanctioned"): keep the best field.
                if let last = postingLists[termNumber].last, last >> 2 == document {
                    if posting > last { postingLists[termNumber][postingLists[termNumber].count - 1] = posting }
                } else {
                    postingLists[termNumber].append(posting)
                }
            }
        }
        var postings: [String: [UInt32]] = [:]
        postings.reserveCapacity(termList.count)
        for (term, list) in zip(termList, postingLists) { postings[term] = list }
        var termsOfShard: [String: [String]] = [:]
        for term in termList { termsOfShard[shardKey(term), default: []].append(term) }

        var names: [String: [(name: String, document: Int)]] = [:]
        var tokenizer = SearchTokenizer()
        for (number, document) in documents.enumerated() where document.kind != .action {
            for name in document.names {
                let words = tokenizer.words(name)
                guard let first = words.first else { continue }
                names[shardKey(first), default: []].append((words.joined(separator: " "), number))
            }
        }

        let keys = Set(termsOfShard.keys).union(names.keys).sorted(by: utf16Less)
        let (allTerms, allPostings, allNames) = (termsOfShard, postings, names)
        let shards: [(files: [OutputFile], split: [String: String])] = keys.parallelMap { key in
            shardFiles(key: key, terms: allTerms[key] ?? [], postings: allPostings, names: allNames[key] ?? [])
        }

        var files: [OutputFile] = []
        var split: [String: JSONValue] = [:]
        for shard in shards {
            files += shard.files
            for (splitKey, next) in shard.split { split[splitKey] = .string(next) }
        }
        files += documentFiles(documents)
        files.append(OutputFile(path: folder + "facets.json", text: facets(documents).serialized + "\n"))

        let counts = Dictionary(grouping: documents, by: \.kind).mapValues(\.count)
        let manifest = JSONValue.object([
            "version": .number(version),
            "actions": .number(counts[.action] ?? 0), "actors": .number(counts[.actor] ?? 0), "pages": .number(counts[.page] ?? 0),
            "docsPerChunk": .number(docsPerChunk), "textsPerChunk": .number(textsPerChunk),
            "types": .array(types.map(JSONValue.string)),
            "shards": .string(keys.joined(separator: " ")),
            "split": .object(split),
        ])
        files.append(OutputFile(path: folder + "manifest.json", text: manifest.serialized + "\n"))
        return files
    }

    /// The first two characters of a term, or the term if it is one character.
    public static func shardKey(_ term: String) -> String {
        String(String.UnicodeScalarView(term.unicodeScalars.prefix(2)))
    }

    /// `zh` -> `zh`; `王` -> `_738b_`.
    public static func fileName(_ key: String) -> String {
        var name = ""
        for scalar in key.unicodeScalars {
            if (0x61...0x7A).contains(scalar.value) || (0x30...0x39).contains(scalar.value) {
                name.unicodeScalars.append(scalar)
            } else {
                name += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        return name
    }

    /// JavaScript compares strings by UTF-16 code units; the shards are sorted the same way so
    /// the page can binary-search them.
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// The files of one two-character key: its names and terms, split by further characters
    /// while a file would be larger than `splitBytes`; and the split keys with their next
    /// characters.
    private static func shardFiles(key: String, terms: [String], postings: [String: [UInt32]], names: [(name: String, document: Int)]) -> ([OutputFile], [String: String]) {
        let sortedTerms = terms.sorted(by: utf16Less)
        let encoded = sortedTerms.map { PostingsCoder.encode(postings[$0]!) }
        let sortedNames = names.sorted { $0.name != $1.name ? utf16Less($0.name, $1.name) : $0.document < $1.document }
        let nameList = JSONValue.array(sortedNames.map { .array([.string($0.name), .number($0.document)]) })
        var files: [OutputFile] = []
        var split: [String: String] = [:]
        splitShard(key: key, terms: ArraySlice(zip(sortedTerms, encoded)), postings: postings, names: nameList, files: &files, split: &split)
        return (files, split)
    }

    /// A shard small enough, or whose terms all have the key's length, is one file. Otherwise the
    /// key's file keeps the term equal to the key and `h`, the documents where a term starting
    /// with the key is in a name or title: a prefix this short then still finds names and titles
    /// without loading every longer term. Longer terms go to shards one character longer.
    private static func splitShard(key: String, terms: ArraySlice<(String, String)>, postings: [String: [UInt32]], names: JSONValue?, files: inout [OutputFile], split: inout [String: String]) {
        let keyLength = key.unicodeScalars.count
        let size = terms.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 6 }
        guard size > splitBytes, terms.contains(where: { $0.0.unicodeScalars.count > keyLength }) else {
            files.append(shardFile(key, terms: terms.map(\.0), encoded: terms.map(\.1), names: names, heads: nil))
            return
        }
        var own: [(String, String)] = []
        var groups: [(key: String, terms: [(String, String)])] = []
        var best: [UInt32: UInt32] = [:]
        for entry in terms {
            for posting in postings[entry.0]! where posting & 3 >= SearchField.name.rawValue - 1 {
                best[posting >> 2] = max(best[posting >> 2] ?? 0, posting & 3)
            }
            let scalars = entry.0.unicodeScalars
            if scalars.count == keyLength {
                own.append(entry)
                continue
            }
            let subkey = String(String.UnicodeScalarView(scalars.prefix(keyLength + 1)))
            if groups.last?.key == subkey { groups[groups.count - 1].terms.append(entry) } else { groups.append((subkey, [entry])) }
        }
        let heads = PostingsCoder.encode(best.keys.sorted().map { $0 << 2 | best[$0]! })
        files.append(shardFile(key, terms: own.map(\.0), encoded: own.map(\.1), names: names, heads: heads))
        var next = String.UnicodeScalarView()
        for group in groups {
            next.append(group.key.unicodeScalars.last!)
            splitShard(key: group.key, terms: ArraySlice(group.terms), postings: postings, names: nil, files: &files, split: &split)
        }
        split[key] = String(next)
    }

    private static func shardFile(_ key: String, terms: [String], encoded: [String], names: JSONValue?, heads: String?) -> OutputFile {
        var object: [String: JSONValue] = ["t": .array(terms.map(JSONValue.string)), "p": .array(encoded.map(JSONValue.string))]
        if let names { object["n"] = names }
        if let heads { object["h"] = .string(heads) }
        return OutputFile(path: folder + "t/" + fileName(key) + ".json", text: JSONValue.object(object).serialized + "\n")
    }

    private static func documentFiles(_ documents: [SearchDocument]) -> [OutputFile] {
        var files: [OutputFile] = []
        for start in stride(from: 0, to: documents.count, by: docsPerChunk) {
            let records = documents[start..<min(start + docsPerChunk, documents.count)].map { document -> JSONValue in
                .array([
                    .string(document.id), .string(document.names[0]),
                    document.typeIndex.map(JSONValue.number) ?? .null,
                    .optional(document.date?.description),
                    .string(clip(document.summary ?? document.text, to: summaryLimit)),
                    .array(document.names.dropFirst().map(JSONValue.string)),
                    .array(document.actorNames.map(JSONValue.string)),
                ])
            }
            files.append(OutputFile(path: folder + "d/\(start / docsPerChunk).json", text: JSONValue.array(records).serialized + "\n"))
        }
        for start in stride(from: 0, to: documents.count, by: textsPerChunk) {
            let texts = documents[start..<min(start + textsPerChunk, documents.count)].map { JSONValue.string(clip($0.text, to: textLimit)) }
            files.append(OutputFile(path: folder + "x/\(start / textsPerChunk).json", text: JSONValue.array(texts).serialized + "\n"))
        }
        return files
    }

    /// Types as one character a document (the index into `types` in base 36, `-` for a page), and
    /// the actions' dates run-length coded: the newest date as a day number, its count, then for
    /// each older date the days back from the previous one and its count.
    private static func facets(_ documents: [SearchDocument]) -> JSONValue {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let typeCodes = String(documents.map { $0.typeIndex.map { digits[$0] } ?? "-" })
        var dates: [JSONValue] = []
        var previous: Int?
        var count = 0
        for document in documents {
            guard let date = document.date else { continue }
            let day = dayNumber(date)
            if day == previous {
                count += 1
                continue
            }
            if let previous {
                dates.append(.number(count))
                dates.append(.number(previous - day))
            } else {
                dates.append(.number(day))
            }
            previous = day
            count = 1
        }
        if previous != nil { dates.append(.number(count)) }
        return .object(["types": .string(typeCodes), "dates": .array(dates)])
    }

    /// Days since 1970-01-01 (proleptic Gregorian), as `Date.UTC(y, m - 1, d) / 86400000` in JS.
    static func dayNumber(_ date: DayDate) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whitespace runs made one space, then at most `limit` characters, cut at a space, with an
    /// ellipsis when cut. Counts scalars, not characters, and works on UTF-8 bytes: grapheme
    /// breaking or a property lookup per character over every body would cost more than the rest
    /// of the index.
    static func clip(_ text: String, to limit: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(min(text.utf8.count, limit * 2) + 3)
        var count = 0
        var lastSpace: (byteIndex: Int, count: Int)?
        var pendingSpace = false
        var truncated = false
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(index + width, bytes.count)
                let isSpace: Bool
                if byte < 0x80 {
                    isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
                } else {
                    var value = UInt32(byte) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                    for offset in index + 1..<end { value = value << 6 | UInt32(bytes[offset] & 0x3F) }
                    isSpace = Unicode.Scalar(value)?.properties.isWhitespace ?? false
                }
                if isSpace {
                    pendingSpace = !output.isEmpty
                    index = end
                    continue
                }
                if count + (pendingSpace ? 2 : 1) > limit {
                    truncated = true
                    break
                }
                if pendingSpace {
                    lastSpace = (output.count, count)
                    output.append(0x20)
                    count += 1
                    pendingSpace = false
                }
                output.append(contentsOf: bytes[index..<end])
                count += 1
                index = end
            }
        }
        if truncated {
            if let lastSpace, lastSpace.count > limit / 2 { output.removeSubrange(lastSpace.byteIndex...) }
            output += "…".utf8
        }
        return String(decoding: output, as: UTF8.self)
    }
}
