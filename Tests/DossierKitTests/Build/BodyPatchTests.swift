@testable import DossierKit
import Foundation
import XCTest

/// A rebuild whose only changes are bodies patches the site in place (Build/BodyPatch.swift);
/// anything more takes the whole pipeline. `IncrementalBuildTests` compares hundreds of such
/// rebuilds with clean builds; these pin down what is patched, what is kept, and when not.
final class BodyPatchTests: XCTestCase {
    /// The EU, three people, and six actions with summaries, trusted by their metadata after
    /// 20 ms (as the property test does), so a rebuild reads only the files edited.
    private func briefing() throws -> TemporaryBriefing {
        var files: [String: String] = ["Content/actors/eu.md": CaseFile.actor("European Union", type: "government", extra: "summary: The EU.\n")]
        for index in 0..<3 { files["Content/actors/person-\(index).md"] = CaseFile.actor("Person \(index)", extra: "summary: A person.\n") }
        for index in 0..<6 {
            files["Content/actions/action-\(index).md"] = CaseFile.action("Action \(index)", date: "2021-03-2\(index)", extra: "targets: [person-\(index % 3)]\nsummary: Action \(index) in short.\n",
                                                                          body: "Body \(index), about [[person-\(index % 3)]].")
        }
        files["Content/pages/about.md"] = "---\ntitle: About\nsummary: What this is.\n---\nAbout this briefing.\n"
        return try TemporaryBriefing(files)
    }

    private func build(_ briefing: TemporaryBriefing, clean: Bool = false) -> BuildReport {
        var options = BuildOptions(root: briefing.root)
        options.trustedFileAge = 0.02
        options.clean = clean
        let report = Builder(options: options).run()
        // Old enough to be trusted by the next build.
        usleep(30_000)
        return report
    }

    /// The site's files with their inode numbers: a file kept is the same inode.
    private func inodes(_ folder: URL) -> [String: UInt64] {
        var inodes: [String: UInt64] = [:]
        for path in TemporaryBriefing.snapshot(of: folder).keys {
            var status = stat()
            if lstat(folder.appendingPathComponent(path).path, &status) == 0 { inodes[path] = UInt64(status.st_ino) }
        }
        return inodes
    }

    func testABodyEditIsSplicedIntoTheFilesThatShowItAndEveryOtherFileIsKept() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(build(briefing).lines, [])
        let before = TemporaryBriefing.snapshot(of: briefing.site)
        let inodesBefore = inodes(briefing.site)
        let work = briefing.site.deletingLastPathComponent().appendingPathComponent(".Site.dossier")
        let searchCache = try Data(contentsOf: work.appendingPathComponent("search.cache"))

        try briefing.write("Content/actions/action-4.md", CaseFile.action("Action 4", date: "2021-03-24", extra: "targets: [person-1]\nsummary: Action 4 in short.\n",
                                                                          body: "A *new* body for four, naming [[person-2]] & <the EU>."))
        let patched = build(briefing)
        XCTAssertEqual(patched.lines, [])
        XCTAssertEqual(patched.patchedFileCount, 1, patched.patchDeclined ?? "")
        XCTAssertEqual(patched.parsedFileCount, 1, "only the edited file is read and parsed")
        let after = TemporaryBriefing.snapshot(of: briefing.site)
        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted()
        XCTAssertEqual(changed.filter { !$0.hasPrefix("search/") },
                       ["actions/action-4/index.html", "actions/action-4/index.json", "changes/2021/index.html", "changes/feed.xml", "changes/index.html",
                        "changes/index.json", "feed.xml", "search-index.json"])
        let page = try briefing.read("actions/action-4/index.html")
        XCTAssertTrue(page.contains("A <em>new</em> body for four, naming <a href=\"/brief/actors/person-2/\">Person 2</a> &amp; <!-- raw HTML omitted -->."), page)
        let inodesAfter = inodes(briefing.site)
        XCTAssertEqual(Set(inodesAfter.keys).filter { !changed.contains($0) && inodesAfter[$0] != inodesBefore[$0] }, [], "every other file is the same file, linked")

