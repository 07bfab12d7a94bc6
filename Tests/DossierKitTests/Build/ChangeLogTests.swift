@testable import DossierKit
import Foundation
import XCTest

/// The change log across real builds on disk: build, edit, rebuild, and read what it recorded.
final class ChangeLogTests: XCTestCase {
    static let files: [String: String] = [
        "Content/actors/eu.md": CaseFile.actor("European Union", type: "government"),
        "Content/actors/official.md": CaseFile.actor("An Official"),
        "Content/actions/eu-listing.md": CaseFile.action("EU lists an official", date: "2021-03-22", extra: "targets: [official]\nstatus: in-force\nsources:\n  - title: Journal\n"),
        "Content/actions/older.md": CaseFile.action("An older statement", date: "2020-12-07", type: "statement"),
    ]

    func stateLog(_ briefing: TemporaryBriefing) throws -> ChangeLog {
        let state = try XCTUnwrap(state(briefing))
        return try XCTUnwrap(ChangeLog(state: state))
    }

    /// The change log's state, kept in the record of the site in place (Write/SiteRecord.swift).
    func state(_ briefing: TemporaryBriefing) -> String? {
        SiteWriter(output: briefing.site).currentRecord()?.memory.changeLog
    }

    /// Puts `state` in the record of the site in place, as a hand edit or an older dossier would.
    func rewriteState(of briefing: TemporaryBriefing, to state: String) throws {
        let writer = SiteWriter(output: briefing.site)
        let recordName = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: writer.workFolder.path).first { $0.hasSuffix(".record") })
        var record = try XCTUnwrap(writer.currentRecord())
        record.memory.changeLog = state
        try Data(record.encoded()).write(to: writer.workFolder.appendingPathComponent(recordName))
    }

    func testTheFirstBuildRecordsEverythingAsNewBesideTheSite() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertEqual(SiteWriter(output: briefing.site).workFolder.lastPathComponent, ".Site.dossier")
        XCTAssertEqual(SiteWriter(output: briefing.site).workFolder.deletingLastPathComponent().standardizedFileURL.path, briefing.root.standardizedFileURL.path)
        let log = try stateLog(briefing)
        XCTAssertEqual(log.entries.map { "\($0.date) \($0.kind.rawValue) \($0.slug)" }, [
            "2021-03-22 new-action eu-listing", "2021-03-22 new-actor official", "2020-12-07 new-action older", "2020-12-07 new-actor eu",
        ], "a new actor is dated by the first action naming it")
        XCTAssertFalse(TemporaryBriefing.snapshot(of: briefing.site).keys.contains { $0.contains("record") }, "the state is not published")
    }

    func testLiftingASanctionAndAddingAnActionRecordsExactlyThose() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let before = try stateLog(briefing).entries
        try briefing.write("Content/actions/eu-listing.md", CaseFile.action("EU lists an official", date: "2021-03-22",
                                                                            extra: "targets: [official]\nstatus: lifted\nupdated: 2022-01-10\nsources:\n  - title: Journal\n"))
        try briefing.write("Content/actions/new-statement.md", CaseFile.action("A new statement", date: "2022-02-01", type: "statement", extra: "targets: [official]\n"))
        XCTAssertEqual(briefing.build().lines, [])
        let after = try stateLog(briefing).entries
        let added = after.filter { !before.contains($0) }
        XCTAssertEqual(added.map { "\($0.date) \($0.kind.rawValue) \($0.slug) \($0.detail ?? "")" }, [
            "2022-02-01 new-action new-statement ",
            "2022-01-10 status-changed eu-listing in-force → lifted",
        ])
        // The page, the feed and the JSON show them.
        let page = try briefing.read("changes/index.html")
        XCTAssertTrue(page.contains("id=\"2022-01-10-status-changed-eu-listing-in-force-lifted\""), page)
        XCTAssertTrue(page.contains("<a href=\"/brief/actions/new-statement/\">A new statement</a>"))
        let feed = try briefing.read("changes/feed.xml")
        XCTAssertTrue(feed.contains("<title>Status changed: EU lists an official (in-force → lifted)</title>"), feed)
        let json = try JSONSerialization.jsonObject(with: Data(briefing.read("changes/index.json").utf8)) as? [String: Any]
        XCTAssertEqual((json?["entries"] as? [Any])?.count, after.count)
        // The in-force summary follows the status.
        XCTAssertFalse(try briefing.read("actors/official/index.html").contains("In force against An Official</h2>\n    <p>As of"))
    }

    func testARebuildOfUnchangedContentChangesNothing() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let state = try XCTUnwrap(state(briefing))
        let site = TemporaryBriefing.snapshot(of: briefing.site)
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertEqual(self.state(briefing), state)
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), site)
    }

    func testABuildWithErrorsLeavesTheStateAsItWas() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let state = try XCTUnwrap(state(briefing))
        try briefing.write("Content/actions/broken.md", CaseFile.action("Broken", by: "[nobody]"))
        XCTAssertTrue(briefing.build().diagnostics.hasErrors)
        XCTAssertEqual(self.state(briefing), state)
        // Nor does a check, which writes nothing.
        try briefing.remove("Content/actions/broken.md")
        try briefing.write("Content/actions/other.md", CaseFile.action("Other", date: "2023-01-01"))
        _ = briefing.build(writes: false)
        XCTAssertEqual(self.state(briefing), state)
    }

    func testEditsAndRemovalsAreDatedFromTheContent() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        try briefing.write("Content/actors/official.md", CaseFile.actor("An Official", extra: "updated: 2021-04-01\n", body: "Now with more."))
        try briefing.remove("Content/actions/older.md")
        XCTAssertEqual(briefing.build().lines, [])
        let log = try stateLog(briefing)
        XCTAssertTrue(log.entries.contains(ChangeEntry(date: DayDate("2021-04-01")!, kind: .editedActor, slug: "official", title: "An Official")))
        XCTAssertTrue(log.entries.contains(ChangeEntry(date: DayDate("2021-04-01")!, kind: .removedAction, slug: "older", title: "An older statement")))
    }

    func testAnUnreadableStateIsAWarningAndTheLogStartsAgain() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        // A record whose change log state is damaged (as a hand edit would leave it).
        try rewriteState(of: briefing, to: "not json")
        try briefing.write("Content/actions/other.md", CaseFile.action("Other", date: "2023-01-01"))
        let report = briefing.build()
        XCTAssertFalse(report.diagnostics.hasErrors)
        XCTAssertEqual(report.diagnostics.warningCount, 1)
        XCTAssertEqual(try stateLog(briefing).entries.count, 5)
    }

    /// A state from an older dossier, whose fingerprints were made another way: its edits cannot
    /// be told, so none is claimed, but new, removed and status changes still show.
    func testAStateWithOlderFingerprintsClaimsNoEditsButSeesEverythingElse() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        var log = try stateLog(briefing)
        for slug in log.snapshot.actors.keys { log.snapshot.actors[slug]!.fingerprint = "0123456789abcdef" }
        for slug in log.snapshot.actions.keys { log.snapshot.actions[slug]!.fingerprint = "0123456789abcdef" }
        try rewriteState(of: briefing, to: log.state)
        try briefing.write("Content/actors/official.md", CaseFile.actor("An Official", body: "Edited."))
        try briefing.write("Content/actions/older.md", CaseFile.action("An older statement", date: "2020-12-07", type: "statement", extra: "status: lifted\n"))
        try briefing.write("Content/actions/other.md", CaseFile.action("Other", date: "2023-01-01"))
        XCTAssertEqual(briefing.build().lines, [])
        let added = try stateLog(briefing).entries.filter { !log.entries.contains($0) }
        XCTAssertEqual(added.map { "\($0.kind.rawValue) \($0.slug)" }.sorted(), ["new-action other", "status-changed older"])
        // From then on the state has fingerprints of this version, and edits show again.
        try briefing.write("Content/actors/official.md", CaseFile.actor("An Official", body: "Edited again."))
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertTrue(try stateLog(briefing).entries.contains { $0.kind == .editedActor && $0.slug == "official" })
    }

    func testTheStateRoundTripsWhateverTheTitlesHold() throws {
        var snapshot = BriefingSnapshot()
        snapshot.actors["a"] = .init(title: "Tab\there, new\nline, back\\slash\\t", status: nil, fingerprint: "c0123")
        snapshot.actions["b"] = .init(title: "-", status: "in-force", fingerprint: "0123456789abcdef")
        snapshot.actions["c"] = .init(title: "=x", status: "", fingerprint: "c1")
        let log = ChangeLog(snapshot: snapshot, entries: [
            ChangeEntry(date: DayDate("2024-01-02")!, kind: .statusChanged, slug: "b", title: "Line\r\nbreak", detail: "in-force → lifted"),
            ChangeEntry(date: DayDate("2023-01-02")!, kind: .newAction, slug: "c", title: "", detail: nil),
        ])
        XCTAssertEqual(ChangeLog(state: log.state), log)
        XCTAssertEqual(log.state.split(separator: "\n").count, 6, "one line a record and an entry, after the signature")
        XCTAssertNil(ChangeLog(state: ChangeLog.stateSignature + "x\tonly\n"))
        XCTAssertNil(ChangeLog(state: ChangeLog.stateSignature + "ax\tb\tt\t-\tf\n"), "a line's kind is one letter")
        XCTAssertEqual(ChangeLog(state: log.state.replacingOccurrences(of: "\n", with: "\n\n")), log, "blank lines are skipped")
        XCTAssertNil(ChangeLog(state: "not a state"))
        XCTAssertEqual(ChangeKind.allCases.map(\.rank), Array(ChangeKind.allCases.indices), "a day's entries are in the order of the kinds")
    }

    /// `changes/index.json` is written member by member: the bytes must be those `JSONValue`
    /// writes of the same entries, whatever the titles hold and whether a page is still there.
    func testThePublishedLogIsTheJSONOfItsEntries() throws {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let graph = Linker.link(try XCTUnwrap(Builder.parse(sources, baseURL: nil).0), includeDrafts: false).0
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let log = ChangeLog(snapshot: BriefingSnapshot(), entries: [
            ChangeEntry(date: DayDate("2024-01-02")!, kind: .statusChanged, slug: "eu-listing", title: "Quote \" <b> & \u{2028} tab\t\\", detail: "in-force → lifted"),
            ChangeEntry(date: DayDate("2023-01-02")!, kind: .newActor, slug: "official", title: "An Official"),
            ChangeEntry(date: DayDate("2022-01-02")!, kind: .removedAction, slug: "gone", title: "", detail: nil),
        ])
        let expected = JSONValue.object([
            "version": .number(ChangeLog.version),
            "entries": .array(log.entries.map { entry in
                .object(["date": .string(entry.date.description), "kind": .string(entry.kind.rawValue), "slug": .string(entry.slug), "title": .string(entry.title),
                         "detail": .optional(entry.detail), "id": .string(entry.id), "url": .optional(ChangeLog.url(of: entry, urls: urls, graph: graph).map(urls.absolute))])
            }),
        ]).serialized + "\n"
        XCTAssertEqual(log.publishedJSON(urls: urls, graph: graph), expected)
        XCTAssertTrue(expected.contains("/actions/eu-listing/"), "a page still there has its address")
        XCTAssertTrue(expected.contains("\"url\":null"), "a page gone has none")
        XCTAssertEqual(ChangeLog().publishedJSON(urls: urls, graph: graph), "{\"entries\":[],\"version\":1}\n")
    }

    /// A build compares the snapshot line by line (`update`); that must say exactly what the
    /// record-by-record comparison (`next`) says, and write its state, for any last state:
    /// records new, removed, edited, retitled, with another status or an older fingerprint,
    /// entries that repeat a change found, and states whose lines are out of order.
    func testComparingLinesGivesTheLogAndStateOfComparingRecords() throws {
        var files: [String: String] = [:]
        for number in 0..<12 { files["Content/actors/actor-\(number).md"] = CaseFile.actor("Actor \(number)\(number % 4 == 0 ? " \\ tab\\t" : "")") }
        let statuses = ["in-force", "lifted", "proposed", "expired"]
        for number in 0..<20 {
            let ends = number % 3 == 0 ? "ends: 2021-06-01\n" : ""
            let updated = number % 5 == 0 ? "updated: 2022-02-0\(number % 9 + 1)\n" : ""
            files["Content/actions/action-\(number).md"] = CaseFile.action("Action \(number)", date: "2021-0\(number % 9 + 1)-1\(number % 10)", by: "[actor-\(number % 12)]",
                                                                           extra: "targets: [actor-\((number + 5) % 12)]\nstatus: \(statuses[number % 4])\n\(ends)\(updated)")
        }
        files["Content/actors/eu.md"] = CaseFile.actor("European Union", type: "government")
        let briefing = try TemporaryBriefing(files)
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let graph = Linker.link(try XCTUnwrap(Builder.parse(sources, baseURL: nil).0), includeDrafts: false).0
        let current = BriefingSnapshot(graph: graph)
        var random = SeededGenerator(state: 29)
        var fastPaths = 0
        for round in 0..<200 {
            var snapshot = current
            for (slug, _) in current.actions where random.next() % 6 == 0 { snapshot.actions[slug] = nil }
            for (slug, _) in current.actors where random.next() % 6 == 0 { snapshot.actors[slug] = nil }
            for slug in snapshot.actions.keys {
                switch random.next() % 10 {
                case 0: snapshot.actions[slug]!.fingerprint = "h0000000000000000"
                case 1: snapshot.actions[slug]!.status = ["in-force", "lifted", nil, ""][Int(random.next() % 4)]
                case 2: snapshot.actions[slug]!.title += " (was)"
                case 3: snapshot.actions[slug]!.fingerprint = "0123456789abcdef"
                default: break
                }
            }
            for slug in snapshot.actors.keys where random.next() % 8 == 0 { snapshot.actors[slug]!.fingerprint = "h0000000000000001" }
            for number in 0..<Int(random.next() % 3) {
                snapshot.actions["gone-\(round)-\(number)"] = .init(title: "Gone\t\(number)", status: "lifted", fingerprint: "h0000000000000002")
                snapshot.actors["zz-gone-\(number)"] = .init(title: "Gone actor", status: nil, fingerprint: "h0000000000000003")
            }
            // Some entries the comparison finds again, so they are not repeated.
            var entries = ChangeLog.next(after: ChangeLog(snapshot: snapshot, entries: []), graph: graph).entries.filter { _ in random.next() % 2 == 0 }
            entries.append(ChangeEntry(date: DayDate("2020-01-01")!, kind: .newActor, slug: "old", title: "Old\nline"))
            entries.sort(by: ChangeEntry.isBefore)
            let last = ChangeLog(snapshot: snapshot, entries: entries)
            var state = last.state
            if round % 10 == 9 {
                // Lines out of order, as another writer might leave them: compared record by record.
                let lines = state.split(separator: "\n", omittingEmptySubsequences: false)
                state = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n")
            }
            let published = try XCTUnwrap(ChangeLog.published(state: state))
            if case .lines(_, _, true) = published.form { fastPaths += 1 }
            let expected = ChangeLog.next(after: try XCTUnwrap(ChangeLog(state: state)), graph: graph)
            let (log, updatedState) = ChangeLog.update(after: published, graph: graph)
            XCTAssertEqual(log.entries, expected.entries, "round \(round)")
            XCTAssertEqual(updatedState, expected.state, "round \(round)")
            XCTAssertEqual(ChangeLog(state: updatedState), expected, "round \(round)")
        }
        XCTAssertEqual(fastPaths, 180, "every state in order is compared line by line")
        let (first, firstState) = ChangeLog.update(after: nil, graph: graph)
        XCTAssertEqual(first, ChangeLog.next(after: nil, graph: graph))
        XCTAssertEqual(firstState, first.state)
    }

    /// Sites built before the line format keep their log: the JSON state is still read.
    func testAnOlderJSONStateIsStillRead() throws {
        let json = #"{"entries":[{"date":"2021-03-22","detail":null,"kind":"new-action","slug":"eu-listing","title":"EU lists"}],"#
            + #""snapshot":{"actions":{"eu-listing":{"fingerprint":"0123456789abcdef","status":"in-force","title":"EU lists"}},"actors":{}},"version":1}"#
        let log = try XCTUnwrap(ChangeLog(state: json))
        XCTAssertEqual(log.entries, [ChangeEntry(date: DayDate("2021-03-22")!, kind: .newAction, slug: "eu-listing", title: "EU lists")])
        XCTAssertEqual(log.snapshot.actions["eu-listing"]?.status, "in-force")
    }
}
