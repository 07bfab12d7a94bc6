@testable import DossierKit
import Foundation
import XCTest

/// Incremental rebuilds against clean builds: a generated briefing goes through a few hundred
/// random edits (bodies, titles, names, dates, references, statuses, tags; files added, renamed
/// and deleted; a template and site.yml edited; now and then a broken reference and its fix);
/// after each, the same briefing is built incrementally into `Site/` and with `--clean` into
/// `Clean/`, and the two must be byte for byte the same, messages included. Both keep their
/// own history, built after the same edits, so even the change log must agree.
final class IncrementalBuildTests: XCTestCase {
    struct ActorSpec {
        var slug: String, name: String, type: String, country: String?, tags: [String], body: String
        /// More front matter, by key, as written (`summary`, `aliases`, `updated`, `draft`...).
        var fields: [String: String] = [:]
    }

    struct ActionSpec {
        var slug: String, title: String, date: String, type: String, by: [String], targets: [String]
        var respondsTo: [String], status: String?, tags: [String], body: String
        var involves: [String] = [], related: [String] = []
        /// More front matter, by key, as written (`measures`, `ends`, `summary`, `draft`...).
        var fields: [String: String] = [:]
    }

    /// The briefing as values; `files` writes it as an author would.
    struct BriefingSpec {
        var actors: [ActorSpec] = []
        var actions: [ActionSpec] = []
        var pages: [(slug: String, title: String, body: String)] = []
        var siteDescription = "A briefing."
        var templateNote: String?
        var broken = false

        func files() -> [String: String] {
            var files: [String: String] = [:]
            files["Content/site.yml"] = "title: Property briefing\nbase_url: https://example.org/brief/\ndescription: \(siteDescription)\n"
            for actor in actors {
                var extra = actor.country.map { "country: \($0)\n" } ?? ""
                if !actor.tags.isEmpty { extra += "tags: [\(actor.tags.joined(separator: ", "))]\n" }
                for (key, value) in actor.fields.sorted(by: { $0.key < $1.key }) { extra += "\(key): \(value)\n" }
                files["Content/actors/\(actor.slug).md"] = CaseFile.actor(actor.name, type: actor.type, extra: extra, body: actor.body)
            }
            for action in actions {
                var extra = ""
                if !action.targets.isEmpty { extra += "targets: [\(action.targets.joined(separator: ", "))]\n" }
                if !action.respondsTo.isEmpty { extra += "responds_to: [\(action.respondsTo.joined(separator: ", "))]\n" }
                if let status = action.status { extra += "status: \(status)\n" }
                if !action.tags.isEmpty { extra += "tags: [\(action.tags.joined(separator: ", "))]\n" }
                if !action.related.isEmpty { extra += "related: [\(action.related.joined(separator: ", "))]\n" }
                for (key, value) in action.fields.sorted(by: { $0.key < $1.key }) { extra += "\(key): \(value)\n" }
                let involves = action.involves + (broken && action.slug == actions.first?.slug ? ["nobody-at-all"] : [])
                if !involves.isEmpty { extra += "involves: [\(involves.joined(separator: ", "))]\n" }
                files["Content/actions/\(action.slug).md"] = CaseFile.action(action.title, date: action.date, type: action.type,
                                                                              by: "[\(action.by.joined(separator: ", "))]", extra: extra, body: action.body)
            }
            for page in pages {
                files["Content/pages/\(page.slug).md"] = "---\ntitle: \(page.title)\nsummary: A page of the briefing.\n---\n\(page.body)\n"
            }
            if let templateNote {
                let builtIn = String(decoding: Theme.builtIn.files["action.mustache"]!.bytes, as: UTF8.self)
                files["Templates/action.mustache"] = builtIn + "\n<p class=\"note\">\(templateNote)</p>\n"
            }
            return files
        }
    }

    static let words = ["sanction", "freeze", "ministry", "tribunal", "council", "statement", "region", "envoy", "court", "embargo"]
    static let types = ["sanction", "counter-sanction", "statement", "legal-proceeding", "diplomatic", "other"]
    static let statuses = [nil, "announced", "in-force", "suspended", "lifted", "expired"]

