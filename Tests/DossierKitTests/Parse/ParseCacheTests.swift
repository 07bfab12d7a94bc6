@testable import DossierKit
import Foundation
import XCTest

/// The parse cache (Parse/ParseCache.swift): a model from the cache is exactly the one parsing
/// gives, a changed file is parsed again, and a damaged cache is an empty one.
final class ParseCacheTests: XCTestCase {
    private func file(_ path: String, _ text: String) -> SourceFile {
        SourceFile(path: path, bytes: Data(text.utf8))
    }

    /// Files of every kind and shape: every key, extra values, Unicode, CRLF, CR, a BOM, bodies
    /// empty or without a final newline, and files with problems.
    private var sources: BriefingSources {
        var sources = BriefingSources()
        sources.actorFiles = [
            file("Content/actors/eu.md", "---\nname: European Union\ntype: government\n---\nA body.\n"),
            file("Content/actors/zhu-hailun.md", """
            ---
            name: "Zhū Hǎilún 朱海仑"
            type: person
            aliases: [Zhu Hailun, 朱海仑]
            country: China
            roles:
              - Deputy secretary
              - "Quoted: \\"yes\\""
            summary: >
              Folded
              summary 👍.
            tags: [xinjiang, party]
            draft: true
            updated: 2024-02-29
            extra:
              photo: zhu.jpg
              flags: [true, false, ~, "true", yes]
              nested:
                deeper:
                  - a: 1
                    b: [x, y]
                  - null
              empty: {}
              none:
            ---
            Body with **Markdown**, Unicode — 中文 and an emoji 🎉.

            Second paragraph, no final newline.
            """),
            SourceFile(path: "Content/actors/bom.md", bytes: Data([0xEF, 0xBB, 0xBF] + Array("---\nname: With BOM\ntype: other\n---\nBOM body.\n".utf8))),
            file("Content/actors/crlf.md", "---\r\nname: CRLF\r\ntype: organization\r\ntags: [a, b]\r\n---\r\nLine one.\r\nLine two.\r\n"),
            file("Content/actors/cr-only.md", "---\rname: Old Mac\rtype: person\r---\rBody\rlines.\r"),
            file("Content/actors/crlf-head.md", "---\r\nname: Mixed\r\ntype: person\r\n---\r\nBody without CR.\n"),
            file("Content/actors/no-body.md", "---\nname: Nobody\ntype: person\n---"),
            file("Content/actors/empty-body.md", "---\nname: Empty\ntype: person\n---\n"),
            file("Content/actors/bad-type.md", "---\nname: Bad\ntype: persn\n---\nBody.\n"),
            file("Content/actors/Bad_Slug.md", "---\nname: Bad slug\ntype: person\n---\nBody.\n"),
        ]
        sources.actionFiles = [
            file("Content/actions/eu-xinjiang.md", """
            ---
            title: "EU sanctions: Xinjiang — ü"
            date: 2021-03-22
            type: counter-sanction
            by: european-union
            targets: [zhu-hailun,   chen-mingguo]
            involves:
              - council
            measures: [asset freeze, travel ban]
            legal_basis: EU Global Human Rights Sanctions Regime
            status: in-force
            ends: 2022-12-08
            responds_to: []
            related: [us-designations]
            sources:
              - title: Official Journal
                url: https://eur-lex.europa.eu/
                publisher: Official Journal of the European Union
                date: 2021-03-22
              - title: Only a title
            summary: One sentence.
            tags: [xinjiang]
            draft: false
            updated: 2021-03-23
            extra:
              note: free
            ---
            Body *text* with [[zhu-hailun]].

            """),
            file("Content/actions/unicode-refs.md", "---\ntitle: 中文 title\ndate: 0999-01-01\ntype: other\nby: [中文, \"ü-x\"]\ntargets:\n  - 👍\n---\nBody.\n"),
            file("Content/actions/minimal.md", "---\ntitle: Minimal\ndate: 2020-01-01\ntype: statement\nby: eu\n---\n"),
            file("Content/actions/unknown-key.md", "---\ntitle: Unknown\ndate: 2020-01-01\ntype: statement\nby: eu\ntitel: x\n---\nBody.\n"),
            file("Content/actions/broken-yaml.md", "---\ntitle: [unclosed\n---\nBody.\n"),
        ]
        sources.pageFiles = [
            file("Content/pages/about.md", "---\ntitle: About\nsummary: What this is.\nupdated: 2023-05-06\nextra:\n  order: 1\n---\n# About\n\nText.\n"),
            file("Content/pages/draft.md", "---\ntitle: Draft\ndraft: true\n---\nDraft.\n"),
        ]
        return sources
    }

    /// Models that came from the cache with their fingerprint, over every `parse` of a test.
    private var fingerprintCount = 0

    private struct Parsed: Equatable {
        var actors: [Actor?], actions: [Action?], pages: [Page?]
        var diagnostics: [[Diagnostic]]
    }

