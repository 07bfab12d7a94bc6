import Foundation

/// The postings of the index's terms (`document << 2 | (field - 1)`, documents ascending) and
/// what each term contributes to the hashes of its section: itself and its postings. The hashes
/// key the cached sections and picks (`SearchOutputs.shardFiles`), so every term's are needed,
/// but the postings only of the terms in what is made anew.
///
/// Made from every document's terms, or, when the cache's `termHashes` were made over the same
/// documents but a few, from those hashes: only the terms the changed documents gain, lose or
/// hold in another field are hashed again, and any other term's postings are found when asked
/// for (`need`). After a one-body edit at 10,000 actions, making all 2.4 million postings and
/// hashing them was a fifth of the search shards' work.
struct TermPostings: Sendable {
    /// Each term's hash, by term number; 0 when no document uses it.
    private(set) var hashes: [UInt64]
    /// The postings of every term, in one array: the term numbered `t` has
    /// `all[starts[t]..<starts[t + 1]]`. Empty when made from the cache's hashes.
    private let starts: [Int]
    private let all: [UInt32]
    /// The postings found by `need`, when made from the cache's hashes.
    private var some: [Int: [UInt32]] = [:]
    private let documents: [[UInt32]]
    /// Whether the hashes came from the cache.
    let isPlanned: Bool

    /// `documents`: each document's terms as `term << 2 | (field - 1)`, ascending, with its key
    /// in `keys`; `terms`: every term, by number.
    /// With the cache's hashes, the postings of the terms `alongside` gives for the changed
    /// ones are found too: from `cached`, the postings a term had when the cache's hashes were
    /// made (its section's, nil when the cache lacks it), patched with the changed documents,
    /// or else in one pass over every document's terms. That pass was the longest step of the
    /// shards after a one-body edit at 10,000 actions (2.4 million postings, 7 to 10 ms).
    init(documents: [[UInt32]], keys: [UInt64], terms: [String], cache: SearchCache, alongside: (Set<Int>) -> [Int] = { _ in [] },
         cached: (Int) -> [UInt32]? = { _ in nil }) {
        self.documents = documents
        if let (changed, changedDocuments) = Self.changedTerms(documents: documents, keys: keys, termCount: terms.count, cache: cache) {
            starts = []
            all = []
            isPlanned = true
            hashes = cache.termHashes + Array(repeating: 0, count: terms.count - cache.termHashes.count)
            let wanted = changed.union(alongside(changed))
            for term in wanted {
                // A term no document used had no postings, and has no section.
                let unused = term >= cache.termHashes.count || cache.termHashes[term] == 0
                guard let postings = unused ? [] : cached(term) else { continue }
                some[term] = changed.contains(term) ? Self.patched(postings, term: term, documents: documents, changedDocuments: changedDocuments) : postings
            }
            need(wanted)
            for term in changed {
                let postings = some[term] ?? []
                hashes[term] = postings.isEmpty ? 0 : postings.withUnsafeBytes { Self.hash(terms[term], postings: $0) }
            }
            return
        }
        (starts, all) = Self.postings(of: documents, termCount: terms.count)
        isPlanned = false
        let starts = self.starts, all = self.all
        let used = terms.indices.filter { starts[$0 + 1] > starts[$0] }
        var hashes = [UInt64](repeating: 0, count: terms.count)
        let chunkSize = 4096
        let parts = stride(from: 0, to: used.count, by: chunkSize).map { $0..<min($0 + chunkSize, used.count) }
        // Through the buffer: a slice a term would count references to the one array from
        // every core at once.
        let computed = parts.parallelMap { part in
            all.withUnsafeBytes { bytes in
                part.map { place -> UInt64 in
                    let width = MemoryLayout<UInt32>.size
                    return Self.hash(terms[used[place]], postings: UnsafeRawBufferPointer(rebasing: bytes[starts[used[place]] * width..<starts[used[place] + 1] * width]))
                }
            }
        }
        for (part, values) in zip(parts, computed) {
            for (place, value) in zip(part, values) { hashes[used[place]] = value }
        }
        self.hashes = hashes
    }

    /// A term's hash, which is never 0 for a term with postings: a build whose hash of one is 0
    /// leaves the cache no `termHashes` (`storable`), as 0 says "unused".
    private static func hash(_ term: String, postings: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ContentHash()
        hash.add(term)
        hash.add(postings)
        return hash.value
    }

    /// Whether a document uses the term numbered `term`.
    func isUsed(_ term: Int) -> Bool {
        isPlanned ? hashes[term] != 0 : starts[term + 1] > starts[term]
    }

    /// The hashes as the next build can take them from the cache: none if a used term's is 0.
    var storable: [UInt64] {
        hashes.indices.allSatisfy { hashes[$0] != 0 || !isUsed($0) } ? hashes : []
    }

    /// Whether the postings of the term numbered `term` are known.
    func has(_ term: Int) -> Bool {
        !isPlanned || some[term] != nil
    }

    /// The postings of the term numbered `term`, which must be all made or `need`ed.
    func postings(of term: Int) -> ArraySlice<UInt32> {
        isPlanned ? some[term].map { $0[...] } ?? [] : all[starts[term]..<starts[term + 1]]
    }