    func testAHundredsOfRandomEditsBuildIncrementallyExactlyAsCleanBuildsDo() throws {
        let edits = Int(ProcessInfo.processInfo.environment["DOSSIER_PROPERTY_EDITS"] ?? "") ?? 250
        var random = SeededGenerator(state: UInt64(ProcessInfo.processInfo.environment["DOSSIER_PROPERTY_SEED"] ?? "") ?? 2021)
        var spec = BriefingSpec()
        var counter = 0
        func newSlug(_ prefix: String) -> String { counter += 1; return "\(prefix)-\(counter)" }
        func words(_ count: Int) -> String { (0..<count).map { _ in Self.words.randomElement(using: &random)! }.joined(separator: " ") }
        func date() -> String { String(format: "20%02d-%02d-%02d", Int.random(in: 18...24, using: &random), Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random)) }
        // Most case files have a summary, as in real briefings: an edit of their body alone is
        // patched into the site in place (Build/BodyPatch.swift), which these steps must cover.
        func newActor() -> ActorSpec {
            var actor = ActorSpec(slug: newSlug("actor"), name: words(2).capitalized, type: ["person", "organization", "government", "other"].randomElement(using: &random)!,
                                  country: Bool.random(using: &random) ? ["China", "France", "Canada"].randomElement(using: &random)! : nil, tags: [], body: words(12) + ".")
            if Int.random(in: 0..<4, using: &random) > 0 { actor.fields["summary"] = words(4).capitalized + "." }
            return actor
        }
        func newAction() -> ActionSpec {
            let by = spec.actors.randomElement(using: &random)!.slug
            let target = spec.actors.randomElement(using: &random)!.slug
            var action = ActionSpec(slug: newSlug("action"), title: words(3).capitalized, date: date(), type: Self.types.randomElement(using: &random)!,
                                    by: [by], targets: target == by ? [] : [target], respondsTo: [], status: Self.statuses.randomElement(using: &random)!,
                                    tags: [], body: words(20) + ".")
            if Int.random(in: 0..<4, using: &random) > 0 { action.fields["summary"] = words(4).capitalized + "." }
            return action
        }
        for _ in 0..<8 { spec.actors.append(newActor()) }
        for _ in 0..<16 { spec.actions.append(newAction()) }

