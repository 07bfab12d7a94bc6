@testable import DossierKit
import Foundation
import XCTest

/// A body patch's change log (`ChangeLogPatch`), worked out from the state's lines, is the log
/// of reading every entry and merging the new ones in (`ChangeLog.merged`): its state, its JSON,
/// its newest entries, its years and each new entry's year.
final class ChangeLogPatchTests: XCTestCase {
    private static let baseURL = "https://example.org/brief/"
    private let urls = SiteURLs(baseURL: baseURL)
    private let site = SiteConfig(title: "T", baseURL: baseURL)

    /// Actors and actions `a-0`..., and entries over three years, the newest on `2024-03-10`.
    private func log(entryCount: Int) -> ChangeLog {
        var snapshot = BriefingSnapshot()
        for number in 0..<30 {
            snapshot.actions["x-\(number)"] = BriefingSnapshot.Record(title: "Action \(number)", status: number % 2 == 0 ? "in-force" : nil,
                                                                      fingerprint: BriefingSnapshot.fingerprint(UInt64(number), 1))
            snapshot.actors["a-\(number)"] = BriefingSnapshot.Record(title: "Actor \(number)\t\\", status: nil, fingerprint: BriefingSnapshot.fingerprint(UInt64(number), 2))
        }
        let kinds: [ChangeKind] = [.newAction, .editedAction, .newActor, .statusChanged, .editedActor]
        let entries = (0..<entryCount).map { number in
            let kind = kinds[number % kinds.count]
            return ChangeEntry(date: DayDate(year: 2024 - number / 40, month: 3, day: 10 - number % 40 / 5)!, kind: kind,
                               slug: (kind.isAction ? "x-" : "a-") + String(number % 30), title: "Entry \(number) \"quoted\"",
                               detail: kind == .statusChanged ? "in-force → lifted" : nil)
        }
        return ChangeLog(snapshot: snapshot, entries: entries.sorted(by: ChangeEntry.isBefore))
    }

    private func edit(_ slug: String, updated: DayDate?) -> ChangeLog.BodyEdit {
        let isAction = slug.hasPrefix("x-")
        let number = UInt64(slug.dropFirst(2))!
        return ChangeLog.BodyEdit(isAction: isAction, slug: slug, title: "Now \(slug)", updated: updated,
                                  fingerprint: BriefingSnapshot.fingerprint(number, isAction ? 99 : 98))
    }

    func testThePatchedLogIsTheMergedOne() throws {
        let isPublished: (ChangeEntry) -> Bool = { $0.slug != "x-3" }
        let cases: [(entries: Int, edits: [ChangeLog.BodyEdit], asOf: DayDate?)] = [
            (150, [edit("x-1", updated: nil)], DayDate("2024-03-10")),
            (150, [edit("x-1", updated: nil), edit("a-4", updated: nil), edit("x-7", updated: DayDate("2023-03-08"))], DayDate("2024-03-10")),
            // Dated before every entry, in a year of its own, and between two of one day.
            (150, [edit("a-2", updated: DayDate("2019-05-01")), edit("x-12", updated: DayDate("2024-03-09"))], DayDate("2025-01-01")),
            // An edit already in the log (edited again, no new `updated`) adds nothing.
            (150, [edit("x-1", updated: DayDate("2024-03-10"))], DayDate("2024-03-10")),
            (30, [edit("x-5", updated: nil), edit("x-6", updated: nil)], DayDate("2030-01-01")),
            (0, [edit("a-9", updated: nil)], DayDate("2024-03-10")),
        ]
        for (number, (entryCount, edits, asOf)) in cases.enumerated() {
            let before = log(entryCount: entryCount)
            let patch = try XCTUnwrap(ChangeLogPatch(state: before.state, edits: edits, asOf: asOf), "case \(number)")
            // What reading every entry gives.
            let published = try XCTUnwrap(ChangeLog.published(state: before.state))
            guard case .lines(let text, let records, true) = published.form else { return XCTFail("case \(number): not in line form") }
            let (replacements, found) = try XCTUnwrap(ChangeLog.bodyChanges(text, records: records, edits: edits, asOf: asOf))
            var snapshot = before.snapshot
            for (line, bytes) in replacements {
                let (slug, record) = try XCTUnwrap(ChangeLogLines.record(bytes, 0..<bytes.count))
                XCTAssertNotNil(ChangeLogLines.record(text, line))
                if bytes.first == ChangeLogLines.actionKind { snapshot.actions[slug] = record } else { snapshot.actors[slug] = record }
            }
            let after = ChangeLog(snapshot: snapshot, entries: ChangeLog.merged(published.entries, found))

            XCTAssertEqual(patch.state, after.state, "case \(number)")
            XCTAssertEqual(patch.count, after.entries.count, "case \(number)")
            XCTAssertEqual(patch.added.map(\.entry), after.entries.filter { !before.entries.contains($0) }, "case \(number)")
            XCTAssertEqual(patch.recent, Array(after.entries.prefix(ChangeLog.recentCount)), "case \(number)")
            XCTAssertEqual(patch.years, after.years, "case \(number)")
            XCTAssertEqual(Set(patch.entriesOfYear.keys), Set(patch.added.map(\.entry.date.year)), "case \(number)")
            for (year, entries) in patch.entriesOfYear { XCTAssertEqual(entries, Array(after.entries(of: year)), "case \(number), \(year)") }
            let json = before.publishedJSONBytes(urls: urls, isPublished: isPublished)
            let patchedJSON = try XCTUnwrap(json.withUnsafeBytes { patch.json(before: $0, urls: urls, isPublished: isPublished) }, "case \(number)")
            XCTAssertEqual(String(decoding: patchedJSON, as: UTF8.self), after.publishedJSON(urls: urls, isPublished: isPublished), "case \(number)")
            XCTAssertEqual(ExtraFeeds.changes(patch.recentLog, site: site, asOf: asOf, isPublished: isPublished),
                           ExtraFeeds.changes(after, site: site, asOf: asOf, isPublished: isPublished))
        }
    }

    /// A JSON file that is not the one the log before writes is not patched.
    func testJSONNotAsTheLogWroteItIsNotPatched() throws {
        let before = log(entryCount: 50)
        let patch = try XCTUnwrap(ChangeLogPatch(state: before.state, edits: [edit("x-1", updated: DayDate("2024-03-05"))], asOf: nil))
        XCTAssertEqual(patch.added.count, 1)
        let json = before.publishedJSONBytes(urls: urls) { _ in true }
        XCTAssertNotNil(json.withUnsafeBytes { patch.json(before: $0, urls: urls) { _ in true } })
        XCTAssertNil(json.withUnsafeBytes { patch.json(before: $0, urls: urls) { _ in false } }, "the entry before it is written otherwise")
        XCTAssertNil(Array(json.dropFirst()).withUnsafeBytes { patch.json(before: $0, urls: urls) { _ in true } })
        XCTAssertNil(ChangeLogPatch(state: "not a state", edits: [], asOf: nil))
        XCTAssertNil(ChangeLogPatch(state: before.state, edits: [edit("x-99", updated: nil)], asOf: nil), "a slug without a line")
    }
}
