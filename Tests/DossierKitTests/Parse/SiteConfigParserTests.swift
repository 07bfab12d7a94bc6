@testable import DossierKit
import Foundation
import XCTest

final class SiteConfigParserTests: XCTestCase {
    private func parse(_ text: String) -> (SiteConfig?, [String]) {
        let (site, diagnostics) = SiteConfigParser.parse(SourceFile(path: "Content/site.yml", bytes: Data(text.utf8)))
        return (site, Diagnostics(diagnostics).sorted.map(\.description))
    }

    func testReadsEveryKey() throws {
        let (site, diagnostics) = parse("""
        title: Briefing
        base_url: https://example.org/xinjiang
        description: >-
          One paragraph
          on two lines.
        language: pt-BR
        author: Analyst
        unsafe_html: true
        extra: {logo: x.png}
        """)
        XCTAssertEqual(diagnostics, [])
        let config = try XCTUnwrap(site)
        XCTAssertEqual(config.description, "One paragraph on two lines.")
        XCTAssertEqual(config.language, "pt-BR")
        XCTAssertTrue(config.unsafeHTML)
        XCTAssertEqual(SiteURLs(baseURL: config.baseURL).basePath, "/xinjiang/")
    }

    func testReportsBadValues() {
        let (site, diagnostics) = parse("title: B\nbase_url: example.org\nlanguage: 'english language'\ntheme: dark\n")
        XCTAssertNil(site)
        XCTAssertEqual(diagnostics, [
            "Content/site.yml:2:11: error: 'base_url' must be an absolute http or https URL, like https://example.org/briefing/",
            "Content/site.yml:3:11: error: 'language' must be a BCP 47 language tag, like 'en' or 'pt-BR'",
            "Content/site.yml:4:1: error: unknown key 'theme' (custom values go under 'extra:')",
        ])
    }

    func testBasePaths() {
        XCTAssertEqual(BaseURL.path(of: "https://example.org"), "/")
        XCTAssertEqual(BaseURL.path(of: "https://example.org/"), "/")
        XCTAssertEqual(BaseURL.path(of: "http://example.org/a/b?x=1"), "/a/b/")
        XCTAssertNil(BaseURL.path(of: "ftp://example.org/"))
        XCTAssertNil(BaseURL.path(of: "/relative/"))
        XCTAssertEqual(BaseURL.origin(of: "https://example.org/a/"), "https://example.org")
    }

    func testSourceURLPolicy() {
        XCTAssertNil(URLPolicy.problem(withSourceURL: "https://example.org/x"))
        XCTAssertNil(URLPolicy.problem(withSourceURL: "../assets/report.pdf"))
        XCTAssertNil(URLPolicy.problem(withSourceURL: "HTTP://EXAMPLE.ORG"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "javascript:alert(1)"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "data:text/html,x"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "https:"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "https://exa mple.org"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "https://example.org/\u{7F}"))
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "https://example.org/é\u{85}"))
        XCTAssertNil(URLPolicy.problem(withSourceURL: "https://example.org/é"))
        // A mark after the colon makes one Character of them; the scheme still ends there.
        XCTAssertNotNil(URLPolicy.problem(withSourceURL: "javascript:\u{301}alert(1)"))
    }

    /// The byte check for ASCII URLs against the rule read scalar by scalar, on every ASCII byte
    /// and on text mixing them with other scripts and C1 controls.
    func testSpacesAndControlsAreFoundOnBytesAsOnScalars() {
        func rule(_ text: String) -> Bool { text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " } }
        for byte in UInt8(0)..<0x80 {
            let text = "https://example.org/" + String(UnicodeScalar(byte))
            XCTAssertEqual(URLPolicy.hasSpaceOrControl(text), rule(text), "byte \(byte)")
        }
        let pieces = ["a", "/", " ", "\t", "é", "\u{85}", "\u{9F}", "\u{A0}", "王", "\u{7F}", "%20"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            XCTAssertEqual(URLPolicy.hasSpaceOrControl(text), rule(text), text)
        }
    }
}