    private func parse(_ sources: BriefingSources, cache: ParseCache) -> (Parsed, ParseCache.Next) {
        var next: ParseCache.Next? = ParseCache.Next(previous: cache)
        let actors = ParseCache.parse(sources.actorFiles, next: &next, CaseFileParser.parseActor)
        let actions = ParseCache.parse(sources.actionFiles, next: &next, CaseFileParser.parseAction)
        let pages = ParseCache.parse(sources.pageFiles, next: &next, CaseFileParser.parsePage)
        let parsed = Parsed(actors: actors.map(\.0), actions: actions.map(\.0), pages: pages.map(\.0),
                            diagnostics: actors.map(\.1) + actions.map(\.1) + pages.map(\.1))
        // A model from the cache comes with the fingerprint the linker would make of it.
        for (model, _, fingerprint) in actors { if let model, let fingerprint { XCTAssertEqual(fingerprint, model.contentFingerprint, model.path) } }
        for (model, _, fingerprint) in actions { if let model, let fingerprint { XCTAssertEqual(fingerprint, model.contentFingerprint, model.path) } }
        for (model, _, fingerprint) in pages { if let model, let fingerprint { XCTAssertEqual(fingerprint, model.headFingerprint, model.path) } }
        fingerprintCount += (actors.map(\.fingerprint) + actions.map(\.fingerprint) + pages.map(\.fingerprint)).count { $0 != nil }
        return (parsed, next!)
    }

    private func plainParse(_ sources: BriefingSources) -> Parsed {
        let actors = sources.actorFiles.map(CaseFileParser.parseActor)
        let actions = sources.actionFiles.map(CaseFileParser.parseAction)
        let pages = sources.pageFiles.map(CaseFileParser.parsePage)
        return Parsed(actors: actors.map(\.0), actions: actions.map(\.0), pages: pages.map(\.0),
                      diagnostics: actors.map(\.1) + actions.map(\.1) + pages.map(\.1))
    }

    func testCachedModelsAreExactlyTheParsedOnes() throws {
        let sources = sources
        let expected = plainParse(sources)
        let problemCount = expected.diagnostics.count { !$0.isEmpty }
        XCTAssertEqual(problemCount, 4, "the fixture has files with problems")

        let (first, firstNext) = parse(sources, cache: ParseCache())
        XCTAssertEqual(first, expected)
        XCTAssertEqual(firstNext.hits, 0)
        XCTAssertTrue(firstNext.changed)
        let fileCount = sources.actorFiles.count + sources.actionFiles.count + sources.pageFiles.count
        XCTAssertEqual(firstNext.entries.count, fileCount - problemCount, "files with diagnostics are not kept")

        let cache = ParseCache(encoded: Data(firstNext.encoded()))
        XCTAssertEqual(cache.count, fileCount - problemCount)
        let (second, secondNext) = parse(sources, cache: cache)
        XCTAssertEqual(second, expected, "every field, Reference location and Body is the parsed one; problems are reported again")
        XCTAssertEqual(secondNext.hits, fileCount - problemCount)
        XCTAssertEqual(fingerprintCount, fileCount - problemCount, "each model from the cache came with its fingerprint")
        XCTAssertFalse(secondNext.changed, "nothing to save")
        // The body is sliced from the file only where it is the file's tail; CR-decoded bodies are kept whole.
        XCTAssertEqual(second.actors[3]?.body, Body(markdown: "Line one.\nLine two.\n", firstLine: 6))
        XCTAssertEqual(second.actors[4]?.body, Body(markdown: "Body\nlines.\n", firstLine: 5))
        XCTAssertEqual(second.actions[1]?.targets.first?.location, SourceLocation(path: "Content/actions/unicode-refs.md", line: 7, column: 5))
        XCTAssertEqual(second.actions[0]?.targets.last?.location.column, 25)

        // What it would save again is byte for byte what it read.
        XCTAssertEqual(secondNext.encoded(), firstNext.encoded())
    }

