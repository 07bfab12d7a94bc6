@testable import DossierKit
import Foundation
import XCTest

/// The Markdown cache's bytes: what comes back is what was rendered, fingerprint included, and
/// a damaged file is an empty cache.
final class BodyCacheTests: XCTestCase {
    func testEntriesRoundTripWithTheirFingerprints() throws {
        var cache = BodyCache()
        for (path, markdown) in [("Content/actions/a.md", "A *body* with [[b]]."), ("Content/actors/b.md", "Ünïcode and `code`.")] {
            let body = Body(markdown: markdown, firstLine: 5)
            let (rendered, diagnostics) = MarkdownRenderer.render(body, path: path, unsafeHTML: false) { slug in .link(url: "/\(slug)/", title: slug) }
            XCTAssertEqual(diagnostics, [])
            cache.entries[path] = BodyCache.Entry(markdownHash: ContentHash.of(markdown), unsafeHTML: false, links: [("b", 1)], rendered: rendered)
        }
        let decoded = BodyCache(encoded: cache.encoded())
        XCTAssertEqual(decoded.entries.count, 2)
        for (path, entry) in cache.entries {
            let back = try XCTUnwrap(decoded.entries[path]?.rendered)
            XCTAssertEqual(back, entry.rendered)
            XCTAssertEqual(back.fingerprint, RenderedMarkdown(html: back.html, plainText: back.plainText).fingerprint, "the kept fingerprint is that of the kept text")
        }
        XCTAssertTrue(BodyCache(encoded: Array(cache.encoded().dropLast(3))).entries.isEmpty)
        XCTAssertNotEqual(RenderedMarkdown(html: "<p>a</p>", plainText: "a").fingerprint, RenderedMarkdown(html: "<p>a</p>", plainText: "b").fingerprint)
    }

    /// A cache of `count` bodies (`Content/actions/a<n>.md`) written into a work folder that is
    /// removed when the test ends, with each body's raw HTML setting and links from `shape`.
    private func writtenCache(_ count: Int, shape: (Int) -> (unsafeHTML: Bool, links: [(slug: String, resolution: UInt64)]) = { (false, [("b\($0)", 1)]) }) throws -> (SiteWriter, BodyCache) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("body-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let writer = SiteWriter(output: folder.appendingPathComponent("Site"))
        var cache = BodyCache()
        for number in 0..<count {
            let rendered = RenderedMarkdown(html: "<p>Body \(number) ünïcode</p>\n", plainText: "Body \(number) ünïcode")
            let (unsafeHTML, links) = shape(number)
            cache.entries["Content/actions/a\(number).md"] = BodyCache.Entry(markdownHash: UInt64(number), unsafeHTML: unsafeHTML, links: links, rendered: rendered)
        }
        try writer.writeBodyCache(cache)
        return (writer, cache)
    }

    /// Read from the work folder, the texts stay in the mapped file until asked for: they must
    /// read back the same, encode to the same bytes, and outlive the file being replaced, as
    /// the next save of the cache replaces it while this build still holds its bodies.
    func testACacheReadFromItsFilesKeepsItsTextsWhenTheFilesAreReplaced() throws {
        let (writer, cache) = try writtenCache(200)
        let read = writer.readBodyCache()
        XCTAssertEqual(read.entries.count, 200)
        var replacement = BodyCache()
        replacement.entries = cache.entries.mapValues { entry in
            var entry = entry
            entry.rendered = RenderedMarkdown(html: "<p>Other</p>", plainText: "Other")
            return entry
        }
        try writer.writeBodyCache(replacement)
        for (path, entry) in cache.entries {
            let back = try XCTUnwrap(read.entries[path]?.rendered)
            XCTAssertEqual(back.html, entry.rendered.html)
            XCTAssertEqual(back.plainText, entry.rendered.plainText)
            XCTAssertEqual(back.fingerprint, entry.rendered.fingerprint)
        }
        XCTAssertEqual(read.encoded(), cache.encoded(), "cached texts are encoded from their bytes as they were")
        XCTAssertEqual(writer.readBodyCache().entries["Content/actions/a7.md"]?.rendered.plainText, "Other")
    }