        func replaceSlug(_ old: String, with new: String?) {
            for index in spec.actions.indices {
                spec.actions[index].by = spec.actions[index].by.compactMap { $0 == old ? new : $0 }
                if spec.actions[index].by.isEmpty { spec.actions[index].by = [spec.actors[0].slug] }
                spec.actions[index].targets = spec.actions[index].targets.compactMap { $0 == old ? new : $0 }
                spec.actions[index].respondsTo = spec.actions[index].respondsTo.compactMap { $0 == old ? new : $0 }
                spec.actions[index].involves = spec.actions[index].involves.compactMap { $0 == old ? new : $0 }
                spec.actions[index].related = spec.actions[index].related.compactMap { $0 == old ? new : $0 }
                spec.actions[index].body = spec.actions[index].body.replacingOccurrences(of: "[[\(old)]]", with: new.map { "[[\($0)]]" } ?? "someone")
            }
            for index in spec.actors.indices {
                spec.actors[index].body = spec.actors[index].body.replacingOccurrences(of: "[[\(old)]]", with: new.map { "[[\($0)]]" } ?? "someone")
            }
            for index in spec.pages.indices {
                spec.pages[index].body = spec.pages[index].body.replacingOccurrences(of: "[[\(old)]]", with: new.map { "[[\($0)]]" } ?? "someone")
            }
        }

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-incremental-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var written: [String: String] = [:]
        func writeSpec() throws {
            let files = spec.files()
            for (path, text) in files where written[path] != text {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            for path in written.keys where files[path] == nil {
                try FileManager.default.removeItem(at: root.appendingPathComponent(path))
            }
            written = files
        }
        let site = root.appendingPathComponent("Site")
        let clean = root.appendingPathComponent("Clean")
        func build(cleanBuild: Bool) -> BuildReport {
            var options = BuildOptions(root: root, output: cleanBuild ? clean : site)
            options.clean = cleanBuild
            // Case files unchanged for 20 ms are trusted by their metadata and left unread, so
            // that path is taken here too: a clock tick is a few milliseconds.
            options.trustedFileAge = 0.02
            return Builder(options: options).run()
        }

        var log: [String] = []
        var failures = 0
        var unreadFiles = 0
        var patched = 0
        for step in 0...edits {
            if step > 0 {
                let choice = Int.random(in: 0..<100, using: &random)
                switch choice {
                case 0..<18:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    let link = Bool.random(using: &random) ? " See [[\(spec.actors.randomElement(using: &random)!.slug)]]." : ""
                    spec.actions[index].body = words(Int.random(in: 5...30, using: &random)) + "." + link
                    log.append("body of \(spec.actions[index].slug)")
                case 18..<24:
                    let index = Int.random(in: spec.actors.indices, using: &random)
                    spec.actors[index].body = words(10) + (Bool.random(using: &random) ? " With [[\(spec.actions.randomElement(using: &random)!.slug)]]." : ".")
                    log.append("body of \(spec.actors[index].slug)")
                case 24..<32:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    spec.actions[index].title = words(3).capitalized
                    log.append("title of \(spec.actions[index].slug)")
                case 32..<38:
                    let index = Int.random(in: spec.actors.indices, using: &random)
                    spec.actors[index].name = words(2).capitalized
                    log.append("name of \(spec.actors[index].slug)")
                case 38..<44:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    spec.actions[index].date = date()
                    log.append("date of \(spec.actions[index].slug)")
                case 44..<52:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    let actor = spec.actors.randomElement(using: &random)!.slug
                    if spec.actions[index].targets.contains(actor) { spec.actions[index].targets.removeAll { $0 == actor } } else { spec.actions[index].targets.append(actor) }
                    if Bool.random(using: &random), let other = spec.actions.randomElement(using: &random), other.slug != spec.actions[index].slug {
                        spec.actions[index].respondsTo = [other.slug]
                    }
                    log.append("references of \(spec.actions[index].slug)")
                case 52..<57:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    spec.actions[index].status = Self.statuses.randomElement(using: &random)!
                    log.append("status of \(spec.actions[index].slug)")
                case 57..<62:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    spec.actions[index].tags = Array(Set((0..<Int.random(in: 0...2, using: &random)).map { _ in Self.words.randomElement(using: &random)! })).sorted()
                    log.append("tags of \(spec.actions[index].slug)")
                case 62..<68:
                    spec.actions.append(newAction())
                    log.append("new action \(spec.actions.last!.slug)")
                case 68..<71:
                    spec.actors.append(newActor())
                    log.append("new actor \(spec.actors.last!.slug)")
                case 71..<75 where spec.actions.count > 4:
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    let old = spec.actions[index].slug
                    spec.actions[index].slug = newSlug("renamed")
                    replaceSlug(old, with: spec.actions[index].slug)
                    log.append("renamed \(old) to \(spec.actions[index].slug)")
                case 75..<79 where spec.actions.count > 4:
                    let removed = spec.actions.remove(at: Int.random(in: spec.actions.indices, using: &random))
                    replaceSlug(removed.slug, with: nil)
                    log.append("deleted \(removed.slug)")
                case 79..<81 where spec.actors.count > 3:
                    let index = Int.random(in: 1..<spec.actors.count, using: &random)
                    let removed = spec.actors.remove(at: index)
                    replaceSlug(removed.slug, with: nil)
                    log.append("deleted \(removed.slug)")
                case 81..<85:
                    spec.templateNote = Bool.random(using: &random) ? words(2) : nil
                    log.append("template note \(spec.templateNote ?? "removed")")
                case 85..<89:
                    spec.siteDescription = words(6).capitalized + "."
                    log.append("site description")
                case 89..<93:
                    spec.broken.toggle()
                    log.append(spec.broken ? "broken reference" : "fixed reference")
                case 93..<96:
                    // A front matter key the edits above leave alone, set or removed.
                    let index = Int.random(in: spec.actions.indices, using: &random)
                    let key = ["measures", "legal_basis", "ends", "updated", "summary", "draft", "involves", "related"].randomElement(using: &random)!
                    let other = spec.actions.randomElement(using: &random)!.slug
                    switch key {
                    case "involves": spec.actions[index].involves = Bool.random(using: &random) ? [spec.actors.randomElement(using: &random)!.slug] : []
                    case "related": spec.actions[index].related = other == spec.actions[index].slug ? [] : [other]
                    case "measures", "legal_basis": spec.actions[index].fields[key] = Bool.random(using: &random) ? "[\(words(2))]" : nil
                    case "draft": spec.actions[index].fields[key] = spec.actions[index].fields[key] == nil ? "true" : nil
                    case "summary": spec.actions[index].fields[key] = words(4).capitalized + "."
                    default: spec.actions[index].fields[key] = Bool.random(using: &random) ? date() : nil
                    }
                    log.append("\(key) of \(spec.actions[index].slug)")
                case 96..<98:
                    let index = Int.random(in: 1..<spec.actors.count, using: &random)
                    let key = ["summary", "aliases", "updated", "draft", "tags", "country", "type"].randomElement(using: &random)!
                    switch key {
                    case "tags": spec.actors[index].tags = Bool.random(using: &random) ? [Self.words.randomElement(using: &random)!] : []
                    case "country": spec.actors[index].country = ["China", "France", "Canada", nil].randomElement(using: &random)!
                    case "type": spec.actors[index].type = ["person", "organization", "government", "other"].randomElement(using: &random)!
                    case "aliases": spec.actors[index].fields[key] = Bool.random(using: &random) ? "[\(words(2).capitalized)]" : nil
                    case "draft": spec.actors[index].fields[key] = spec.actors[index].fields[key] == nil ? "true" : nil
                    case "updated": spec.actors[index].fields[key] = Bool.random(using: &random) ? date() : nil
                    default: spec.actors[index].fields[key] = words(4).capitalized + "."
                    }
                    log.append("\(key) of \(spec.actors[index].slug)")
                case 98 where !spec.pages.isEmpty && Bool.random(using: &random):
                    spec.pages[0].body = words(8) + " [[\(spec.actions.randomElement(using: &random)!.slug)]]."
                    log.append("page body")
                case 98:
                    if spec.pages.isEmpty || Bool.random(using: &random) {
                        spec.pages.append((newSlug("page"), words(2).capitalized, words(8) + " [[\(spec.actions.randomElement(using: &random)!.slug)]]."))
                        log.append("new page")
                    } else {
                        spec.pages[0].title = words(2).capitalized
                        log.append("page title")
                    }
                default:
                    log.append("nothing")
                }
            }
            try writeSpec()
            let incremental = build(cleanBuild: false)
            let full = build(cleanBuild: true)
            let context = "step \(step) after: \(log.suffix(3).joined(separator: "; "))"
            XCTAssertEqual(incremental.lines, full.lines, context)
            XCTAssertEqual(incremental.succeeded, !spec.broken, context + "\n" + incremental.lines.joined(separator: "\n"))
            if !incremental.succeeded { failures += 1 }
            unreadFiles += incremental.unreadFileCount
            if incremental.patchedFileCount > 0 { patched += 1 }
            let incrementalFiles = TemporaryBriefing.snapshot(of: site)
            let cleanFiles = TemporaryBriefing.snapshot(of: clean)
            if incrementalFiles != cleanFiles {
                let differing = Set(incrementalFiles.keys).union(cleanFiles.keys).filter { incrementalFiles[$0] != cleanFiles[$0] }.sorted()
                XCTFail("\(context): the incremental site differs from the clean one in \(differing.prefix(8))")
                break
            }
        }
        XCTAssertGreaterThan(failures, 0, "some steps must have failed builds, so that failures are covered too")
        XCTAssertGreaterThan(unreadFiles, edits * 10, "most case files must be left unread, so that path is covered too")
        // A quarter of the steps edit a body, but while a reference is broken (a third of them)
        // no build succeeds, and the site in place is the last that did.
        XCTAssertGreaterThan(patched, edits / 20, "body edits must be patched into the site in place, so that path is covered too")
        XCTAssertGreaterThan(spec.actions.count, 8)
    }

