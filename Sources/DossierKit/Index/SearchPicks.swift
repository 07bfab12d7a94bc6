/// Which records each section carries, so that a query's results show from the files it fetches
/// for its words, without a second round trip for the records:
///
/// - the first `perTerm` documents of each term as a one-word query ranks them, and of the heads
///   of a split key. The first page of any one-word query, even a prefix matching many terms, is
///   then in the file: a document's rank is its best over the terms, so a document among the
///   first ten of the query is among the first ten of the term it ranks by.
/// - the documents of the names listed there, which a query equal to the name puts first;
/// - for each name, alias and page title of two words or more, and each of its leading runs of
///   words ("guangdong production", "guangdong production construction", ...), the first
///   `perTerm` documents of that query, in the section of its first word: a query of several
///   words is most often a name, and its results are rarely among the first ten of any one word.
///
/// Anything else (other queries of several words, filters, the next page) is read from the
/// record chunks. A document found by its body also gets the terms to cut a window of body text
/// around, so its excerpt shows the match. A record carries an action's actor names only when
/// picked below the title ranks: the page shows them only then, and they are a sixth of a pack.
struct SearchPicks: Sendable {
    /// Documents in order of first pick.
    var documents: [Int] = []
    /// Document -> terms whose first occurrence in its body to show.
    var windows: [Int: Set<String>] = [:]
    /// Documents picked for a match in their summary or body, whose actor names to carry.
    var withNames: Set<Int> = []

    private var seen: Set<Int> = []

    mutating func add(_ document: Int) {
        if seen.insert(document).inserted { documents.append(document) }
    }

    /// Adds a document picked at `rank` for `terms`.
    mutating func add(_ document: Int, rank: Int, terms: [String]) {
        add(document)
        if rank >= Self.summaryRank { withNames.insert(document) }
        if rank == Self.bodyRank { windows[document, default: []].formUnion(terms) }
    }

    /// As many as `search.js` shows at a time (`PAGE_SIZE`).
    static let perTerm = 10

    init() {}

    /// Picks as `documents`, `windows` and `withNames` describe them (read back from a cache).
    init(documents: [Int], windows: [Int: Set<String>], withNames: Set<Int>) {
        self.documents = documents
        self.windows = windows
        self.withNames = withNames
        seen = Set(documents)
    }

    /// Each name's leading runs of two words or more ("guangdong production", "guangdong
    /// production construction", ...), as the terms a query must match, each run once in the
    /// whole index (the first name with it has it), by name number: what `phrasesOfKey` files
    /// under the names' sections. Made from the names alone, so a build makes them while it
    /// works out the sections.
    static func phrases(of names: [SearchName]) -> [(name: Int, runs: [[String]])] {
        var phrases: [(name: Int, runs: [[String]])] = []
        // Each run as one string, its terms apart by a character no term has: a set of arrays
        // hashed every term of every run again.
        var seenPhrases: Set<String> = []
        // Names share most of their words: each stemmed once (a third of this, every build).
        var stems: [String: String] = [:]
        for (number, name) in names.enumerated() where name.words.count >= 2 {
            let terms = requiredTerms(name.words) { word in
                if let stem = stems[word] { return stem }
                let stem = SearchStemmer.stem(word)
                stems[word] = stem
                return stem
            }
            guard terms.count >= 2 else { continue }
            var runs: [[String]] = []
            var run = terms[0]
            for length in 2...terms.count {
                run += "\u{0}" + terms[length - 1]
                if seenPhrases.insert(run).inserted { runs.append(Array(terms[0..<length])) }
            }
            if !runs.isEmpty { phrases.append((number, runs)) }
        }
        return phrases
    }

    /// For each section key, the `phrases` of the names listed under it.
    static func phrasesOfKey(_ phrases: [(name: Int, runs: [[String]])], names: [SearchName], split: [String: String]) -> [String: [[String]]] {
        var phrasesOfKey: [String: [[String]]] = [:]
        for (name, runs) in phrases {
            phrasesOfKey[SearchSections.sectionKey(of: names[name].words[0], split: split), default: []] += runs
        }
        return phrasesOfKey
    }

