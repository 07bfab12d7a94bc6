@testable import DossierKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Inputs too large or too odd to commit as fixtures, made at run time: each gives a clear
/// message or builds, in bounded time and memory, and never leaves a half-written site.
final class HostileInputTests: XCTestCase {
    private func briefing(_ files: [String: String] = [:]) throws -> TemporaryBriefing {
        try TemporaryBriefing(["Content/actors/eu.md": CaseFile.actor("European Union", type: "organization")].merging(files) { _, new in new })
    }

    func testAFileOverTheSizeLimitIsRefusedWithoutReadingIt() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        try briefing.write("Content/actors/huge.md", Data(count: BriefingLoader.textFileLimit + 1))
        XCTAssertEqual(briefing.build().lines, ["Content/actors/huge.md:1:1: error: the file is 10 MB; a case file may be at most 10 MB"])
    }

    func testAMillionCharacterLineAndDeepMarkdownBuild() throws {
        let long = String(repeating: "word ", count: 200_000)
        let quotes = String(repeating: ">", count: 100_000) + " deep\n"
        let lists = (0..<2_000).map { String(repeating: "  ", count: $0) + "- item\n" }.joined()
        let brackets = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        let briefing = try briefing([
            "Content/actions/long.md": CaseFile.action("Long", by: "eu", extra: "summary: \"\(long)\"\n", body: long),
            "Content/actions/quotes.md": CaseFile.action("Quotes", by: "eu", body: quotes),
            "Content/actions/lists.md": CaseFile.action("Lists", by: "eu", body: lists),
            "Content/actions/brackets.md": CaseFile.action("Brackets", by: "eu", body: brackets),
        ])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertTrue(try briefing.read("actions/quotes/index.html").contains("deep"))
    }

    func testSymbolicLinksOutOfTheRootOrLoopingAreRefused() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        let fileManager = FileManager.default
        try fileManager.createSymbolicLink(atPath: briefing.root.appendingPathComponent("Content/actors/passwd.md").path, withDestinationPath: "/etc/passwd")
        try fileManager.createSymbolicLink(atPath: briefing.root.appendingPathComponent("Content/actors/loop.md").path, withDestinationPath: "loop.md")
        try fileManager.createDirectory(at: briefing.root.appendingPathComponent("Templates"), withIntermediateDirectories: true)
        try fileManager.createSymbolicLink(atPath: briefing.root.appendingPathComponent("Templates/assets").path, withDestinationPath: "/etc")
        XCTAssertEqual(briefing.build().lines, [
            "Content/actors/loop.md:1:1: error: refused: a symbolic link that loops",
            "Content/actors/passwd.md:1:1: error: refused: a symbolic link that points outside the briefing's root",
            "Templates/assets:1:1: error: refused: a symbolic link that points outside the briefing's root",
        ])
        XCTAssertFalse(fileManager.fileExists(atPath: briefing.site.path))
    }

    func testOutputsThatWouldDestroyTheBriefingAreRefused() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        let before = TemporaryBriefing.snapshot(of: briefing.root)
        for output in [briefing.root.appendingPathComponent("Content"), briefing.root, URL(fileURLWithPath: "/"), briefing.root.deletingLastPathComponent()] {
            let report = briefing.build(output: output)
            XCTAssertTrue(report.diagnostics.hasErrors, output.path)
            XCTAssertTrue(report.lines.first?.contains("refusing to write the site") ?? false, "\(report.lines)")
        }
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.root), before, "nothing in the briefing changed")
    }

    func testAnOutputThatCannotBeWrittenKeepsTheOldSite() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        // A file where the output's parent folder should be: every write below it fails.
        try briefing.write("blocked", "not a folder")
        let report = briefing.build(output: briefing.root.appendingPathComponent("blocked/Site"))
        XCTAssertEqual(report.diagnostics.errorCount, 1)
        XCTAssertTrue(report.lines.first?.hasPrefix("blocked/Site:1:1: error: cannot write the site:") ?? false, "\(report.lines)")
        XCTAssertEqual(try String(contentsOf: briefing.root.appendingPathComponent("blocked"), encoding: .utf8), "not a folder")
    }

    /// Every front matter value and body carries markup, script URLs, Mustache delimiters, CDATA
    /// and comment terminators and a spreadsheet formula: none may come out as live markup.
    func testInjectionInEveryFieldStaysText() throws {
        let payload = #"<script>alert(1)</script>\"><img src=x onerror=alert(2)> {{site.title}} {{{x}}} ]]> --> =cmd|' /C calc'!A0"#
        let quoted = "\"\(payload)\""
        let briefing = try TemporaryBriefing([
            "Content/site.yml": "title: \(quoted)\nbase_url: https://example.org/b/\ndescription: \(quoted)\nauthor: \(quoted)\nextra: {x: \(quoted)}\n",
            "Content/actors/eu.md": "---\nname: \(quoted)\ntype: organization\naliases: [\(quoted)]\ncountry: \(quoted)\nroles: [\(quoted)]\nsummary: \(quoted)\ntags: [\(quoted)]\nextra: {x: \(quoted)}\n---\n\(payload) [x](javascript:alert(3)) ![y](data:text/html,z) <a href=\"javascript:alert(4)\">a</a>\n",
            "Content/actions/a.md": "---\ntitle: \(quoted)\ndate: 2021-03-22\ntype: sanction\nby: eu\nmeasures: [\(quoted)]\nlegal_basis: [\(quoted)]\nsummary: \(quoted)\ntags: [\(quoted)]\nsources:\n  - title: \(quoted)\n    publisher: \(quoted)\n    url: \"https://example.org/?q=\\\"><script>\"\n---\n[[eu|\(payload.replacingOccurrences(of: "]]", with: ""))]] \(payload)\n",
            "Content/pages/p.md": "---\ntitle: \(quoted)\nsummary: \(quoted)\n---\n\(payload)\n",
        ], siteYAML: nil)
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        // Mustache tags from content are text, never rendered a second time.
        XCTAssertTrue(try briefing.read("actors/eu/index.html").contains("{{site.title}} {{{x}}}"))
        for (path, data) in TemporaryBriefing.snapshot(of: briefing.site) where !path.hasPrefix("assets/") {
            let text = String(decoding: data, as: UTF8.self)
            // CSV is data, not markup: it must parse back with no formula cell (ExportsTests).
            if path.hasSuffix(".csv") {
                for cell in ExportsTests.parseCSV(text).joined() { XCTAssertFalse(["=", "+", "-", "@"].contains(cell.first ?? " "), "\(path): \(cell)") }
                continue
            }
            XCTAssertFalse(text.contains("<script>alert"), path)
            XCTAssertFalse(text.contains("<img src=x"), path)
            XCTAssertFalse(text.lowercased().contains("href=\"javascript:"), path)
            XCTAssertFalse(text.lowercased().contains("src=\"data:text"), path)
            if path.hasSuffix(".ftm.json") {
                // JSON Lines: one object a line.
                for line in text.split(separator: "\n") { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), path) }
            } else if path.hasSuffix(".json") {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), path)
            }
            if path.hasSuffix(".xml") {
                let parser = XMLParser(data: data)
                XCTAssertTrue(parser.parse(), "\(path): \(String(describing: parser.parserError))")
            }
        }
    }
}
