@testable import DossierKit
import Foundation
import XCTest

/// The sharded index: document order, the field each term is found in, file names, and that the
/// page's entry points (manifest, shards, records) are where `search.js` looks.
final class SearchShardsTests: XCTestCase {
    private func build() throws -> (TemporaryBriefing, [String: Data]) {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization", extra: "aliases: [EU]\ncountry: Belgium\n"),
            "Content/actors/zhu-hailun.md": CaseFile.actor("Zhu Hailun", extra: "aliases: [朱海仑]\n", body: "A Xinjiang official."),
            "Content/actions/old.md": CaseFile.action("Older sanctions on Zhu", date: "2020-01-01", extra: "targets: [zhu-hailun]\nmeasures: [asset freeze]\n"),
            "Content/actions/new.md": CaseFile.action("Newer statement", date: "2021-03-22", type: "statement", body: "Mentions sanctions in the body."),
            "Content/pages/about.md": "---\ntitle: About\n---\nAbout this briefing.\n",
        ])
        let report = briefing.build()
        XCTAssertEqual(report.lines, [])
        let files = TemporaryBriefing.snapshot(of: briefing.site.appendingPathComponent("search/shards"))
        return (briefing, files)
    }

    private func json(_ data: Data?) throws -> Any {
        try JSONSerialization.jsonObject(with: XCTUnwrap(data))
    }

    /// Every posting of `term` as (document, field).
    private func postings(_ term: String, in files: [String: Data]) throws -> [(document: Int, field: Int)] {
        let manifest = try XCTUnwrap(try json(files["manifest.json"]) as? [String: Any])
        XCTAssertEqual((manifest["split"] as? [String: Any])?.count, 0, "this briefing is too small to split")
        let shard = try XCTUnwrap(try json(files["t/" + SearchShards.fileName(SearchShards.shardKey(term)) + ".json"]) as? [String: Any])
        let terms = try XCTUnwrap(shard["t"] as? [String])
        let encoded = try XCTUnwrap(shard["p"] as? [String])
        let index = try XCTUnwrap(terms.firstIndex(of: term), "no term \(term)")
        return PostingsCoder.decode(encoded[index])
    }

    func testNumbersActionsNewestFirstThenActorsThenPages() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        let manifest = try XCTUnwrap(try json(files["manifest.json"]) as? [String: Any])
        XCTAssertEqual(manifest["version"] as? Int, SearchShards.version)
        XCTAssertEqual([manifest["actions"], manifest["actors"], manifest["pages"]] as? [Int], [2, 2, 1])
        let records = try XCTUnwrap(try json(files["d/0.json"]) as? [[Any]]) + XCTUnwrap(try json(files["d/1.json"]) as? [[Any]])
        XCTAssertEqual(records.map { $0[0] as? String }, ["new", "old", "eu", "zhu-hailun", "about"])
        XCTAssertEqual(records[1][3] as? String, "2020-01-01")
        XCTAssertEqual(records[1][6] as? [String], ["European Union", "Zhu Hailun"], "an action's actor names, by role")
        XCTAssertEqual(records[2][5] as? [String], ["EU"], "aliases")
    }

    func testKeepsTheBestFieldOfEachTerm() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        // "zhu": the first word of the actor's name (3), a later word of the old action's title (1),
        // not found in the new action.
        XCTAssertEqual(try postings("zhu", in: files).map { [$0.document, $0.field] }, [[1, SearchField.name.rawValue], [3, SearchField.nameStart.rawValue]].map { $0.map(Int.init) })
        // "sanction" (stemmed): in the old action's title, the new action's body.
        XCTAssertEqual(try postings("sanction", in: files).map { [$0.document, $0.field] }, [[0, 1], [1, 3]])
        // A measure and a country are summary fields.
        XCTAssertEqual(try postings("freez", in: files).map(\.field), [Int(SearchField.summary.rawValue)])
        XCTAssertEqual(try postings("belgium", in: files).map(\.document), [2])
        // Stop words are kept in names and titles only.
        let th = try files["t/th.json"].map { try json($0) as? [String: Any] }
        XCTAssertFalse((th??["t"] as? [String] ?? []).contains("the"))
    }

    func testListsNamesForExactMatchesAndSplitsHanIntoWords() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        let zh = try XCTUnwrap(try json(files["t/zh.json"]) as? [String: Any])
        XCTAssertEqual(zh["n"] as? [[AnyHashable]], [["zhu hailun", 3]])
        let han = try XCTUnwrap(try json(files["t/_6731_.json"]) as? [String: Any])
        XCTAssertEqual(han["n"] as? [[AnyHashable]], [["朱 海 仑", 3]])
        XCTAssertEqual(han["t"] as? [String], ["朱"])
    }

    func testFileNamesAreSafe() {
        XCTAssertEqual(SearchShards.fileName("zh"), "zh")
        XCTAssertEqual(SearchShards.fileName("朱"), "_6731_")
        XCTAssertEqual(SearchShards.fileName("ø1"), "_f8_1")
        XCTAssertEqual(SearchShards.shardKey("sanction"), "sa")
        XCTAssertEqual(SearchShards.shardKey("u"), "u")
    }

    func testClipsAtASpaceWithAnEllipsis() {
        XCTAssertEqual(SearchShards.clip("one  two\nthree", to: 100), "one two three")
        XCTAssertEqual(SearchShards.clip("alpha beta gamma delta", to: 12), "alpha beta…")
    }

    func testDayNumbersMatchJavaScriptDateUTC() {
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 1970, month: 1, day: 1)!), 0)
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 2021, month: 3, day: 22)!), 18708)
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 2000, month: 2, day: 29)!), 11016)
    }
}