    /// The EU, six people, and ten actions by the EU, each targeting `person-<target(i)>`.
    static func tenActions(target: (Int) -> Int, body: (Int) -> String) throws -> TemporaryBriefing {
        var files: [String: String] = ["Content/actors/eu.md": CaseFile.actor("European Union", type: "government")]
        for index in 0..<6 { files["Content/actors/person-\(index).md"] = CaseFile.actor("Person \(index)") }
        for index in 0..<10 {
            files["Content/actions/action-\(index).md"] = CaseFile.action("Action \(index)", extra: "targets: [person-\(target(index))]\n", body: body(index))
        }
        return try TemporaryBriefing(files)
    }

    func testEditingOneBodyRendersThatPageAgainAndKeepsEveryOther() throws {
        let briefing = try Self.tenActions(target: { $0 % 6 }, body: { "Body \($0)." })
        defer { briefing.cleanUp() }
        let first = briefing.build()
        XCTAssertEqual(first.lines, [])
        XCTAssertEqual(first.renderedPageCount, first.pageCount, "a first build renders every page")
        let before = TemporaryBriefing.snapshot(of: briefing.site)
        let cacheFolder = SiteWriter(output: briefing.site).workFolder.appendingPathComponent("bodies")
        let cacheBefore = TemporaryBriefing.snapshot(of: cacheFolder)
        XCTAssertGreaterThan(cacheBefore.count, 4, "the Markdown cache is spread over files by path")

        try briefing.write("Content/actions/action-3.md", CaseFile.action("Action 3", extra: "targets: [person-3]\n", body: "A new body for three."))
        let second = briefing.build()
        XCTAssertEqual(second.lines, [])
        XCTAssertEqual(second.renderedPageCount, 3, "only the action's own page shows its body, and the change log lists the edit (on /changes/ and its year's page)")
        XCTAssertEqual(second.renderedBodyCount, 1, "only the edited body's Markdown is rendered")
        let after = TemporaryBriefing.snapshot(of: briefing.site)
        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted()
        XCTAssertEqual(changed, ["actions/action-3/index.html", "actions/action-3/index.json", "actors/eu/feed.xml", "actors/person-3/feed.xml",
                                 "changes/2021/index.html", "changes/feed.xml", "changes/index.html", "changes/index.json", "feed.xml", "search-index.json"]
                                + changed.filter { $0.hasPrefix("search/") })
        XCTAssertFalse(changed.contains { $0.hasPrefix("actors/person-1/") }, "no other actor")
        let cacheAfter = TemporaryBriefing.snapshot(of: cacheFolder)
        XCTAssertEqual(Set(cacheAfter.keys).union(cacheBefore.keys).filter { cacheAfter[$0] != cacheBefore[$0] },
                       ["\(BodyCache.shard(of: "Content/actions/action-3.md")).cache"], "one body's cache file is written again, not the whole cache")

        // A damaged cache file costs only the bodies it held: they are rendered again.
        let damaged = "\(BodyCache.shard(of: "Content/actors/eu.md")).cache"
        try Data("damaged".utf8).write(to: cacheFolder.appendingPathComponent(damaged))
        try briefing.write("Content/actions/action-4.md", CaseFile.action("Action 4", extra: "targets: [person-4]\n", body: "A new body for four."))
        let third = briefing.build()
        XCTAssertEqual(third.lines, [])
        let inDamaged = (["Content/actors/eu.md"] + (0..<6).map { "Content/actors/person-\($0).md" } + (0..<10).map { "Content/actions/action-\($0).md" })
            .filter { "\(BodyCache.shard(of: $0)).cache" == damaged }
        XCTAssertEqual(third.renderedBodyCount, inDamaged.count + (inDamaged.contains("Content/actions/action-4.md") ? 0 : 1))
        XCTAssertNotEqual(try Data(contentsOf: cacheFolder.appendingPathComponent(damaged)), Data("damaged".utf8), "and the file is mended")
    }

