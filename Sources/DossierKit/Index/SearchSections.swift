/// The logical shards of the search index, which packs (`SearchPacks`) then group into files: the
/// terms whose first two characters are a key (a one-character term has its own), each with its
/// postings (`PostingsCoder`), and the names, aliases and page titles whose first word leads
/// there, for exact-name matches. A key whose terms would take more than `splitBytes` is split
/// by the next character, so typing "sanc" reads the "san" terms, not every "sa": `search.js`
/// (`sectionOf`) descends the same way, through the `split` map of the manifest.
struct SearchSection: Sendable {
    var key: String
    /// Sorted in UTF-16 order, as JavaScript compares strings, so the page can binary-search them.
    var terms: [String] = []
    var encoded: [String] = []
    /// For a split key: the documents where a longer term starting with the key is in a name or
    /// title, with the best such field. A prefix this short then still finds names and titles
    /// without reading every longer term.
    var heads: [UInt32]?
    /// Folded names whose first word leads here, sorted, with their documents.
    var names: [(name: String, document: Int)] = []

    var json: JSONValue {
        var object: [String: JSONValue] = ["t": .array(terms.map(JSONValue.string)), "p": .array(encoded.map(JSONValue.string))]
        if !names.isEmpty { object["n"] = .array(names.map { .array([.string($0.name), .number($0.document)]) }) }
        if let heads { object["h"] = .string(PostingsCoder.encode(heads)) }
        return .object(object)
    }
}

/// A name, alias or page title as the index keeps it: its folded words, and its document.
struct SearchName: Sendable {
    var words: [String]
    var document: Int
}

enum SearchSections {
    static let splitBytes = 12_000

    /// Every section, sorted by key in UTF-16 order, and the split keys with their next characters.
    static func make(terms: [String], postings: [String: [UInt32]], names: [SearchName]) -> (sections: [SearchSection], split: [String: String]) {
        var termsOfKey: [String: [String]] = [:]
        for term in terms { termsOfKey[SearchShards.shardKey(term), default: []].append(term) }
        var keys = Set(termsOfKey.keys)
        for name in names { keys.insert(SearchShards.shardKey(name.words[0])) }
        let termsByKey = termsOfKey
        let groups = keys.sorted(by: SearchShards.utf16Less).parallelMap { key in
            group(key, terms: (termsByKey[key] ?? []).map { ($0, postings[$0]!) })
        }
        return assemble(groups, names: names)
    }

    /// The sections of one key (the first two characters of `terms`, in any order), in key order,
    /// with the keys split: what `make` does for each key, and depends on nothing else.
    static func group(_ key: String, terms: [(term: String, postings: [UInt32])]) -> (sections: [SearchSection], split: [String: String]) {
        let sorted = terms.sorted { SearchShards.utf16Less($0.term, $1.term) }
        let entries = sorted.map { (term: $0.term, encoded: PostingsCoder.encode($0.postings), postings: $0.postings) }
        var sections: [SearchSection] = []
        var split: [String: String] = [:]
        splitKey(key, terms: ArraySlice(entries), into: &sections, split: &split)
        return (sections, split)
    }

    /// The groups of every key in key order made one list of sections, with the names listed.
    static func assemble(_ groups: [(sections: [SearchSection], split: [String: String])], names: [SearchName]) -> (sections: [SearchSection], split: [String: String]) {
        var sections = groups.flatMap(\.sections)
        var split: [String: String] = [:]
        for group in groups { split.merge(group.split) { first, _ in first } }

        var indexOfKey: [String: Int] = [:]
        for (index, section) in sections.enumerated() { indexOfKey[section.key] = index }
        for name in names {
            let index = indexOfKey[sectionKey(of: name.words[0], split: split)]!
            sections[index].names.append((name.words.joined(separator: " "), name.document))
        }
        for index in sections.indices where sections[index].names.count > 1 {
            sections[index].names.sort { $0.name != $1.name ? SearchShards.utf16Less($0.name, $1.name) : $0.document < $1.document }
        }
        return (sections, split)
    }

    /// The section where a name with this first word is listed: its key, then one character more
    /// while that key is split and has terms going on with it. As `search.js` `sectionOf(word, true)`.
    static func sectionKey(of word: String, split: [String: String]) -> String {
        var key = SearchShards.shardKey(word)
        // Most keys are not split: then the word's scalars are not needed.
        guard split[key] != nil else { return key }
        let scalars = Array(word.unicodeScalars)
        var length = key.unicodeScalars.count
        while let next = split[key], scalars.count > length, next.unicodeScalars.contains(scalars[length]) {
            key.unicodeScalars.append(scalars[length])
            length += 1
        }
        return key
    }

    /// A key whose terms are small enough, or all of the key's length, is one section. Otherwise
    /// the key's section keeps the term equal to the key and the heads, and longer terms go to
    /// sections one character longer, split again while still too large. Sections come out in
    /// key order, since the terms are sorted.
    private typealias Entry = (term: String, encoded: String, postings: [UInt32])

    private static func splitKey(_ key: String, terms: ArraySlice<Entry>, into sections: inout [SearchSection], split: inout [String: String]) {
        let keyLength = key.unicodeScalars.count
        let size = terms.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 6 }
        guard size > splitBytes, terms.contains(where: { $0.0.unicodeScalars.count > keyLength }) else {
            sections.append(SearchSection(key: key, terms: terms.map(\.0), encoded: terms.map(\.1)))
            return
        }
        var own: [Entry] = []
        var groups: [(key: String, terms: [Entry])] = []
        var best: [UInt32: UInt32] = [:]
        for entry in terms {
            for posting in entry.postings where posting & 3 >= SearchField.name.rawValue - 1 {
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
        let heads = best.keys.sorted().map { $0 << 2 | best[$0]! }
        sections.append(SearchSection(key: key, terms: own.map(\.0), encoded: own.map(\.1), heads: heads))
        var next = String.UnicodeScalarView()
        for group in groups {
            next.append(group.key.unicodeScalars.last!)
            splitKey(group.key, terms: ArraySlice(group.terms), into: &sections, split: &split)
        }
        split[key] = String(next)
    }
}
