@testable import DossierKit
import XCTest

/// Term hashes taken from the cache and made again only for the terms of changed documents are
/// those made from every document, and so are the postings found for the terms asked for.
final class TermPostingsTests: XCTestCase {
    private let termCount = 120

    /// A document's terms as the cache keeps them: each once, ascending, with a field.
    private func randomTerms(_ generator: inout some RandomNumberGenerator, termCount: Int) -> [UInt32] {
        let chosen = Set((0..<Int.random(in: 0...20, using: &generator)).map { _ in UInt32.random(in: 0..<UInt32(termCount), using: &generator) })
        return chosen.sorted().map { $0 << 2 | UInt32.random(in: 0...3, using: &generator) }
    }

    /// The cache a build over `documents` leaves: their entries and the hashes it made.
    private func cache(documents: [[UInt32]], keys: [UInt64], terms: [String]) -> SearchCache {
        var cache = SearchCache()
        cache.terms = terms
        for (key, documentTerms) in zip(keys, documents) { cache.documents[key] = SearchCache.Document(record: "[]", short: "[]", terms: documentTerms) }
        let made = TermPostings(documents: documents, keys: keys, terms: terms, cache: SearchCache())
        XCTAssertFalse(made.isPlanned)
        cache.termHashes = made.storable
        cache.termHashDocuments = keys
        return cache
    }

    func testHashesFromTheCacheAreThoseMadeFromEveryDocument() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let terms = (0..<termCount).map { "term\($0)" }
            var documents = (0..<300).map { _ in randomTerms(&generator, termCount: termCount) }
            var keys = (0..<UInt64(300)).map { $0 + 1000 }
            let before = cache(documents: documents, keys: keys, terms: terms)
            let postingsBefore = TermPostings(documents: documents, keys: keys, terms: terms, cache: SearchCache())
            // A few documents change: new terms (some numbered after the cache's), other fields.
            var grown = terms
            if round % 2 == 0 { grown += (0..<5).map { "new\($0)" } }
            for _ in 0..<Int.random(in: 1...16, using: &generator) {
                let number = Int.random(in: 0..<documents.count, using: &generator)
                documents[number] = randomTerms(&generator, termCount: grown.count)
                keys[number] = UInt64.random(in: 1_000_000...UInt64.max, using: &generator)
            }
            let alongside = (0..<5).map { _ in Int.random(in: 0..<grown.count, using: &generator) }
            var planned = TermPostings(documents: documents, keys: keys, terms: grown, cache: before) { _ in alongside }
            let full = TermPostings(documents: documents, keys: keys, terms: grown, cache: SearchCache())
            XCTAssertTrue(planned.isPlanned, "round \(round)")
            XCTAssertEqual(planned.hashes.count, full.hashes.count)
            XCTAssertEqual(grown.indices.filter { planned.hashes[$0] != full.hashes[$0] }, [], "terms whose hashes differ, round \(round)")
            XCTAssertEqual(grown.indices.map(planned.isUsed), grown.indices.map(full.isUsed))
            XCTAssertTrue(alongside.allSatisfy(planned.has), "found with the changed terms")
            let asked = (0..<10).map { _ in Int.random(in: 0..<grown.count, using: &generator) }
            planned.need(asked)
            for term in asked + alongside {
                XCTAssertEqual(Array(planned.postings(of: term)), Array(full.postings(of: term)), "term \(term), round \(round)")
            }
            // With some terms' postings as the cache's sections held them, patched with the
            // changed documents: the same hashes and postings.
            let inSections = Set(terms.indices.filter { _ in Bool.random(using: &generator) })
            let fromSections = TermPostings(documents: documents, keys: keys, terms: grown, cache: before, alongside: { _ in alongside }) { term in
                inSections.contains(term) ? Array(postingsBefore.postings(of: term)) : nil
            }
            XCTAssertEqual(grown.indices.filter { fromSections.hashes[$0] != full.hashes[$0] }, [], "from sections, round \(round)")
            for term in alongside { XCTAssertEqual(Array(fromSections.postings(of: term)), Array(full.postings(of: term)), "from sections, term \(term)") }
        }
    }

    /// Hashes of other documents, or of many changed ones, are not used: the postings are made.
    func testHashesOfOtherDocumentsAreNotUsed() {
        var generator = SystemRandomNumberGenerator()
        let terms = (0..<termCount).map { "term\($0)" }
        let documents = (0..<100).map { _ in randomTerms(&generator, termCount: termCount) }
        let keys = (0..<UInt64(100)).map { $0 + 1000 }
        let before = cache(documents: documents, keys: keys, terms: terms)
        XCTAssertTrue(TermPostings(documents: documents, keys: keys, terms: terms, cache: before).isPlanned)
        XCTAssertFalse(TermPostings(documents: documents.dropLast(), keys: keys.dropLast(), terms: terms, cache: before).isPlanned, "another number of documents")
        let manyChanged = keys.enumerated().map { $0.offset < 17 ? $0.element + 5000 : $0.element }
        XCTAssertFalse(TermPostings(documents: documents, keys: manyChanged, terms: terms, cache: before).isPlanned, "17 changed documents")
        var forgotten = before
        forgotten.documents[keys[0]] = nil
        let oneChanged = [keys[0] + 5000] + keys.dropFirst()
        XCTAssertFalse(TermPostings(documents: documents, keys: oneChanged, terms: terms, cache: forgotten).isPlanned, "the changed document's old terms unknown")
    }
}