    /// Finds the postings of `terms` not known yet, in one pass over every document's terms, on
    /// every core a run of documents each (each run's lists in document order, and the runs in
    /// order). A term's list is found by its slot, not looked up by term for each posting.
    mutating func need(_ terms: some Sequence<Int>) {
        guard isPlanned else { return }
        var slots = [Int32](repeating: -1, count: hashes.count)
        var wanted: [Int] = []
        for term in terms where some[term] == nil && slots[term] < 0 {
            slots[term] = Int32(wanted.count)
            wanted.append(term)
        }
        guard !wanted.isEmpty else { return }
        let slotOfTerm = slots, documents = self.documents, listCount = wanted.count
        let parts = min(max(1, documents.count / 2048), ProcessInfoCores.count)
        let bounds = (0...parts).map { $0 * documents.count / parts }
        let found: [[[UInt32]]] = Array(0..<parts).parallelMap { part in
            var lists = [[UInt32]](repeating: [], count: listCount)
            for document in bounds[part]..<bounds[part + 1] {
                for packed in documents[document] {
                    let slot = slotOfTerm[Int(packed >> 2)]
                    if slot >= 0 { lists[Int(slot)].append(UInt32(document) << 2 | packed & 3) }
                }
            }
            return lists
        }
        for (slot, term) in wanted.enumerated() {
            some[term] = found.count == 1 ? found[0][slot] : Array(found.map { $0[slot] }.joined())
        }
    }

    /// The postings of `termCount` terms from each document's packed terms (`term << 2 |
    /// (field - 1)`), as `postings` with each term's start in `starts`. Made on every core, each
    /// taking a run of documents: a term's postings from the first run come before those from the
    /// second, so every list is still in document order. On one core, at 10,000 actions, it was
    /// 30 ms of the stretch at the end of a rebuild when nothing else is left to run.
    static func postings(of documents: [[UInt32]], termCount: Int) -> (starts: [Int], postings: [UInt32]) {
        let parts = min(max(1, documents.count / 1024), ProcessInfoCores.count)
        let bounds = (0...parts).map { $0 * documents.count / parts }
        // How many postings each run gives each term.
        let counts: [[Int]] = Array(0..<parts).parallelMap { part in
            var counts = [Int](repeating: 0, count: termCount)
            for document in bounds[part]..<bounds[part + 1] {
                for packed in documents[document] { counts[Int(packed >> 2)] += 1 }
            }
            return counts
        }
        var starts = [Int](repeating: 0, count: termCount + 1)
        // Where each run writes its first posting of each term.
        var firsts = [[Int]](repeating: [], count: parts)
        for part in 0..<parts { firsts[part].reserveCapacity(termCount) }
        for term in 0..<termCount {
            var place = starts[term]
            for part in 0..<parts {
                firsts[part].append(place)
                place += counts[part][term]
            }
            starts[term + 1] = place
        }
        var postings = [UInt32](repeating: 0, count: starts[termCount])
        let runFirsts = firsts
        postings.withUnsafeMutableBufferPointer { buffer in
            // Each run writes only its own places.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var next = runFirsts[part]
                for document in bounds[part]..<bounds[part + 1] {
                    for packed in documents[document] {
                        let term = Int(packed >> 2)
                        output[next[term]] = UInt32(document) << 2 | packed & 3
                        next[term] += 1
                    }
                }
            }
        }
        return (starts, postings)
    }

    /// `postings` (of the term numbered `term`, as the cache's hashes were made) with the
    /// changed documents' postings as they are now.
    private static func patched(_ postings: [UInt32], term: Int, documents: [[UInt32]], changedDocuments: [Int]) -> [UInt32] {
        var result = postings.filter { !changedDocuments.contains(Int($0 >> 2)) }
        for document in changedDocuments {
            // A document's terms are ascending, each once.
            let list = documents[document]
            var low = 0, high = list.count
            while low < high {
                let middle = (low + high) / 2
                if Int(list[middle] >> 2) < term { low = middle + 1 } else { high = middle }
            }
            guard low < list.count, Int(list[low] >> 2) == term else { continue }
            let posting = UInt32(document) << 2 | list[low] & 3
            var place = 0, end = result.count
            while place < end {
                let middle = (place + end) / 2
                if result[middle] < posting { place = middle + 1 } else { end = middle }
            }
            result.insert(posting, at: place)
        }
        return result
    }

    /// The terms whose postings differ from those the cache's `termHashes` were made of: in the
    /// old or new terms of a document whose key changed, with another field or only in one;
    /// and those documents. Nil when the cache has no hashes for these documents, or more than
    /// a few changed (then most terms' postings are made anew anyway, and making all of them at
    /// once is faster).
    private static func changedTerms(documents: [[UInt32]], keys: [UInt64], termCount: Int, cache: SearchCache) -> (terms: Set<Int>, documents: [Int])? {
        let before = cache.termHashDocuments
        guard !cache.termHashes.isEmpty, cache.termHashes.count <= termCount, before.count == keys.count else { return nil }
        var changed: Set<Int> = []
        var changedDocuments: [Int] = []
        for number in keys.indices where keys[number] != before[number] {
            changedDocuments.append(number)
            guard changedDocuments.count <= 16, let old = cache.documents[before[number]]?.terms else { return nil }
            // Both ascending: what only one of them has.
            let new = documents[number]
            var (oldPlace, newPlace) = (0, 0)
            while oldPlace < old.count || newPlace < new.count {
                if newPlace == new.count || oldPlace < old.count && old[oldPlace] < new[newPlace] {
                    changed.insert(Int(old[oldPlace] >> 2))
                    oldPlace += 1
                } else if oldPlace == old.count || new[newPlace] < old[oldPlace] {
                    changed.insert(Int(new[newPlace] >> 2))
                    newPlace += 1
                } else {
                    oldPlace += 1
                    newPlace += 1
                }
            }
        }
        return (changed, changedDocuments)
    }
}
