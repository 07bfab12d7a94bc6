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

    /// Read from the work folder, the texts stay in the mapped file until asked for: they must
    /// read back the same, encode to the same bytes, and outlive the file being replaced, as
    /// the next save of the cache replaces it while this build still holds its bodies.
    func testACacheReadFromItsFilesKeepsItsTextsWhenTheFilesAreReplaced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("body-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = SiteWriter(output: folder.appendingPathComponent("Site"))
        var cache = BodyCache()
        for number in 0..<200 {
            let path = "Content/actions/a\(number).md"
            let rendered = RenderedMarkdown(html: "<p>Body \(number) ünïcode</p>\n", plainText: "Body \(number) ünïcode")
            cache.entries[path] = BodyCache.Entry(markdownHash: UInt64(number), unsafeHTML: false, links: [("b\(number)", 1)], rendered: rendered)
        }
        try writer.writeBodyCache(cache)
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
}
