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
}