    /// The picks of one section, from the postings of its terms and of its phrases' terms
    /// (`lists` has only those of the phrase's terms that are in the index).
    static func pick(_ section: SearchSection, phrases: [(terms: [String], lists: [[UInt32]])], postings: (String) -> [UInt32], actions: Int) -> SearchPicks {
        var picks = SearchPicks()
        for term in section.terms {
            for (document, rank) in top([postings(term)], actions: actions) { picks.add(document, rank: rank, terms: [term]) }
        }
        if let heads = section.heads {
            for (document, _) in top([heads], actions: actions) { picks.add(document) }
        }
        for name in section.names { picks.add(name.document) }
        for (phrase, lists) in phrases {
            guard lists.count == phrase.count else { continue }
            for (document, rank) in top(lists, actions: actions) { picks.add(document, rank: rank, terms: phrase) }
        }
        return picks
    }

    /// The terms a query of these words must match, as `search.js` `parseQuery` keeps them when
    /// the query ends with a space: stop words left out unless there is nothing else.
    static func requiredTerms(_ words: [String], stem: (String) -> String = SearchStemmer.stem) -> [String] {
        let kept = words.filter { !SearchTokenizer.stopWords.contains($0) }
        return (kept.isEmpty ? words : kept).map(stem)
    }

    static let summaryRank = 4
    static let bodyRank = 5

    /// The first `perTerm` documents matching every list (postings of the query's terms, in query
    /// order), with their ranks, as `search.js` `rank` orders them without exact names: the
    /// weakest field decides (a name or title, then the summary, then the body); among names and
    /// titles an actor or page comes first, then an action whose title starts with the first
    /// word; equal ranks go by document number.
    static func top(_ lists: [[UInt32]], actions: Int) -> [(document: Int, rank: Int)] {
        let shortest = lists.indices.min { lists[$0].count < lists[$1].count }!
        var byRank: [[Int]] = Array(repeating: [], count: bodyRank + 1)
        var full = 0
        // Where each list was left: the documents asked for only grow, so each search starts there.
        var cursors = [Int](repeating: 0, count: lists.count)
        for posting in lists[shortest] {
            let document = posting >> 2
            var weakest: UInt32 = 3
            var first: UInt32 = 0
            var found = true
            for (index, list) in lists.enumerated() {
                let field: UInt32
                if index == shortest {
                    field = posting & 3
                } else {
                    guard let other = find(document, in: list, from: &cursors[index]) else { found = false; break }
                    field = other & 3
                }
                weakest = min(weakest, field)
                if index == 0 { first = field }
            }
            guard found else { continue }
            // Fields are stored minus one: 3 is the start of a name, 2 a name, 1 the summary, 0 the body.
            let rank = weakest >= 2 ? (Int(document) >= actions ? 1 : first == 3 ? 2 : 3) : weakest == 1 ? 4 : 5
            if byRank[rank].count < perTerm {
                byRank[rank].append(Int(document))
                if byRank[rank].count == perTerm { full += 1 }
            }
            // Every rank has its first ten: later documents cannot come in.
            if full == bodyRank { break }
        }
        var result: [(document: Int, rank: Int)] = []
        for rank in 1...bodyRank {
            for document in byRank[rank] where result.count < perTerm { result.append((document, rank)) }
        }
        return result
    }

    /// The posting of `document` in a list sorted by document, searched from `cursor` (where the
    /// last, smaller, document was) by galloping, then binary search; `cursor` is left at the
    /// first posting not below `document`. A name's words were looked up with a binary search
    /// over the whole list for each document of the rarest: at 50,000 actions that was a tenth
    /// of the search outputs.
    private static func find(_ document: UInt32, in list: [UInt32], from cursor: inout Int) -> UInt32? {
        var low = cursor, step = 1
        var high = low
        while high < list.count && list[high] >> 2 < document {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, list.count)
        while low < high {
            let middle = (low + high) / 2
            if list[middle] >> 2 < document { low = middle + 1 } else { high = middle }
        }
        cursor = low
        return low < list.count && list[low] >> 2 == document ? list[low] : nil
    }
}