    func testAChangedFileIsParsedAgain() throws {
        var sources = sources
        let (_, firstNext) = parse(sources, cache: ParseCache())
        let cache = ParseCache(encoded: Data(firstNext.encoded()))

        // Same length, one letter changed; a body edited; a file removed; a file moved.
        sources.actorFiles[0] = file("Content/actors/eu.md", "---\nname: European Onion\ntype: government\n---\nA body.\n")
        sources.actionFiles[2] = file("Content/actions/minimal.md", "---\ntitle: Minimal\ndate: 2020-01-01\ntype: statement\nby: eu\n---\nNow a body.\n")
        sources.pageFiles.removeLast()
        sources.pageFiles[0].path = "Content/pages/about-us.md"
        let (parsed, next) = parse(sources, cache: cache)
        XCTAssertEqual(parsed, plainParse(sources))
        XCTAssertEqual(parsed.actors[0]?.name, "European Onion")
        XCTAssertEqual(parsed.actions[2]?.body.markdown, "Now a body.\n")
        XCTAssertEqual(parsed.pages[0]?.slug, "about-us")
        XCTAssertEqual(next.hits, cache.count - 4)
        XCTAssertTrue(next.changed)

        // A file of another kind at a cached path is not taken for the cached one.
        var moved = BriefingSources()
        moved.pageFiles = [SourceFile(path: "Content/actors/eu.md", bytes: Data("---\ntitle: A page now\n---\nA body.\n".utf8))]
        moved.actorFiles = [SourceFile(path: "Content/pages/about.md", bytes: self.sources.pageFiles[0].bytes)]
        let (other, otherNext) = parse(moved, cache: cache)
        XCTAssertEqual(other, plainParse(moved))
        XCTAssertEqual(otherNext.hits, 0)
    }

    func testADamagedOrForeignCacheIsEmpty() throws {
        let (_, next) = parse(sources, cache: ParseCache())
        let bytes = next.encoded()
        XCTAssertGreaterThan(ParseCache(encoded: Data(bytes)).count, 0)
        XCTAssertEqual(ParseCache(encoded: Data()).count, 0)
        XCTAssertEqual(ParseCache(encoded: Data(bytes.dropLast())).count, 0, "truncated")
        XCTAssertEqual(ParseCache(encoded: Data(bytes + [0])).count, 0, "longer")
        for offset in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            var damaged = bytes
            damaged[offset] ^= 0x10
            XCTAssertEqual(ParseCache(encoded: Data(damaged)).count, 0, "byte \(offset) flipped")
        }
        XCTAssertEqual(ParseCache(encoded: Data("dossier body cache 1\n".utf8 + bytes.dropFirst(ParseCache.signature.count))).count, 0, "another cache")
        var random = SeededGenerator(state: 7)
        XCTAssertEqual(ParseCache(encoded: Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })).count, 0)

        // Another build of dossier: a different tool stamp, checksum made right.
        var foreign = Array(bytes.dropLast(8))
        foreign[ParseCache.signature.count] ^= 1
        let checksum = foreign.withUnsafeBytes { ContentHash.of($0) }
        withUnsafeBytes(of: checksum.littleEndian) { foreign.append(contentsOf: $0) }
        XCTAssertEqual(ParseCache(encoded: Data(foreign)).count, 0)

        // And a build with a damaged cache on disk parses everything and works.
        let (parsed, _) = parse(sources, cache: ParseCache(encoded: Data(bytes.dropLast())))
        XCTAssertEqual(parsed, plainParse(sources))
    }

    func testABuildParsesOnlyWhatChangedAndCleanIgnoresTheCache() throws {
        var files: [String: String] = ["Content/actors/eu.md": CaseFile.actor("European Union", type: "government")]
        for index in 0..<5 { files["Content/actions/action-\(index).md"] = CaseFile.action("Action \(index)", by: "[eu]", body: "Body \(index).") }
        let briefing = try TemporaryBriefing(files)
        defer { briefing.cleanUp() }
        let first = briefing.build()
        XCTAssertEqual(first.lines, [])
        XCTAssertEqual(first.parsedFileCount, 6)
        let cachePath = SiteWriter(output: briefing.site).workFolder.appendingPathComponent("parse.cache").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: cachePath))

        try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2", by: "[eu, nobody]", body: "Edited."))
        let second = briefing.build()
        XCTAssertEqual(second.parsedFileCount, 1)
        XCTAssertEqual(second.lines, ["Content/actions/action-2.md:5:10: error: unknown actor 'nobody' in 'by'"], "a cached model keeps its locations")
        try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2", by: "[eu]", extra: "titel: x\n", body: "Edited."))
        XCTAssertEqual(briefing.build().parsedFileCount, 1)
        XCTAssertEqual(briefing.build().lines.count, 1, "a file with a problem is parsed, and its problem shown, on every build")
        try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2", by: "[eu]", body: "Edited."))
        XCTAssertEqual(briefing.build().lines, [])

        try "damaged".write(toFile: cachePath, atomically: true, encoding: .utf8)
        // A front matter edit: a body alone would be patched in (Build/BodyPatch.swift), reading no cache.
        try briefing.write("Content/actions/action-2.md", CaseFile.action("Action 2 again", by: "[eu]", body: "Edited."))
        let afterDamage = briefing.build()
        XCTAssertEqual(afterDamage.lines, [])
        XCTAssertEqual(afterDamage.parsedFileCount, 6)

        var options = BuildOptions(root: briefing.root)
        options.clean = true
        let clean = Builder(options: options).run()
        XCTAssertEqual(clean.lines, [])
        XCTAssertEqual(clean.parsedFileCount, 6, "--clean parses everything")
    }
}
