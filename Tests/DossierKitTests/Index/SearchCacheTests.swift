@testable import DossierKit
import Foundation
import XCTest

/// The search cache: search outputs made with an earlier build's cache, through its bytes, are
/// those made without one, whatever changed in between; a damaged cache reads as empty.
final class SearchCacheTests: XCTestCase {
    private func graph(_ files: [String: String]) throws -> (BriefingGraph, [String: RenderedMarkdown]) {
        let briefing = try TemporaryBriefing(files)
        // Every file is read by the load, and every body rendered, before the folder goes.
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        let (graph, _) = Linker.link(try XCTUnwrap(parsed), includeDrafts: false)
        let (bodies, _, _, _) = SiteRenderer.renderBodies(graph, cache: BodyCache())
        return (graph, bodies)
    }

    private func files(_ graph: BriefingGraph, _ bodies: [String: RenderedMarkdown], cache: SearchCache, previousIndex: String? = nil) -> (index: String, shards: [String: Data], next: SearchCache) {
        let outputs = SearchOutputs(graph: graph, bodies: bodies, cache: cache)
        var index = ""
        outputs.writeIndex(previous: previousIndex.map { Data($0.utf8) }) { index += String(decoding: $0, as: UTF8.self) }
        let shards = Dictionary(uniqueKeysWithValues: outputs.shardFiles().map { ($0.path, $0.bytes) })
        return (index, shards, outputs.next)
    }

    static func briefing(_ body: String, title: String = "Sanctions on officials", name: String = "Zhu Hailun") -> [String: String] {
        var files = [
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization", extra: "aliases: [EU]\ncountry: Belgium\n"),
            "Content/actors/zhu-hailun.md": CaseFile.actor(name, extra: "aliases: [朱海仑]\n", body: "A Xinjiang official."),
            "Content/actions/old.md": CaseFile.action(title, date: "2020-01-01", extra: "targets: [zhu-hailun]\nmeasures: [asset freeze]\n", body: body),
            "Content/actions/new.md": CaseFile.action("Newer statement", date: "2021-03-22", type: "statement", body: "Mentions sanctions in the body."),
            "Content/pages/about.md": "---\ntitle: About\n---\nAbout this briefing.\n",
        ]
        for number in 0..<40 {
            files["Content/actions/filler-\(number).md"] = CaseFile.action("Filler \(number) sanctions statement", date: "2019-02-\(10 + number % 18)",
                                                                           extra: "targets: [eu]\n", body: "Freeze number \(number) of council embargo tribunal.")
        }
        return files
    }

    func testOutputsWithAnEarlierBuildsCacheAreThoseWithout() throws {
        let (firstGraph, firstBodies) = try graph(Self.briefing("The council froze assets."))
        let first = files(firstGraph, firstBodies, cache: SearchCache())
        XCTAssertFalse(first.next.isEmpty)
        let edits: [[String: String]] = [
            Self.briefing("The council froze assets."),
            Self.briefing("The council froze assets of zyzzyva traders."),
            Self.briefing("The council froze assets.", title: "Renamed sanctions"),
            Self.briefing("The council froze assets.", name: "Chen Quanguo"),
            Self.briefing(""),
        ]
        for edit in edits {
            let (graph, bodies) = try graph(edit)
            let clean = files(graph, bodies, cache: SearchCache())
            XCTAssertEqual(clean.index, SearchIndex.json(graph: graph, bodies: bodies), "the file the plain writer writes")
            let cached = files(graph, bodies, cache: SearchCache(encoded: first.next.encoded()), previousIndex: first.index)
            XCTAssertEqual(cached.index, clean.index)
            XCTAssertEqual(cached.shards, clean.shards)
            // The count of used terms the build hands the cache is the one encoding would make.
            XCTAssertEqual(cached.next.usedTermCount, Set(cached.next.documents.values.flatMap { $0.terms.map { $0 >> 2 } }).count)
            var recounted = cached.next
            recounted.usedTermCount = nil
            XCTAssertEqual(recounted.encoded(), cached.next.encoded())
            // And again from the cache this build leaves.
            let again = files(graph, bodies, cache: SearchCache(encoded: cached.next.encoded()), previousIndex: cached.index)
            XCTAssertEqual(again.shards, clean.shards)
            XCTAssertEqual(again.index, clean.index)
        }
    }

