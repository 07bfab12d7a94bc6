import DossierKit
@testable import DossierServe
import Foundation
import XCTest

final class PageDecoratorTests: XCTestCase {
    func testInjectsTheReloadScriptBeforeTheBodyEnds() {
        let page = String(decoding: PageDecorator.decorate(Data("<html><body><p>x</p></body></html>".utf8), problems: []), as: UTF8.self)
        XCTAssertEqual(page, "<html><body><p>x</p>\(PageDecorator.scriptTag)</body></html>")
    }

    func testShowsProblemsEscapedAtTheTopOfThePage() {
        let problem = Diagnostic.error("unknown actor '<script>alert(1)</script>'", at: SourceLocation(path: "Content/actions/a.md", line: 5, column: 5))
        let page = String(decoding: PageDecorator.decorate(Data("<html><body class=\"x\"><main>old</main></body></html>".utf8), problems: [problem]), as: UTF8.self)
        XCTAssertTrue(page.hasPrefix("<html><body class=\"x\"><div id=\"dossier-build-errors\""), page)
        XCTAssertTrue(page.contains("Content/actions/a.md:5:5: error: unknown actor &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"), page)
        XCTAssertFalse(page.contains("<script>alert"))
        XCTAssertTrue(page.contains("<main>old</main>"), "the last good page stays")
    }

    func testFingerprintsDifferForDifferentBytes() {
        XCTAssertNotEqual(Fingerprint.of(Data("a".utf8)), Fingerprint.of(Data("b".utf8)))
        XCTAssertEqual(Fingerprint.of(Data("a".utf8)), Fingerprint.of(Data("a".utf8)))
    }
}
