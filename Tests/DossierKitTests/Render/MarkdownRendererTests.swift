@testable import DossierKit
import XCTest

final class MarkdownRendererTests: XCTestCase {
    private let targets: [String: WikiLinkResolution] = [
        "zhu-hailun": .link(url: "/b/actors/zhu-hailun/", title: "Zhu Hailun"),
        "draft-actor": .plainText(title: "Draft Actor"),
    ]

    private func render(_ markdown: String, unsafe: Bool = false, firstLine: Int = 5) -> (RenderedMarkdown, [String]) {
        let (rendered, diagnostics) = MarkdownRenderer.render(
            Body(markdown: markdown, firstLine: firstLine), path: "Content/actions/a.md", unsafeHTML: unsafe,
            resolve: { self.targets[$0] ?? .unknown }
        )
        return (rendered, diagnostics.map(\.description))
    }

    func testWikiLinksBecomeLinks() {
        let (rendered, diagnostics) = render("See [[zhu-hailun]] and [[zhu-hailun|the architect]].")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(rendered.html, "<p>See <a href=\"/b/actors/zhu-hailun/\">Zhu Hailun</a> and <a href=\"/b/actors/zhu-hailun/\">the architect</a>.</p>\n")
        XCTAssertEqual(rendered.plainText, "See Zhu Hailun and the architect.")
    }