    /// A body patch reads only the files' tables: each path finds its own body, fingerprint and
    /// raw HTML setting, a path the cache lacks finds nothing, and the parts it writes again are
    /// the whole files, every entry of theirs kept.
    func testTablesFindEveryBodyWithoutDecodingTheEntries() throws {
        let (writer, cache) = try writtenCache(500) { number in (number % 3 == 0, Array(repeating: ("b\(number)", 1), count: number % 4)) }
        let tables = writer.readBodyCacheTables()
        for (path, entry) in cache.entries {
            let (rendered, unsafeHTML) = try XCTUnwrap(tables.rendered(path: path), path)
            XCTAssertEqual(rendered.html, entry.rendered.html)
            XCTAssertEqual(rendered.plainText, entry.rendered.plainText)
            XCTAssertEqual(rendered.fingerprint, entry.rendered.fingerprint)
            XCTAssertEqual(unsafeHTML, entry.unsafeHTML)
        }
        XCTAssertNil(tables.rendered(path: "Content/actions/a500.md"))
        let shard = BodyCache.shard(of: "Content/actions/a7.md")
        let parts = tables.parts([shard])
        XCTAssertEqual(parts.parts[shard].entries.count, cache.entries.keys.count { BodyCache.shard(of: $0) == shard })
        XCTAssertEqual(parts["Content/actions/a7.md"]?.links.count, 3)
        XCTAssertTrue(parts.parts[(shard + 1) % BodyCache.shardCount].entries.isEmpty, "only the parts asked for are decoded")
    }

    private func graph(_ briefing: TemporaryBriefing) throws -> BriefingGraph {
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        return Linker.link(try XCTUnwrap(parsed), includeDrafts: false).0
    }

    /// While the link targets stay as they were, a cached body is taken without resolving its
    /// links; a changed title changes the fingerprint, and the bodies naming it render again.
    /// Written and read back through the work folder, the fingerprint comes with the shards, and
    /// it is gone from the folder while shards are written without one.
    func testLinksFingerprintSkipsLinkChecksOnlyWhileTargetsAreTheSame() throws {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization"),
            "Content/actors/zhu-hailun.md": CaseFile.actor("Zhu Hailun"),
            "Content/actions/a.md": CaseFile.action("Sanctions", body: "Aimed at [[zhu-hailun]]."),
            "Content/actions/b.md": CaseFile.action("Statement", type: "statement", body: "No link here."),
        ])
        defer { briefing.cleanUp() }
        let first = try graph(briefing)
        let (_, _, made, rendered) = SiteRenderer.renderBodies(first, cache: BodyCache())
        XCTAssertEqual(rendered, 4)
        let cache = try XCTUnwrap(made).cache
        XCTAssertEqual(cache.linksFingerprint, BodyCache.linksFingerprint(first))

        // Same targets: nothing rendered, nothing to save; a link not checked again would show
        // if the entry's recorded resolution were wrong, so spoil it and see it still taken.
        var spoiled = cache
        spoiled.entries["Content/actions/a.md"]?.links = [("zhu-hailun", 0)]
        let (_, _, unchangedSave, unchangedRendered) = SiteRenderer.renderBodies(first, cache: spoiled)
        XCTAssertEqual(unchangedRendered, 0)
        XCTAssertNil(unchangedSave)
        spoiled.linksFingerprint = nil
        XCTAssertEqual(SiteRenderer.renderBodies(first, cache: spoiled).rendered, 1, "without the fingerprint, links are checked")

        // A renamed actor: the one body naming it renders again, with the new name.
        try briefing.write("Content/actors/zhu-hailun.md", CaseFile.actor("Zhu Hailun (朱海仑)"))
        let second = try graph(briefing)
        XCTAssertNotEqual(BodyCache.linksFingerprint(second), BodyCache.linksFingerprint(first))
        let (bodies, _, secondSave, secondRendered) = SiteRenderer.renderBodies(second, cache: cache)
        XCTAssertEqual(secondRendered, 1)
        XCTAssertTrue(try XCTUnwrap(bodies["a"]).html.contains("朱海仑"))
        XCTAssertEqual(secondSave?.cache.linksFingerprint, BodyCache.linksFingerprint(second))

        let writer = SiteWriter(output: briefing.root.appendingPathComponent("Site"))
        try writer.writeBodyCache(cache)
        XCTAssertEqual(writer.readBodyCache().linksFingerprint, cache.linksFingerprint)
        var unknown = cache
        unknown.linksFingerprint = nil
        try writer.writeBodyCache(unknown, shards: [0])
        XCTAssertNil(writer.readBodyCache().linksFingerprint, "shards written without a fingerprint leave none behind")
    }
}