    /// `search-index.json` takes the lines of unchanged documents from the file in place, and
    /// only from a file with the members the cache describes.
    func testTheIndexCopiesTheLinesOfUnchangedDocuments() throws {
        let (firstGraph, firstBodies) = try graph(Self.briefing("The council froze assets."))
        let first = files(firstGraph, firstBodies, cache: SearchCache())
        // Marks every line of the file in place, keeping its shape.
        let marked = first.index.replacingOccurrences(of: "\"kind\":", with: "\"mark\":1,\"kind\":")
        XCTAssertNotEqual(marked, first.index)
        let (graph, bodies) = try graph(Self.briefing("The council froze the assets of zyzzyva traders."))
        let clean = files(graph, bodies, cache: SearchCache())
        let spliced = files(graph, bodies, cache: first.next, previousIndex: marked)
        let lines = spliced.index.split(separator: "\n")
        XCTAssertEqual(lines.count, clean.index.split(separator: "\n").count)
        // Every document but the edited one came from the file in place.
        XCTAssertEqual(lines.filter { $0.contains("\"mark\":1") }.count, lines.count - 3)
        let edited = try XCTUnwrap(lines.first { $0.contains("zyzzyva") })
        XCTAssertFalse(edited.contains("\"mark\""))
        // A file in place of another shape is not used.
        for other in [marked + "\n", String(marked.dropLast(2)), marked.replacingOccurrences(of: "},\n", with: "}\n")] {
            XCTAssertEqual(files(graph, bodies, cache: first.next, previousIndex: other).index, clean.index)
        }
        // Nor is one without the cache's members.
        XCTAssertEqual(files(graph, bodies, cache: SearchCache(), previousIndex: marked).index, clean.index)
    }

    func testTheCacheRoundTripsAndADamagedOneIsEmpty() throws {
        let (graph, bodies) = try graph(Self.briefing("The council froze assets."))
        let bytes = files(graph, bodies, cache: SearchCache()).next.encoded()
        let decoded = SearchCache(encoded: bytes)
        XCTAssertFalse(decoded.isEmpty)
        XCTAssertEqual(decoded.encoded().count, bytes.count)
        XCTAssertTrue(SearchCache(encoded: Array(bytes.dropLast())).isEmpty)
        XCTAssertTrue(SearchCache(encoded: Array(bytes.prefix(40))).isEmpty)
        XCTAssertTrue(SearchCache(encoded: [UInt8]()).isEmpty)
        for place in [30, bytes.count / 3, bytes.count / 2, bytes.count - 3] {
            var corrupt = bytes
            corrupt[place] ^= 0x20
            XCTAssertTrue(SearchCache(encoded: corrupt).isEmpty, "a byte changed at \(place)")
        }
    }

    /// A body patch's overlay: read back over the cache it was made over, the cache has its terms
    /// and entries and the overlay's members; over any other cache, or damaged, it is not used.
    func testAnOverlayAppliesOnlyOverTheCacheItWasMadeOver() throws {
        let (baseGraph, baseBodies) = try graph(Self.briefing("The council froze assets."))
        let baseBytes = files(baseGraph, baseBodies, cache: SearchCache()).next.encoded()
        let base = SearchCache(encoded: baseBytes)
        let checksum = try XCTUnwrap(base.checksum)
        var overlay = SearchCache.Overlay(baseChecksum: checksum, baseTermCount: base.terms.count)
        overlay.entries.terms = ["zyzzyva"]
        let newTerm = UInt32(base.terms.count) << 2 | 2
        overlay.entries.documents[42] = SearchCache.Document(record: "[\"r\"]", short: "[\"s\"]", terms: [1 << 2, newTerm])
        overlay.entries.sectionJSON[43] = "\"zy\":{}"
        overlay.entries.indexMembers = [7, 8, 9]
        let bytes = overlay.encoded()
        let read = try XCTUnwrap(bytes.withUnsafeBytes { SearchCache.Overlay(encoded: $0) })

        var applied = SearchCache(encoded: baseBytes)
        XCTAssertTrue(applied.apply(read))
        XCTAssertEqual(applied.terms, base.terms + ["zyzzyva"])
        XCTAssertEqual(applied.documents[42]?.terms, [1 << 2, newTerm])
        XCTAssertEqual(applied.documents.count, base.documents.count + 1)
        XCTAssertEqual(applied.sectionJSON[43], "\"zy\":{}")
        XCTAssertEqual(applied.indexMembers, [7, 8, 9])

        // Another cache (a full build wrote it since), or one made in memory: not applied.
        let (otherGraph, otherBodies) = try graph(Self.briefing("The council froze other assets."))
        var other = SearchCache(encoded: files(otherGraph, otherBodies, cache: SearchCache()).next.encoded())
        XCTAssertFalse(other.apply(read))
        var inMemory = base
        inMemory.checksum = nil
        XCTAssertFalse(inMemory.apply(read))
        // A damaged overlay reads as none.
        for place in [10, bytes.count / 2, bytes.count - 2] {
            var corrupt = bytes
            corrupt[place] ^= 0x20
            XCTAssertNil(corrupt.withUnsafeBytes { SearchCache.Overlay(encoded: $0) }, "a byte changed at \(place)")
        }
        XCTAssertNil(Array(bytes.dropLast()).withUnsafeBytes { SearchCache.Overlay(encoded: $0) })
    }

