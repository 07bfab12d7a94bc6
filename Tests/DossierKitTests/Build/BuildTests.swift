@testable import DossierKit
import Foundation
import XCTest

final class BuildTests: XCTestCase {
    private func briefing(_ files: [String: String] = [:]) throws -> TemporaryBriefing {
        try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization"),
            "Content/actors/zhu-hailun.md": CaseFile.actor("Zhu Hailun", extra: "aliases: [朱海仑]\n", body: "Named by [[eu-sanctions]]."),
            "Content/actions/eu-sanctions.md": CaseFile.action("EU sanctions", extra: "targets: [zhu-hailun]\n", body: "## Who\n\nThe [[eu]] listed [[zhu-hailun|Zhu]]."),
            "Content/pages/about.md": "---\ntitle: About\n---\nAbout `[[eu]]`.\n",
            "Content/assets/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ].merging(files) { _, new in new })
    }

    /// The parse hands the models on in the order of their files, whichever files give none
    /// (they are moved into place from the end).
    func testParsedModelsKeepTheFilesOrderAroundUnreadableOnes() throws {
        var files: [String: String] = ["Content/actors/eu.md": CaseFile.actor("European Union", type: "government")]
        for number in 0..<9 {
            files["Content/actions/action-\(number).md"] = number % 3 == 1 ? "---\ntitle: [unclosed\n---\nBroken.\n" : CaseFile.action("Action \(number)")
        }
        let briefing = try TemporaryBriefing(files)
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, diagnostics) = Builder.parse(sources, baseURL: nil)
        let models = try XCTUnwrap(parsed)
        XCTAssertEqual(models.actions.map(\.slug), ["action-0", "action-2", "action-3", "action-5", "action-6", "action-8"])
        XCTAssertEqual(models.unreadableSlugs, ["action-1", "action-4", "action-7"])
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.count, 3)
        XCTAssertEqual(models.actors.map(\.slug), ["eu"])
    }

    func testBuildsEveryPathOfTheContract() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        let report = briefing.build()
        XCTAssertEqual(report.lines, [])
        let files = Set(TemporaryBriefing.snapshot(of: briefing.site).keys)
        for path in ["index.html", "actors/index.html", "actors/eu/index.html", "actors/zhu-hailun/index.html", "actions/index.html",
                     "actions/eu-sanctions/index.html", "about/index.html", "search/index.html", "search-index.json", "feed.xml",
                     "sitemap.xml", "404.html", "assets/logo.svg", "assets/style.css", "assets/search.js"] {
            XCTAssertTrue(files.contains(path), "missing \(path)")
        }
        let action = try briefing.read("actions/eu-sanctions/index.html")
        XCTAssertTrue(action.contains("<a href=\"/brief/actors/eu/\">European Union</a>"), "wiki link with base path")
        XCTAssertTrue(action.contains("<h2 id=\"who\">Who</h2>"))
        XCTAssertTrue(try briefing.read("about/index.html").contains("<code>[[eu]]</code>"))
    }

    func testSearchIndexHasTheContractFields() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: briefing.site.appendingPathComponent("search-index.json"))) as? [String: Any]
        XCTAssertEqual(json?["version"] as? Int, 1)
        let documents = try XCTUnwrap(json?["documents"] as? [[String: Any]])
        XCTAssertEqual(documents.map { $0["id"] as? String }, ["eu", "zhu-hailun", "eu-sanctions", "about"])
        let action = try XCTUnwrap(documents.first { $0["id"] as? String == "eu-sanctions" })
        XCTAssertEqual(action["kind"] as? String, "action")
        XCTAssertEqual(action["url"] as? String, "/brief/actions/eu-sanctions/")
        XCTAssertEqual(action["date"] as? String, "2021-03-22")
        XCTAssertEqual(action["type"] as? String, "sanction")
        XCTAssertEqual(action["actors"] as? [String], ["eu", "zhu-hailun"])
        XCTAssertEqual(action["text"] as? String, "Who The European Union listed Zhu.")
        let actor = try XCTUnwrap(documents.first { $0["id"] as? String == "zhu-hailun" })
        XCTAssertEqual(actor["aliases"] as? [String], ["朱海仑"])
        XCTAssertEqual(actor["type"] as? String, "person")
        XCTAssertTrue(actor["summary"] is NSNull)
    }

    func testAFailedBuildLeavesTheSiteExactlyAsItWas() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let before = TemporaryBriefing.snapshot(of: briefing.site)
        try briefing.write("Content/actions/eu-sanctions.md", CaseFile.action("EU sanctions", extra: "targets: [zhu-hailun, nobody]\n"))
        try briefing.write("Content/actors/new.md", CaseFile.actor("New"))
        let report = briefing.build()
        XCTAssertEqual(report.lines, ["Content/actions/eu-sanctions.md:6:23: error: unknown actor 'nobody' in 'targets'"])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), before)
        // The back folder and records stay beside the site (Write/SiteWriter.swift).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: briefing.root.path).sorted(), [".Site.dossier", "Content", "Site"])
    }

    func testCheckWritesNothing() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        let report = briefing.build(writes: false)
        XCTAssertTrue(report.succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: briefing.site.path))
    }

    func testDraftsAreLeftOutUnlessAskedFor() throws {
        let briefing = try briefing(["Content/actors/secret.md": CaseFile.actor("Secret", extra: "draft: true\n"),
                                     "Content/actions/eu-sanctions.md": CaseFile.action("EU sanctions", extra: "targets: [secret]\n", body: "On [[secret]].")])
        defer { briefing.cleanUp() }
        let report = briefing.build()
        XCTAssertEqual(report.lines, ["Content/actions/eu-sanctions.md:6:11: warning: 'secret' in 'targets' is a draft: it is left out of the site and shown as plain text"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: briefing.site.appendingPathComponent("actors/secret").path))
        let page = try briefing.read("actions/eu-sanctions/index.html")
        XCTAssertTrue(page.contains("On Secret."))
        XCTAssertFalse(page.contains("/actors/secret/"))
        XCTAssertFalse(try briefing.read("search-index.json").contains("secret"))
        XCTAssertEqual(briefing.build(drafts: true).lines, [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: briefing.site.appendingPathComponent("actors/secret/index.html").path))
    }

    func testATemplateOfTheBriefingOverridesTheBuiltInOne() throws {
        let briefing = try briefing(["Templates/page.mustache": "<article class=\"mine\">{{page.title}}</article>", "Templates/assets/style.css": "body{}"])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertTrue(try briefing.read("about/index.html").contains("<article class=\"mine\">About</article>"))
        XCTAssertEqual(try briefing.read("assets/style.css"), "body{}")
        XCTAssertTrue(try briefing.read("actors/eu/index.html").contains("European Union"), "the other templates stay built in")
    }

    func testBaseURLOverrideAndDomainRoot() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        var options = BuildOptions(root: briefing.root)
        options.baseURL = "https://preview.example.org"
        XCTAssertEqual(Builder(options: options).run().lines, [])
        let page = try briefing.read("actions/eu-sanctions/index.html")
        XCTAssertTrue(page.contains("href=\"/actors/eu/\""))
        XCTAssertFalse(page.contains("/brief/"))
        XCTAssertTrue(try briefing.read("sitemap.xml").contains("<loc>https://preview.example.org/actors/eu/</loc>"))
    }

    /// A rebuild writes only the files whose bytes changed: the others keep their inode and
    /// modification time (for rsync and CDN uploads), and files whose source is gone go too.
    func testARebuildKeepsUnchangedFilesAndDropsRemovedOnes() throws {
        let briefing = try briefing(["Content/actors/extra.md": CaseFile.actor("Extra Person")])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        func identity(_ path: String) throws -> [FileAttributeKey: Any] {
            try FileManager.default.attributesOfItem(atPath: briefing.site.appendingPathComponent(path).path)
        }
        let about = try identity("about/index.html")[.systemFileNumber] as? Int
        let actor = try identity("actors/zhu-hailun/index.html")[.systemFileNumber] as? Int
        try briefing.write("Content/actors/zhu-hailun.md", CaseFile.actor("Zhu Hailun", extra: "aliases: [朱海仑]\n", body: "A changed body."))
        try briefing.remove("Content/actors/extra.md")
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertEqual(try identity("about/index.html")[.systemFileNumber] as? Int, about, "an unchanged page is the same file")
        XCTAssertNotEqual(try identity("actors/zhu-hailun/index.html")[.systemFileNumber] as? Int, actor, "a changed page is written anew")
        XCTAssertTrue(try briefing.read("actors/zhu-hailun/index.html").contains("A changed body."))
        XCTAssertFalse(FileManager.default.fileExists(atPath: briefing.site.appendingPathComponent("actors/extra").path))

        var options = BuildOptions(root: briefing.root)
        options.clean = true
        XCTAssertEqual(Builder(options: options).run().lines, [])
        XCTAssertNotEqual(try identity("about/index.html")[.systemFileNumber] as? Int, about, "--clean writes every file anew")
    }

    func testSameInputGivesByteIdenticalOutput() throws {
        let briefing = try briefing()
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        let first = TemporaryBriefing.snapshot(of: briefing.site)
        XCTAssertEqual(briefing.build().lines, [])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), first)
    }

    func testEveryContentValueIsEscaped() throws {
        let payload = "<script>alert(1)</script>\\\"><img src=x onerror=alert(1)>"
        let briefing = try briefing(["Content/actors/eu.md": "---\nname: \"\(payload)\"\ntype: organization\nsummary: \"\(payload)\"\naliases: [\"\(payload)\"]\n---\nBody <script>alert(2)</script>\n"])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        // CSV is data, not markup: its cells are quoted for CSV (ExportsTests), not HTML-escaped.
        for (path, data) in TemporaryBriefing.snapshot(of: briefing.site) where !path.hasPrefix("assets/") && !path.hasSuffix(".csv") {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains("<script>alert"), path)
            XCTAssertFalse(text.contains("<img src=x"), path)
        }
    }
}
