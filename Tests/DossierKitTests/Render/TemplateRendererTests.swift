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

    private let context: [TemplateKey: TemplateValue] = [
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

    /// Compiled for some pages only (a body patch's change log pages), the theme has those
    /// pages' templates, the layout and the partials they reach, renders them as the whole theme
    /// does, and is not held to the templates of other pages; an unknown partial still fails.
    func testCompiledForSomePagesTheThemeRendersThemAlone() throws {
        var partial = theme(["changes.mustache": "<ol>{{#items}}{{> partials/item}}{{/items}}</ol>", "partials/item.mustache": "<li>{{name}}</li>"])
        partial.files["actor.mustache"] = nil
        let (some, diagnostics) = TemplateRenderer.compile(partial, pages: ["changes"])
        XCTAssertEqual(diagnostics, [])
        let (all, _) = TemplateRenderer.compile(theme(["changes.mustache": "<ol>{{#items}}{{> partials/item}}{{/items}}</ol>", "partials/item.mustache": "<li>{{name}}</li>"]))
        let page = try XCTUnwrap(some).renderPage("changes", context: context).get()
        XCTAssertEqual(String(decoding: page, as: UTF8.self), "<main><ol><li>a</li><li>b</li></ol></main><footer>Site</footer>")
        XCTAssertEqual(page, try XCTUnwrap(all).renderPage("changes", context: context).get())
        XCTAssertNil(TemplateRenderer.compile(partial, pages: ["actor"]).0, "a page compiled for must have its template")
        XCTAssertNil(TemplateRenderer.compile(theme(["changes.mustache": "{{> partials/missing}}"]), pages: ["changes"]).0)
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

    /// Pages render through `FastTemplates`, which must print exactly what swift-mustache prints:
    /// standalone lines, indented partials (with sections and multi-line values inside), the
    /// context stack, dotted names, transforms, and escaping next to non-ASCII text.
    func testTheFastPathRendersWhatSwiftMustacheRenders() throws {
        let templates = [
            "home.mustache": """
                <ul>
                  {{#items}}
                  <li>{{name}}{{#first()}} first{{/first()}}{{#last()}} last{{/last()}} {{index()}}</li>
                  {{/items}}
                </ul>
                  {{> partials/list}}
                {{#site}}{{title}}/{{page_title}}{{/site}} {{site.title}} {{.site.title}} {{^nothing}}none{{/nothing}}
                {{! a comment }}
                {{#empty(items)}}no items{{/empty(items)}}{{^empty(items)}}{{count(items)}} items{{/empty(items)}}
                {{#first(items)}}{{name}}{{/first(items)}} {{#equalzero(minusone(one))}}one{{/equalzero(minusone(one))}}
                {{#flag}}yes{{/flag}}{{^flag}}no{{/flag}} {{flag}} {{one}} {{summary}}|{{{summary}}}|{{#summary}}S{{/summary}}
                {{^empty_list}}empty list{{/empty_list}}
                """,
            "partials/list.mustache": """
                <ol>
                  {{#items}}
                  <li>
                    {{> partials/item}}
                  </li>
                  {{/items}}
                </ol>
                {{{multi}}}
                  {{{multi}}}

                """,
            "partials/item.mustache": "{{name}}\n{{#tags}}\n<b>{{.}}</b>\n{{/tags}}\n",
        ]
        let context: [TemplateKey: TemplateValue] = [
            "page_title": .text("<Zhu & \"Hailun\"> it's"),
            "site": .object(["title": .text("Site <é>")]),
            "summary": .absent,
            "flag": .bool(true),
            "one": .number(1),
            "empty_list": .list([]),
            "multi": .html("<p>a</p>\n<p>b</p>\n"),
            "items": .list([
                .object(["name": .text("é<b>'x'</b>"), "tags": .list([.text("a&b"), .text("e\u{301}<")])]),
                .object(["name": .text("<\u{301}> & \u{600}<"), "tags": .list([])]),
                .object(["name": .text("plain"), "tags": .list([.text("\"q\"")])]),
            ]),
        ]
        let (renderer, diagnostics) = TemplateRenderer.compile(theme(templates))
        XCTAssertEqual(diagnostics, [])
        let compiled = try XCTUnwrap(renderer)
        XCTAssertTrue(compiled.usesFastPath)
        func shown(_ result: Result<String, Diagnostic>) -> String {
            switch result {
            case .success(let text): text
            case .failure(let diagnostic): diagnostic.description
            }
        }
        var full = context
        full["nothing"] = .absent
        full["content"] = .html("<p>page</p>\n")
        for name in ["home", "layout"] {
            XCTAssertEqual(shown(compiled.render(name, context: full)), shown(compiled.renderWithLibrary(name, context: full)), name)
        }
        // The same first unknown name, at the same place.
        XCTAssertEqual(shown(compiled.render("home", context: context)), shown(compiled.renderWithLibrary("home", context: context)))
        XCTAssertEqual(shown(compiled.render("home", context: context)), "Templates/home.mustache:7:75: error: unknown variable 'nothing': no page gives templates this value (see TEMPLATES.md)")
        XCTAssertTrue(try XCTUnwrap(TemplateRenderer.compile(Theme.builtIn).0).usesFastPath, "the built-in theme renders through the fast path")

        // A feature the fast path leaves to the library (inheritance) turns it off, same output.
        let (inheriting, _) = TemplateRenderer.compile(theme(["base.mustache": "<b>{{$x}}default{{/x}}</b>", "home.mustache": "{{<base}}{{$x}}{{page_title}}{{/x}}{{/base}}"]))
        XCTAssertFalse(try XCTUnwrap(inheriting).usesFastPath)
        XCTAssertEqual(try XCTUnwrap(inheriting).render("home", context: context).get(), "<b>&lt;Zhu &amp; &quot;Hailun&quot;&gt; it&#39;s</b>")
    }

    /// A partial on a shared object is rendered once and its bytes reused on the next page only
    /// when it read nothing below the object: one that shows a page's own value, directly or
    /// because the object lacks a name the page has, renders again on each page. Every page is
    /// compared with swift-mustache's rendering of the same context.
    func testAPartialOnASharedObjectIsReusedOnlyWhenItReadsNothingOfThePage() throws {
        let templates = [
            "home.mustache": "{{#items}}\n  {{> partials/own}}\n{{> partials/page}}{{/items}}|{{#items}}{{> partials/own}}{{/items}}",
            "partials/own.mustache": "<{{name}}:{{#tags}}{{label}}{{^last()}},{{/last()}}{{/tags}}>\n{{#summary}}({{.}}){{/summary}}",
            "partials/page.mustache": "[{{name}}{{#note}} {{note}}{{/note}}]",
        ]
        let (renderer, diagnostics) = TemplateRenderer.compile(theme(templates))
        XCTAssertEqual(diagnostics, [])
        let compiled = try XCTUnwrap(renderer)
        XCTAssertTrue(compiled.usesFastPath)
        // `note` is only on the second item: on the first it is read from the page.
        let first = SharedTemplateObject(["name": .text("a<"), "summary": .absent,
                                          "tags": .list([.object(["label": .text("x")]), .object(["label": .text("y&")])])])
        let second = SharedTemplateObject(["name": .text("b"), "summary": .text("s"), "tags": .list([]), "note": .text("n")])
        for page in ["one", "two & three", "four"] {
            let context: [TemplateKey: TemplateValue] = ["page_title": .text(page), "site": .object(["title": .text("Site")]),
                                                         "note": .text("page note \(page)"), "items": .list([.shared(first), .shared(second)])]
            let fast = try compiled.render("home", context: context).get()
            XCTAssertEqual(fast, try compiled.renderWithLibrary("home", context: context).get(), page)
            XCTAssertTrue(fast.contains("[a&lt; page note \(page.replacingOccurrences(of: "&", with: "&amp;"))]"), fast)
            XCTAssertTrue(fast.contains("[b n]"), fast)
        }
        // The partial that read only its object was kept once for each indentation it had (two);
        // the one that read `note` was kept for the second item only, which has its own.
        XCTAssertEqual(first.keptRenderingCount, 2)
        XCTAssertEqual(second.keptRenderingCount, 3)
    }

    /// Escaping on bytes, sixteen at a time, against the library's rule on Characters: long runs
    /// with no special byte, specials at every offset of a block, and next to combining marks
    /// (`<` and an accent are one Character, not `<`).
    func testEscapingOnBytesMatchesEscapingCharacters() {
        func reference(_ text: String) -> String {
            var output = ""
            for character in text {
                switch character {
                case "&": output += "&amp;"
                case "<": output += "&lt;"
                case ">": output += "&gt;"
                case "\"": output += "&quot;"
                case "'": output += "&#39;"
                default: output.append(character)
                }
            }
            return output
        }
        let pieces = ["&", "<", ">", "\"", "'", "a", " ", "é", "\u{301}", "王", String(repeating: "x", count: 15), String(repeating: "y", count: 17), "\n"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var output: [UInt8] = Array("prefix".utf8)
            HTMLEscape.append(text, to: &output)
            XCTAssertEqual(String(decoding: output, as: UTF8.self), "prefix" + reference(text), text)
        }
    }

    /// A page renders its kind's template into the layout in place where the layout shows
    /// `{{{content}}}` on its root level; elsewhere (in a section, in an indented partial, escaped,
    /// transformed) and on a missing name, as the library renders the two one after the other.
    func testAPageIsItsTemplateInTheLayoutWhereverTheLayoutShowsContent() throws {
        let kind = "<h1>{{page_title}}</h1>\n{{#items}}<li>{{name}}</li>\n{{/items}}"
        let layouts = [
            "<html>\n{{{content}}}\n</html>",
            "<html>\n  {{{content}}}\n{{{content}}}|{{content}}\n</html>",
            "{{#site}}<b>{{{content}}}</b>{{/site}}{{{content}}}",
            "<div>\n  {{> partials/main}}\n</div>\n{{> partials/main}}",
            "{{#empty(content)}}none{{/empty(content)}}{{^empty(content)}}[{{{content}}}]{{/empty(content)}}",
            "{{#items}}{{{content}}}{{/items}}",
        ]
        let context: [TemplateKey: TemplateValue] = [
            "page_title": .text("Zhu & <Hailun>"),
            "site": .object(["title": .text("Site")]),
            "items": .list([.object(["name": .text("a")]), .object(["name": .text("b'c")])]),
        ]
        for layout in layouts {
            let (renderer, diagnostics) = TemplateRenderer.compile(theme(["layout.mustache": layout, "home.mustache": kind, "partials/main.mustache": "{{{content}}}\n"]))
            XCTAssertEqual(diagnostics, [], layout)
            let compiled = try XCTUnwrap(renderer)
            XCTAssertTrue(compiled.usesFastPath)
            let content = try compiled.renderWithLibrary("home", context: context).get()
            var full = context
            full["content"] = .html(content)
            let expected = try compiled.renderWithLibrary("layout", context: full).get()
            XCTAssertEqual(String(decoding: try compiled.renderPage("home", context: context).get(), as: UTF8.self), expected, layout)
        }
        // A name the page's template lacks is reported as rendering the two apart reports it,
        // and so is a `content` inside the page's own template.
        for (layout, page, missing) in [("{{{content}}}{{nothing}}", "{{absent}}", "absent"), ("{{{content}}}", "{{{content}}}", "content"), ("{{nothing}}{{{content}}}", "x", "nothing")] {
            let (renderer, _) = TemplateRenderer.compile(theme(["layout.mustache": layout, "home.mustache": page]))
            let compiled = try XCTUnwrap(renderer)
            guard case .failure(let diagnostic) = compiled.renderPage("home", context: context) else { return XCTFail(layout) }
            XCTAssertTrue(diagnostic.message.contains("'\(missing)'"), diagnostic.message)
        }
    }

    /// An optional value of nothing but white space is absent; the first-byte shortcut answers
    /// as the whole check does, for white space Swift finds beyond ASCII and marks after a space.
    func testBlankTextIsWhatAllWhiteSpaceIs() {
        let texts = ["", " ", "\t\n\r", "\u{0B}\u{0C}", "a", " a", "a ", "\u{1C}", "\u{85}", "\u{A0}", "\u{2003}x", " \u{301}", "\u{3000}", "é", "\r\n"]
        for text in texts {
            XCTAssertEqual(TemplateValue.isBlank(text), text.allSatisfy(\.isWhitespace), text.debugDescription)
        }
        guard case .absent = TemplateValue.optionalText(" \n") else { return XCTFail("white space is absent") }
        guard case .text("x") = TemplateValue.optionalText("x") else { return XCTFail("text is text") }
    }
}