        // Exactly what the whole pipeline makes of the same briefing, and so are more patches.
        try briefing.write("Content/pages/about.md", "---\ntitle: About\nsummary: What this is.\n---\nAbout this briefing, *again*.\n")
        XCTAssertEqual(build(briefing).patchedFileCount, 1)
        // The search cache is as the full build wrote it, with what the patches added beside it,
        // which a third patch (of the document the first one patched) needs.
        try briefing.write("Content/actions/action-4.md", CaseFile.action("Action 4", date: "2021-03-24", extra: "targets: [person-1]\nsummary: Action 4 in short.\n",
                                                                          body: "A third body for four."))
        XCTAssertEqual(build(briefing).patchedFileCount, 1)
        XCTAssertEqual(try Data(contentsOf: work.appendingPathComponent("search.cache")), searchCache)
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("search.overlay").path))
        let thricePatched = TemporaryBriefing.snapshot(of: briefing.site)
        XCTAssertEqual(build(briefing, clean: true).lines, [])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), thricePatched)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("search.overlay").path), "a full build writes the whole cache")
    }

    /// Without a summary, the start of the body stands in for one in an actor's feed and in
    /// search results: an edit past it is patched, one of it is not.
    func testABodyWithoutASummaryIsPatchedPastItsStart() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        let start = (0..<60).map { "word\($0)" }.joined(separator: " ")
        func write(_ body: String) throws {
            try briefing.write("Content/actions/action-5.md", CaseFile.action("Action 5", date: "2021-03-25", extra: "targets: [person-2]\n", body: body))
        }
        try write(start + "\n\nThe end.")
        XCTAssertEqual(build(briefing).lines, [])
        XCTAssertTrue(try briefing.read("actors/person-2/feed.xml").contains("<summary>word0 word1 word2"), "the start stands in")
        try write(start + "\n\nThe end, and *more*.")
        let patched = build(briefing)
        XCTAssertEqual(patched.patchedFileCount, 1, patched.patchDeclined ?? "")
        XCTAssertTrue(try briefing.read("actions/action-5/index.html").contains("The end, and <em>more</em>."))
        let snapshot = TemporaryBriefing.snapshot(of: briefing.site)
        XCTAssertEqual(build(briefing, clean: true).lines, [])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), snapshot, "what the whole pipeline makes")
        try write("Now " + start + "\n\nThe end, and *more*.")
        let declined = build(briefing)
        XCTAssertEqual(declined.patchedFileCount, 0)
        XCTAssertEqual(declined.patchDeclined, "the start of the body of Content/actions/action-5.md, which stands in for its summary, changed")
        XCTAssertTrue(try briefing.read("actors/person-2/feed.xml").contains("<summary>Now word0 word1"))
    }

    func testAnEditBeyondTheBodyTakesTheWholePipelineAndSaysWhy() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(build(briefing).lines, [])
        func rebuild(_ edit: () throws -> Void) rethrows -> BuildReport {
            try edit()
            return build(briefing)
        }

        var report = try rebuild { try briefing.write("Content/actions/action-1.md", CaseFile.action("Action 1 renamed", date: "2021-03-21", extra: "targets: [person-1]\nsummary: Action 1 in short.\n", body: "Body 1.")) }
        XCTAssertEqual(report.patchedFileCount, 0)
        XCTAssertEqual(report.patchDeclined, "the front matter of Content/actions/action-1.md changed")
        report = try rebuild { try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2", date: "2021-03-22", extra: "targets: [person-2]\n", body: "No summary.")) }
        XCTAssertEqual(report.patchDeclined, "the front matter of Content/actions/action-2.md changed")
        report = try rebuild { try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2", date: "2021-03-22", extra: "targets: [person-2]\n", body: "Still none.")) }
        XCTAssertEqual(report.patchDeclined, "the start of the body of Content/actions/action-2.md, which stands in for its summary, changed",
                       "the start of its body stands in for one in feeds and results")
        report = try rebuild { try briefing.write("Content/actions/action-3.md", CaseFile.action("Action 3", date: "2021-03-23", extra: "targets: [person-0]\nsummary: Action 3 in short.\n", body: "See [[nobody]].")) }
        XCTAssertEqual(report.patchDeclined, "the body of Content/actions/action-3.md has a problem")
        XCTAssertFalse(report.succeeded, "the whole pipeline reports it")
        report = try rebuild { try briefing.write("Content/actions/action-3.md", CaseFile.action("Action 3", date: "2021-03-23", extra: "targets: [person-0]\nsummary: Action 3 in short.\n", body: "Mended.")) }
        XCTAssertEqual(report.patchedFileCount, 1, "against the site in place, from before the failed build, only that body changed")
        report = try rebuild { try briefing.write("Content/actions/action-6.md", CaseFile.action("Action 6", date: "2021-03-26", extra: "summary: New.\n")) }
        XCTAssertEqual(report.patchDeclined, "more than case files changed", "a new case file")
        report = try rebuild { try briefing.write("Templates/page.mustache", String(decoding: Theme.builtIn.files["page.mustache"]!.bytes, as: UTF8.self) + "\n<p>Note</p>\n") }
        XCTAssertEqual(report.patchDeclined, "more than case files changed", "a template")
        XCTAssertTrue(report.succeeded)
        report = try rebuild { try briefing.write("Content/actions/action-5.md", CaseFile.action("Action 5", date: "2021-03-25", extra: "targets: [person-2]\nsummary: Action 5 in short.\n", body: "Patched at last.")) }
        XCTAssertEqual(report.patchedFileCount, 1, report.patchDeclined ?? "")
        XCTAssertTrue(try briefing.read("about/index.html").contains("<p>Note</p>"), "the template edited before is still applied")
    }

    /// A file with ranges replaced comes out in pieces of exactly the piece size but the last,
    /// whatever the replacements' places and sizes: the file's record hashes those pieces.
    func testSplicedBytesComeInPiecesOfOneSize() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: 0...bytes.count, using: &generator) }.sorted()
            if cuts.count % 2 == 1 { cuts.removeLast() }
            let replacements = stride(from: 0, to: cuts.count, by: 2).map { index in
                (range: cuts[index]..<cuts[index + 1], bytes: (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            var expected: [UInt8] = []
            var offset = 0
            for (range, replacement) in replacements {
                expected += bytes[offset..<range.lowerBound] + replacement
                offset = range.upperBound
            }
            expected += bytes[offset...]
            let pieceSize = Int.random(in: 1...64, using: &generator)
            var pieces: [[UInt8]] = []
            bytes.withUnsafeBytes { BodyPatch.emitSpliced($0, replacements, pieceSize: pieceSize) { pieces.append(Array($0)) } }
            XCTAssertEqual(Array(pieces.joined()), expected, "round \(round)")
            XCTAssertTrue(pieces.dropLast().allSatisfy { $0.count == pieceSize }, "round \(round)")
            XCTAssertTrue(pieces.last.map { !$0.isEmpty && $0.count <= pieceSize } ?? expected.isEmpty, "round \(round)")
        }
    }

    /// `search-index.json`'s lines are found by number, the last one with or without a newline.
    func testLinesAreFoundByNumber() {
        let text = Array("first\nsecond,\n\nlast".utf8)
        text.withUnsafeBytes { bytes in
            let lines = (0..<5).map { BodyPatch.line($0, of: bytes).map { String(decoding: text[$0], as: UTF8.self) } }
            XCTAssertEqual(lines, ["first", "second,", "", "last", nil])
            let fromEnd = (0..<5).map { BodyPatch.line(fromEnd: $0, of: bytes).map { String(decoding: text[$0], as: UTF8.self) } }
            XCTAssertEqual(fromEnd, ["last", "", "second,", "first", nil])
        }
        Array("only\n".utf8).withUnsafeBytes { bytes in
            XCTAssertEqual(BodyPatch.line(0, of: bytes), 0..<4)
            XCTAssertEqual(BodyPatch.line(1, of: bytes), 5..<5, "the empty line after the last newline")
            XCTAssertNil(BodyPatch.line(2, of: bytes))
            XCTAssertEqual(BodyPatch.line(fromEnd: 0, of: bytes), 5..<5)
            XCTAssertEqual(BodyPatch.line(fromEnd: 1, of: bytes), 0..<4)
            XCTAssertNil(BodyPatch.line(fromEnd: 2, of: bytes))
        }
        // Each line of a file of many, from either end.
        let many = Array((0..<50).map { "line \($0)" }.joined(separator: "\n").utf8)
        many.withUnsafeBytes { bytes in
            for number in 0..<50 {
                XCTAssertEqual(BodyPatch.line(number, of: bytes), BodyPatch.line(fromEnd: 49 - number, of: bytes))
            }
        }
    }

    /// The back folder a patch stages into is the site from two builds ago: what the last build
    /// changed there is linked again, and what it removed is removed, walking both records' lines.
    func testAPatchAfterARemovalRemovesWhatTheBackFolderStillHas() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(build(briefing).lines, [])
        try FileManager.default.removeItem(at: briefing.root.appendingPathComponent("Content/actions/action-5.md"))
        try briefing.write("Content/actions/action-0.md", CaseFile.action("Action 0 retitled", date: "2021-03-20", extra: "targets: [person-0]\nsummary: Action 0 in short.\n",
                                                                          body: "Body 0, about [[person-0]]."))
        XCTAssertEqual(build(briefing).patchedFileCount, 0, "a removal takes the whole pipeline")
        try briefing.write("Content/actions/action-4.md", CaseFile.action("Action 4", date: "2021-03-24", extra: "targets: [person-1]\nsummary: Action 4 in short.\n",
                                                                          body: "A new body for four."))
        let patched = build(briefing)
        XCTAssertEqual(patched.patchedFileCount, 1, patched.patchDeclined ?? "")
        let site = TemporaryBriefing.snapshot(of: briefing.site)
        XCTAssertNil(site["actions/action-5/index.html"])
        XCTAssertTrue(site["actions/action-0/index.html"].map { String(decoding: $0, as: UTF8.self).contains("Action 0 retitled") } ?? false)
        XCTAssertEqual(build(briefing, clean: true).lines, [])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), site)
    }
}