    /// Terms no document uses are kept, numbers unchanged, until they are a quarter of all;
    /// then the rest are renumbered. Either way each document reads back the same terms.
    func testUnusedTermsAreDroppedOnlyOnceTheyAreAQuarter() {
        let hashOfTerm: [String: UInt64] = ["a": 11, "b": 22, "c": 33, "d": 44, "e": 55]
        func cache(using numbers: [UInt32]) -> SearchCache {
            var cache = SearchCache()
            cache.terms = ["a", "b", "c", "d", "e"]
            cache.documents[7] = SearchCache.Document(record: "[]", short: "[]", terms: numbers.map { $0 << 2 | 1 })
            cache.termHashes = cache.terms.indices.map { numbers.contains(UInt32($0)) ? hashOfTerm[cache.terms[$0]]! : 0 }
            cache.termHashDocuments = [7]
            return cache
        }
        /// Each term's hash follows it wherever it is numbered.
        func assertHashesFollowTerms(_ cache: SearchCache, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(cache.termHashes.count, cache.terms.count, file: file, line: line)
            for term in termsOfDocument(cache) { XCTAssertEqual(cache.termHashes[cache.terms.firstIndex(of: term)!], hashOfTerm[term], file: file, line: line) }
            XCTAssertEqual(cache.termHashDocuments, [7], file: file, line: line)
        }
        func termsOfDocument(_ cache: SearchCache) -> [String] {
            cache.documents[7]!.terms.map { cache.terms[Int($0 >> 2)] }
        }
        let mostlyUsed = SearchCache(encoded: cache(using: [0, 1, 3, 4]).encoded())
        XCTAssertEqual(mostlyUsed.terms, ["a", "b", "c", "d", "e"], "one unused term in five is kept")
        XCTAssertEqual(termsOfDocument(mostlyUsed), ["a", "b", "d", "e"])
        let fewUsed = SearchCache(encoded: cache(using: [1, 4]).encoded())
        XCTAssertEqual(fewUsed.terms.count, 2, "three unused terms in five are dropped")
        XCTAssertEqual(Set(termsOfDocument(fewUsed)), ["b", "e"])
        XCTAssertEqual(fewUsed.documents[7]!.terms, fewUsed.documents[7]!.terms.sorted(), "renumbered terms stay ascending")
        assertHashesFollowTerms(mostlyUsed)
        assertHashesFollowTerms(fewUsed)
    }

    /// The postings made on every core are those of one pass over the documents in order: each
    /// term's list in document order, with each document's field, whatever the runs' bounds.
    func testPostingsMadeInRunsAreThoseOfOnePass() {
        var generator = SystemRandomNumberGenerator()
        for documentCount in [0, 1, 1023, 1024, 2047, 5000] {
            let termCount = 300
            let documents: [[UInt32]] = (0..<documentCount).map { _ in
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt32.random(in: 0..<UInt32(termCount), using: &generator) << 2 | UInt32.random(in: 0...3, using: &generator) }
            }
            var lists = [[UInt32]](repeating: [], count: termCount)
            for (document, terms) in documents.enumerated() {
                for packed in terms { lists[Int(packed >> 2)].append(UInt32(document) << 2 | packed & 3) }
            }
            let (starts, postings) = TermPostings.postings(of: documents, termCount: termCount)
            XCTAssertEqual(starts.count, termCount + 1)
            XCTAssertEqual(postings.count, lists.reduce(0) { $0 + $1.count })
            for term in 0..<termCount {
                XCTAssertEqual(Array(postings[starts[term]..<starts[term + 1]]), lists[term], "term \(term) of \(documentCount) documents")
            }
        }
    }
}