    func testARebuildLeavesUnreadTheCaseFilesWhoseMetadataIsUnchanged() throws {
        let briefing = try Self.tenActions(target: { $0 % 3 }, body: { "Body \($0) names [[person-5]]." })
        defer { briefing.cleanUp() }
        func build() -> BuildReport {
            // Files are trusted once their times are 50 ms old (FileSignature).
            Thread.sleep(forTimeInterval: 0.06)
            var options = BuildOptions(root: briefing.root)
            options.trustedFileAge = 0.05
            return Builder(options: options).run()
        }
        func assertSameAsCleanBuild(_ step: String) {
            let clean = briefing.root.appendingPathComponent("Clean")
            var options = BuildOptions(root: briefing.root, output: clean)
            options.clean = true
            XCTAssertEqual(Builder(options: options).run().lines, [])
            XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), TemporaryBriefing.snapshot(of: clean), step)
        }
        // Built clean after every build too, so that both change logs have the same history.
        let first = build()
        XCTAssertEqual(first.lines, [])
        XCTAssertEqual(first.unreadFileCount, 0, "nothing to trust yet")
        assertSameAsCleanBuild("the first build")

        // One body edited: that file alone is read and parsed.
        try briefing.write("Content/actions/action-3.md", CaseFile.action("Action 3", extra: "targets: [person-0]\n", body: "A new body for three."))
        let second = build()
        XCTAssertEqual(second.lines, [])
        XCTAssertEqual(second.unreadFileCount, 16)
        XCTAssertEqual(second.parsedFileCount, 1)
        XCTAssertTrue(try briefing.read("actions/action-3/index.html").contains("A new body for three."))
        assertSameAsCleanBuild("after one edit")

        // Other bytes of the same size with the old modification time: the change time differs.
        let path = briefing.root.appendingPathComponent("Content/actions/action-4.md").path
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        try briefing.write("Content/actions/action-4.md", CaseFile.action("Action 4", extra: "targets: [person-1]\n", body: "Body X names [[person-5]]."))
        var times = [status.st_atim, status.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        let third = build()
        XCTAssertEqual(third.unreadFileCount, 16)
        XCTAssertTrue(try briefing.read("actions/action-4/index.html").contains("Body X names"))
        assertSameAsCleanBuild("after a same-size edit with the old modification time")

        // The actor nine bodies link to is now a draft: each is rendered again, with the name as
        // plain text, read from its file.
        XCTAssertTrue(try briefing.read("actions/action-7/index.html").contains("actors/person-5/"))
        try briefing.write("Content/actors/person-5.md", CaseFile.actor("Person 5", extra: "draft: true\n"))
        let fourth = build()
        XCTAssertEqual(fourth.lines, [])
        XCTAssertEqual(fourth.unreadFileCount, 16)
        XCTAssertEqual(fourth.renderedBodyCount, 9)
        let page = try briefing.read("actions/action-7/index.html")
        XCTAssertTrue(page.contains("Body 7 names") && page.contains("Person 5") && !page.contains("actors/person-5/"))
        assertSameAsCleanBuild("after the linked actor became a draft")
    }

    func testARebuildWithNothingChangedDoesNothing() throws {
        let briefing = try TemporaryBriefing(["Content/actors/eu.md": CaseFile.actor("European Union", type: "government"),
                                              "Content/actions/one.md": CaseFile.action("One", body: "Unsourced.")])
        defer { briefing.cleanUp() }
        // The stamp distrusts files changed in the last two seconds (InputStamp).
        Thread.sleep(forTimeInterval: 2.1)
        let first = briefing.build()
        XCTAssertTrue(first.succeeded)
        XCTAssertFalse(first.upToDate)
        let site = TemporaryBriefing.snapshot(of: briefing.site)
        let second = briefing.build()
        XCTAssertTrue(second.upToDate)
        XCTAssertEqual(second.lines, first.lines, "the warnings are the site's own")
        XCTAssertEqual(second.pageCount, first.pageCount)
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), site)
        // Any edit, --drafts, --clean or a removed site does the work again.
        var options = BuildOptions(root: briefing.root)
        options.clean = true
        XCTAssertFalse(Builder(options: options).run().upToDate)
        XCTAssertFalse(briefing.build(drafts: true).upToDate)
        try briefing.write("Content/actions/one.md", CaseFile.action("One edited"))
        XCTAssertFalse(briefing.build().upToDate)
        XCTAssertTrue(try briefing.read("actions/one/index.html").contains("One edited"))
        try FileManager.default.removeItem(at: briefing.site)
        XCTAssertFalse(briefing.build().upToDate)
        XCTAssertTrue(try briefing.read("actions/one/index.html").contains("One edited"))
    }
}
