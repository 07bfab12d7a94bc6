import CDossierSystem
import Foundation

/// The index the search page really loads, under `search/shards/`, cut so that a query reads a
/// small part of it, and a result shows from the same file as the words it matches: on a
/// briefing of 10,000 actions a query reads one or two files of about 15 KB, never the corpus,
/// and the whole index is a few hundred files. `search-index.json` stays the full export the
/// contract describes.
///
/// Files (`search.js` reads them, and `SearchShards.version` changes with the format):
///
/// - `manifest.json` (JSON): the format version, how many actions, actors and pages there are
///   (documents are numbered in that order, actions newest first, so a lower number wins a tie),
///   the type names, the section keys cut further with their next characters (`split`; see
///   `SearchSections`), the first section key of each pack (`packs`), and the chunk sizes.
/// - `t/<n>.bin`: pack `n` of sections, with the records and body windows of the documents their
///   queries show first (`SearchPacks`, `SearchPicks`).
/// - `d/<n>.bin`: the records of documents `n * docsPerChunk ..< (n + 1) * docsPerChunk`, for the
///   results no pack carries (queries of several words, filters, the next page).
/// - `x/<n>.bin`: the body text of documents `n * textsPerChunk ..<`, cut at `textLimit`
///   characters, for an excerpt no window of a pack covers.
/// - `facets.json` (JSON): every document's type and the actions' dates, loaded only for filters.
///
/// Every `.bin` file is JSON compressed in the zlib format (`Deflate`), which `search.js`
/// inflates with the browser's `DecompressionStream`.
public enum SearchShards {
    public static let version = 2
    public static let folder = "search/shards/"
    static let docsPerChunk = 128
    static let textsPerChunk = 256
    static let textLimit = 1_200
    static let summaryLimit = 200
    /// Kind and type of every document, as `search.js` filters them.
    static let types: [String] = ActionType.allCases.map { "action:" + $0.rawValue } + ActorType.allCases.map { "actor:" + $0.rawValue }

    public static func files(graph: BriefingGraph, bodies: [String: RenderedMarkdown]) -> [OutputFile] {
        SearchOutputs(graph: graph, bodies: bodies).shardFiles()
    }

    /// `facets.json` and `manifest.json`, each keyed by what it is made of (and `tool`), so a
    /// build whose corpus has the same types, dates and counts and whose sections split and pack
    /// the same keeps the site in place's files: a body patch makes neither again.
    static func summaryJobs(corpus: SearchCorpus, split: [String: String], firstKeys: [String], tool: UInt64) -> [ShardJob] {
        var facetsKey = ContentHash(seed: tool)
        facetsKey.add("facets")
        facetsKey.add(UInt64(corpus.typeIndices.count))
        for typeIndex in corpus.typeIndices { facetsKey.add(typeIndex.map(UInt64.init) ?? UInt64.max) }
        for date in corpus.dates { facetsKey.add(date.map { UInt64(bitPattern: Int64(dayNumber($0))) } ?? UInt64.max) }
        var manifestKey = ContentHash(seed: tool)
        manifestKey.add("manifest")
        for count in [corpus.actionCount, corpus.actorCount, corpus.pageCount, split.count, firstKeys.count] { manifestKey.add(UInt64(count)) }
        for key in split.keys.sorted() {
            manifestKey.add(key)
            manifestKey.add(split[key]!)
        }
        for key in firstKeys { manifestKey.add(key) }
        return [
            ShardJob(path: folder + "facets.json", key: facetsKey.value | 1) {
                Data((facets(typeIndices: corpus.typeIndices, dates: corpus.dates).serialized + "\n").utf8)
            },
            ShardJob(path: folder + "manifest.json", key: manifestKey.value | 1) {
                let manifest = JSONValue.object([
                    "version": .number(version),
                    "actions": .number(corpus.actionCount), "actors": .number(corpus.actorCount), "pages": .number(corpus.pageCount),
                    "docsPerChunk": .number(docsPerChunk), "textsPerChunk": .number(textsPerChunk),
                    "types": .array(types.map(JSONValue.string)),
                    "split": .object(split.mapValues(JSONValue.string)),
                    "packs": .string(firstKeys.joined(separator: " ")),
                ])
                return Data((manifest.serialized + "\n").utf8)
            },
        ]
    }

