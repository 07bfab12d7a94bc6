import Foundation

/// Sections grouped, in key order, into files of about `packBytes` of JSON, each compressed
/// (`Deflate`): `t/<n>.bin`. A file holds
///
/// - `s`: its sections by key (`SearchSection`: terms, postings, names, heads);
/// - `d` and `r`: the documents whose records its sections carry (`SearchPicks`), as postings
///   of field 1, and their records in that order (`SearchShards.record`), each once per file;
/// - `w`: windows of body text, `[record index, offset, text]` (`SearchWindows`).
///
/// Most queries then read one or two files, and the sections a reader goes through while typing
/// a word ("n", "na", "nat") are side by side.
enum SearchPacks {
    static let packBytes = 48_000
    /// About what a window costs in a pack, to fill packs before the windows are cut.
    private static let windowBytes = 300

    /// A section as a member of a pack's `s`.
    static func json(_ section: SearchSection) -> String {
        var text = ""
        JSONValue.writeString(section.key, to: &text)
        return text + ":" + section.json.serialized
    }

    /// The sections of each pack, in order: sections are added to a pack while its JSON stays
    /// within about `packBytes`.
    static func group(sectionJSON: [String], picks: [SearchPicks], records: [String], short: [String]) -> [[Int]] {
        // The pack that carries each document's record so far: a number a document, not a set
        // of them a pack (a set's hashing was most of this). Records are measured once, not
        // for every section that picks them (each time counting a reference up and down).
        var carrier = [Int](repeating: -1, count: records.count)
        let recordBytes = records.map(\.utf8.count), shortBytes = short.map(\.utf8.count)
        func cost(_ index: Int, pack: Int) -> Int {
            let picked = picks[index]
            var bytes = sectionJSON[index].utf8.count + picked.windows.count * windowBytes
            for document in picked.documents where carrier[document] != pack {
                bytes += (picked.withNames.contains(document) ? recordBytes[document] : shortBytes[document]) + 1
            }
            return bytes
        }

        var groups: [[Int]] = []
        var current: [Int] = []
        var bytes = 0
        for index in sectionJSON.indices {
            var added = cost(index, pack: groups.count)
            if !current.isEmpty && bytes + added > packBytes {
                groups.append(current)
                current = []
                added = cost(index, pack: groups.count)
                bytes = 0
            }
            current.append(index)
            for document in picks[index].documents { carrier[document] = groups.count }
            bytes += added
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// What a pack holds: its sections, the documents they pick (ascending, so they code as
    /// postings and the file is the same whatever order the sections picked them in), the terms
    /// to cut windows for, and which records carry actor names.
    struct Contents {
        var sections: [Int]
        var order: [Int]
        var windowTerms: [Int: Set<String>]
        var withNames: Set<Int>
    }

    static func contents(_ group: [Int], picks: [SearchPicks]) -> Contents {
        var order: [Int] = []
        var seen: Set<Int> = []
        var windowTerms: [Int: Set<String>] = [:]
        var withNames: Set<Int> = []
        for index in group {
            for document in picks[index].documents where seen.insert(document).inserted { order.append(document) }
            for (document, terms) in picks[index].windows { windowTerms[document, default: []].formUnion(terms) }
            withNames.formUnion(picks[index].withNames)
        }
        order.sort()
        return Contents(sections: group, order: order, windowTerms: windowTerms, withNames: withNames)
    }

    /// The JSON of a pack, before compression. `records` are the documents' records as JSON
    /// text, written once and copied into every pack that carries them; `short`, the same
    /// without actor names (`SearchShards.record`); `text` gives a document's clipped body.
    static func json(_ content: Contents, sectionJSON: [String], records: [String], short: [String], text: (Int) -> String) -> String {
        let order = content.order
        var tokenizer = SearchTokenizer()
        var windows: [JSONValue] = []
        for (place, document) in order.enumerated() {
            guard let terms = content.windowTerms[document] else { continue }
            let cut = SearchWindows.windows(in: text(document), terms: terms, tokenizer: &tokenizer)
            // No window: the terms are past the part of the body the index keeps. Saying so
            // spares the page loading that part to find nothing.
            if cut.isEmpty { windows.append(.array([.number(place), .number(-1), .string("")])) }
            for window in cut {
                windows.append(.array([.number(place), .number(window.offset), .string(window.text)]))
            }
        }
        // Keys in sorted order, as JSONValue writes objects: d, r, s, w.
        var json = "{\"d\":"
        JSONValue.writeString(PostingsCoder.encode(order.map { UInt32($0) << 2 }), to: &json)
        json += ",\"r\":[" + order.map { content.withNames.contains($0) ? records[$0] : short[$0] }.joined(separator: ",") + "]"
        json += ",\"s\":{" + content.sections.map { sectionJSON[$0] }.joined(separator: ",") + "}"
        json += ",\"w\":" + JSONValue.array(windows).serialized + "}"
        return json
    }
}
