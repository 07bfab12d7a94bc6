@testable import DossierKit
import Foundation
import XCTest

final class TemplateRendererTests: XCTestCase {
    /// A complete minimal theme, with `changes` laid over it.
    private func theme(_ changes: [String: String] = [:]) -> Theme {
        var texts: [String: String] = [:]
        for name in TemplateRenderer.requiredTemplates { texts["\(name).mustache"] = "<p>{{page_title}}</p>" }
        texts["layout.mustache"] = "<main>{{{content}}}</main>{{> partials/footer}}"
        texts["partials/footer.mustache"] = "<footer>{{site.title}}</footer>"
        texts.merge(changes) { _, new in new }
        return Theme(files: texts.reduce(into: [:]) { files, entry in
            files[entry.key] = Theme.File(path: "Templates/\(entry.key)", bytes: Data(entry.value.utf8), isBuiltIn: false)
        })
    }

    private let context: [String: TemplateValue] = [
        "page_title": .text("<Zhu & \"Hailun\">"),
        "site": .object(["title": .text("Site")]),
        "summary": .absent,
        "items": .list([.object(["name": .text("a")]), .object(["name": .text("b")])]),
        "body_html": .html("<p>ok</p>"),
    ]

    func testRendersAndEscapesEveryValue() throws {
        let (renderer, diagnostics) = TemplateRenderer.compile(theme(["home.mustache": "{{page_title}}|{{#items}}{{name}}{{/items}}|{{{body_html}}}|{{#summary}}S{{/summary}}{{^summary}}none{{/summary}}"]))
        XCTAssertEqual(diagnostics, [])
        let output = try XCTUnwrap(renderer).render("home", context: context).get()
        XCTAssertEqual(output, "&lt;Zhu &amp; &quot;Hailun&quot;&gt;|ab|<p>ok</p>|none")
    }

    func testAnUnknownVariableIsAnErrorAtItsLine() throws {
        let (renderer, _) = TemplateRenderer.compile(theme(["home.mustache": "<h1>{{page_title}}</h1>\n  <p>{{page_titel}}</p>"]))
        let result = try XCTUnwrap(renderer).render("home", context: context)
        guard case .failure(let diagnostic) = result else { return XCTFail("rendered \(result)") }
        XCTAssertEqual(diagnostic.description, "Templates/home.mustache:2:6: error: unknown variable 'page_titel': no page gives templates this value (see TEMPLATES.md)")
    }

    func testAVariableFoundInAnOuterLevelIsNotUnknown() throws {
        let (renderer, _) = TemplateRenderer.compile(theme(["home.mustache": "{{#items}}{{name}}/{{site.title}} {{/items}}"]))
        XCTAssertEqual(try XCTUnwrap(renderer).render("home", context: context).get(), "a/Site b/Site ")
    }

    func testSyntaxErrorsUnknownPartialsAndRecursionAreReported() {
        let (renderer, diagnostics) = TemplateRenderer.compile(theme([
            "actor.mustache": "line one\n{{#items}}open",
            "page.mustache": "{{> partials/foter}}",
            "partials/a.mustache": "{{> partials/b}}",
            "partials/b.mustache": "x\n {{> partials/a}}",
        ]))
        XCTAssertNil(renderer)
        XCTAssertEqual(Diagnostics(diagnostics).sorted.map(\.description), [
            "Templates/actor.mustache:2:1: error: template syntax: a section is never closed",
            "Templates/page.mustache:1:1: error: unknown partial 'partials/foter' (did you mean 'partials/footer'?)",
            "Templates/partials/b.mustache:2:2: error: partial recursion: partials/a -> partials/b -> partials/a",
        ])
    }

    func testAMissingPageTemplateIsAnError() {
        var incomplete = theme()
        incomplete.files["search.mustache"] = nil
        let (renderer, diagnostics) = TemplateRenderer.compile(incomplete)
        XCTAssertNil(renderer)
        XCTAssertEqual(diagnostics.map(\.description), ["Templates/search.mustache:1:1: error: the theme has no 'search.mustache' template"])
    }

    func testTheBuiltInThemeIsCompleteAndOverridable() throws {
        let builtIn = Theme.builtIn
        for name in TemplateRenderer.requiredTemplates { XCTAssertNotNil(builtIn.templates[name], name) }
        XCTAssertTrue(builtIn.files["layout.mustache"]?.isBuiltIn ?? false)
        let overridden = Theme.withOverrides([SourceFile(path: "Templates/home.mustache", bytes: Data("mine".utf8))])
        XCTAssertEqual(overridden.files["home.mustache"]?.bytes, Data("mine".utf8))
        XCTAssertEqual(overridden.files["home.mustache"]?.isBuiltIn, false)
        XCTAssertEqual(overridden.files["layout.mustache"], builtIn.files["layout.mustache"])
    }
}