    func testWikiLinksInsideCodeStayLiteral() {
        let (rendered, diagnostics) = render("Write `[[nothing]]` to link.\n\n```\n[[also-nothing]]\n```\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertTrue(rendered.html.contains("<code>[[nothing]]</code>"), rendered.html)
        XCTAssertTrue(rendered.html.contains("[[also-nothing]]"), rendered.html)
    }

    func testWikiLinkTextIsEscaped() {
        let (rendered, _) = render("[[zhu-hailun|a \"b\" & c > d]]")
        XCTAssertEqual(rendered.html, "<p><a href=\"/b/actors/zhu-hailun/\">a &quot;b&quot; &amp; c &gt; d</a></p>\n")
        // cmark reads `<script>` as raw HTML before the link pass sees it: suppressed, not linked.
        let (script, _) = render("[[zhu-hailun|<script>alert(1)</script>]]")
        XCTAssertFalse(script.html.contains("<script"), script.html)
    }

    func testUnknownTargetsAreReportedWhereTheyStand() {
        let (_, diagnostics) = render("First line.\n\nSecond paragraph, then é [[nobody]] and\n[[zhu-hailun]] and [[nobody-else|x]].", firstLine: 10)
        XCTAssertEqual(diagnostics, [
            "Content/actions/a.md:12:26: error: unknown link target 'nobody' in [[...]]",
            "Content/actions/a.md:13:20: error: unknown link target 'nobody-else' in [[...]]",
        ])
    }

    func testDraftTargetsRenderAsPlainText() {
        let (rendered, diagnostics) = render("By [[draft-actor]].")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(rendered.html, "<p>By Draft Actor.</p>\n")
    }

    func testHeadingsGetStableUniqueIDs() {
        let (rendered, _) = render("## Background\n\n## Background\n\n### José's *view*\n\n## Main\n")
        XCTAssertEqual(rendered.html, """
        <h2 id="background">Background</h2>
        <h2 id="background-1">Background</h2>
        <h3 id="jose-s-view">José's <em>view</em></h3>
        <h2 id="main-1">Main</h2>

        """)
    }

    func testRawHTMLAndUnsafeURLsAreSuppressedByDefault() {
        let (rendered, _) = render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>bold</b>")
        XCTAssertFalse(rendered.html.contains("<script>"), rendered.html)
        XCTAssertFalse(rendered.html.contains("javascript:"), rendered.html)
        XCTAssertFalse(rendered.html.contains("<b>"), rendered.html)
        let (image, _) = render("![a chart](javascript:alert(1)) ![no source]() ![ok](https://example.org/a.png)")
        XCTAssertEqual(image.html, "<p>a chart no source <img src=\"https://example.org/a.png\" alt=\"ok\" /></p>\n")
        let (unsafe, _) = render("<b>bold</b>", unsafe: true)
        XCTAssertEqual(unsafe.html, "<p><b>bold</b></p>\n")
    }

    func testPlainTextDropsMarkup() {
        let (rendered, _) = render("# Title\n\nSome *emphasis*, `code` and a [link](https://example.org).\n\n- one\n- two\n\n> quoted\n")
        XCTAssertEqual(rendered.plainText, "Title Some emphasis, code and a link. one two quoted")
    }

    func testWikiLinkSyntax() {
        XCTAssertEqual(WikiLinkSyntax.segments(of: "a [[b]] c [[d | e ]]"), [
            .text("a "), .link(slug: "b", text: nil, raw: "[[b]]"), .text(" c "), .link(slug: "d", text: "e", raw: "[[d | e ]]"),
        ])
        XCTAssertEqual(WikiLinkSyntax.segments(of: "[[]] [[unclosed"), [.text("[[]] [[unclosed")])
        // Cut between characters of any length; a `[` or a line break ends an unclosed link.
        XCTAssertEqual(WikiLinkSyntax.segments(of: "朱 é [[zhu-hailun|朱海仑]]€ [[a [[b]] [[c\n]]"), [
            .text("朱 é "), .link(slug: "zhu-hailun", text: "朱海仑", raw: "[[zhu-hailun|朱海仑]]"), .text("€ [[a "),
            .link(slug: "b", text: nil, raw: "[[b]]"), .text(" [[c\n]]"),
        ])
        XCTAssertEqual(WikiLinkSyntax.segments(of: "[[x]]"), [.link(slug: "x", text: nil, raw: "[[x]]")])
        XCTAssertEqual(WikiLinkSyntax.segments(of: ""), [])
    }

    func testTrimmingSpacesKeepsASpaceThatIsPartOfALongerCharacter() {
        XCTAssertEqual(Substring("\t a b \t").trimmingSpaces, "a b")
        XCTAssertEqual(Substring("  é  ").trimmingSpaces, "é")
        // A space with a combining accent is one Character, and no space.
        XCTAssertEqual(Substring(" \u{301}x ").trimmingSpaces, " \u{301}x")
        XCTAssertEqual(Substring("x \u{301}").trimmingSpaces, "x \u{301}")
        XCTAssertEqual(Substring(" \t ").trimmingSpaces, "")
    }

    func testSVGNumbersAreTenthsWithoutATrailingZero() {
        XCTAssertEqual([0, 3, -0.04, 12.25, 12.34, -0.5, -7.96, 1e20].map(SVG.number), ["0", "3", "0", "12.3", "12.3", "-0.5", "-8", "100000000000000000000.0"])
        XCTAssertEqual(SVG.number(.nan), "nan")
    }

    /// On bytes, white space is collapsed as it was on Unicode scalars: every kind of Unicode
    /// white space, none kept at either end, and everything else kept as it is.
    func testWhitespaceCollapsesOnBytesAsOnScalars() {
        func onScalars(_ text: String) -> String {
            var scalars = String.UnicodeScalarView()
            var pendingSpace = false
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace {
                    pendingSpace = !scalars.isEmpty
                } else {
                    if pendingSpace { scalars.append(" ") }
                    pendingSpace = false
                    scalars.append(scalar)
                }
            }
            return String(scalars)
        }
        let pieces = ["a", "Zhu", "朱海仑", "é", "e\u{301}", "🇨🇳", " ", "\t", "\n", "\r\n", "\u{B}", "\u{C}", "\u{85}", "\u{A0}", "\u{1680}",
                      "\u{2003}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "x\u{0}y",
                      "a b", " c d ", "e é"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            XCTAssertEqual(MarkdownRenderer.collapseWhitespace(Array(text.utf8)), onScalars(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Malformed UTF-8 is repaired, and a broken sequence never swallows the space after it.
        XCTAssertEqual(MarkdownRenderer.collapseWhitespace([0x61, 0xF0, 0x20, 0x20, 0x62, 0xE2, 0x80]), "a\u{FFFD} b\u{FFFD}")
        // A space alone between two characters, at the end, and before a broken sequence.
        XCTAssertEqual(MarkdownRenderer.collapseWhitespace(Array("a b c ".utf8) + [0x20, 0x80, 0x20, 0x64]), "a b c \u{FFFD} d")
        // An overlong encoding of a space is read as one, as the scalars it decodes to are.
        XCTAssertEqual(MarkdownRenderer.collapseWhitespace([0x61, 0xC0, 0xA0, 0xC0, 0xA0, 0x62]), "a b")
    }
}