    /// The names, aliases and page titles, folded, for exact-name matches: `named` has the
    /// names of each actor and page, by document number, in order.
    static func names(_ named: [(document: Int, names: [String])]) -> [SearchName] {
        var names: [SearchName] = []
        var tokenizer = SearchTokenizer()
        for (number, documentNames) in named {
            for name in documentNames {
                let words = tokenizer.words(name)
                if !words.isEmpty { names.append(SearchName(words: words, document: number)) }
            }
        }
        return names
    }

    /// What a result shows: `[slug, title, type index or null, date or null, summary (or the
    /// start of the body), aliases, actor names]`. An action lists only the actors its title does
    /// not name already: the page shows them when they explain a match the title does not. Without
    /// `names`, an action that has some gives null instead, and the page reads them from its
    /// record chunk if a result needs them.
    static func record(_ document: SearchDocument, names: Bool = true) -> JSONValue {
        let actorNames = document.actorNames.filter { !contains(document.names[0], $0) }
        return .array([
            .string(document.id), .string(document.names[0]),
            document.typeIndex.map(JSONValue.number) ?? .null,
            .optional(document.date?.description),
            .string(clip(document.summary ?? document.text, to: summaryLimit)),
            .array(document.names.dropFirst().map(JSONValue.string)),
            names || actorNames.isEmpty ? .array(actorNames.map(JSONValue.string)) : .null,
        ])
    }

    /// Whether `text` holds `part`, byte for byte. Foundation's `contains` went through
    /// `NSString` for each of a record's names, 1 % of a full build.
    static func contains(_ text: String, _ part: String) -> Bool {
        var text = text, part = part
        return text.withUTF8 { text in
            part.withUTF8 { part in
                dossier_contains_bytes(text.baseAddress, UInt(text.count), part.baseAddress, UInt(part.count)) != 0
            }
        }
    }

    /// The first two characters of a term, or the term if it is one character.
    public static func shardKey(_ term: String) -> String {
        // A slice of the term's bytes: a view built scalar by scalar took four times as long
        // (every used term, each build).
        let scalars = term.unicodeScalars
        let end = scalars.index(scalars.startIndex, offsetBy: 2, limitedBy: scalars.endIndex) ?? scalars.endIndex
        return String(Substring(scalars[..<end]))
    }

    /// JavaScript compares strings by UTF-16 code units; the sections are sorted the same way so
    /// the page can binary-search them.
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Types as one character a document (the index into `types` in base 36, `-` for a page), and
    /// the actions' dates run-length coded: the newest date as a day number, its count, then for
    /// each older date the days back from the previous one and its count.
    private static func facets(typeIndices: [Int?], dates documentDates: [DayDate?]) -> JSONValue {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let typeCodes = String(typeIndices.map { $0.map { digits[$0] } ?? "-" })
        var dates: [JSONValue] = []
        var previous: Int?
        var count = 0
        for date in documentDates {
            guard let date else { continue }
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
    /// ellipsis when cut. Counts scalars, not characters, and works on UTF-8 bytes, in C
    /// (`dossier_clip`): grapheme breaking or a property lookup per character over every body
    /// would cost more than the rest of the index, and appending to an array byte by byte was
    /// a percent of a full build.
    static func clip(_ text: String, to limit: Int) -> String {
        let limit = max(limit, 0)
        var text = text
        return text.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
            let ellipsis = "…".utf8
            // Made in a scratch buffer and copied out at its size: a String made with room for
            // the longest cut keeps that room, four times the text, for as long as it lives.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * limit + ellipsis.count) { output in
                var truncated: Int32 = 0
                var lastSpaceByte = -1
                var lastSpaceCount: UInt = 0
                var written = Int(dossier_clip(base, UInt(bytes.count), UInt(limit), output.baseAddress!, &truncated, &lastSpaceByte, &lastSpaceCount))
                if truncated != 0 {
                    if lastSpaceByte >= 0, Int(lastSpaceCount) > limit / 2 { written = lastSpaceByte }
                    for byte in ellipsis {
                        output[written] = byte
                        written += 1
                    }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: output[0..<written]), as: UTF8.self)
            }
        }
    }
}
