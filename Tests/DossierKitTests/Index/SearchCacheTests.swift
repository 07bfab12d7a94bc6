@testable import DossierKit
import Foundation
import XCTest

/// The search cache: search outputs made with an earlier build's cache, through its bytes, are
/// those made without one, whatever changed in between; a damaged cache reads as empty.
final class SearchCacheTests: XCTestCase {
    private func graph(_ files: [String: String]) throws -> (BriefingGraph, [String: RenderedMarkdown]) {
        let briefing = try TemporaryBriefing(files)
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        let (graph, _) = Linker.link(try XCTUnwrap(parsed), includeDrafts: false)
        let (bodies, _, _, _) = SiteRenderer.renderBodies(graph, cache: BodyCache())
        return (graph, bodies)
    }

    private func files(_ graph: BriefingGraph, _ bodies: [String: RenderedMarkdown], cache: SearchCache) -> (index: String, shards: [String: Data], next: SearchCache) {
        let outputs = SearchOutputs(graph: graph, bodies: bodies, cache: cache)
        var index = ""
        outputs.writeIndex { index += $0 }
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
            let cached = files(graph, bodies, cache: SearchCache(encoded: first.next.encoded()))
            XCTAssertEqual(cached.index, clean.index)
            XCTAssertEqual(cached.shards, clean.shards)
            // And again from the cache this build leaves.
            let again = files(graph, bodies, cache: SearchCache(encoded: cached.next.encoded()))
            XCTAssertEqual(again.shards, clean.shards)
            XCTAssertEqual(again.index, clean.index)
        }
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
}
