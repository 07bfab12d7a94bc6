@testable import DossierKit
import XCTest

final class LinkerTests: XCTestCase {
    private func actor(_ slug: String, draft: Bool = false) -> Actor {
        var actor = Actor(slug: slug, path: "Content/actors/\(slug).md", name: slug.capitalized, type: .person, body: Body(markdown: "", firstLine: 4))
        actor.draft = draft
        return actor
    }

    private func action(_ slug: String, _ date: String, by: [String], targets: [String] = [], respondsTo: [String] = [], related: [String] = [], draft: Bool = false) -> Action {
        let path = "Content/actions/\(slug).md"
        var action = Action(slug: slug, path: path, title: slug, date: DayDate(date)!, type: .sanction, body: Body(markdown: "", firstLine: 6))
        func references(_ slugs: [String], line: Int) -> [Reference] {
            slugs.enumerated().map { Reference($1, at: SourceLocation(path: path, line: line, column: 5 + $0)) }
        }
        action.by = references(by, line: 4)
        action.targets = references(targets, line: 5)
        action.respondsTo = references(respondsTo, line: 6)
        action.related = references(related, line: 7)
        action.draft = draft
        return action
    }

    private let site = SiteConfig(title: "T", baseURL: "https://example.org/")

    func testBuildsRoleListsNewestFirstWithTiesBySlug() {
        let briefing = Briefing(site: site, actors: [actor("eu"), actor("zhu")], actions: [
            action("b-old", "2020-01-01", by: ["eu"], targets: ["zhu"]),
            action("c-new", "2021-03-22", by: ["eu"], targets: ["zhu"]),
            action("a-new", "2021-03-22", by: ["zhu"], targets: ["eu"], respondsTo: ["c-new"], related: ["b-old"]),
        ], pages: [])
        let (graph, diagnostics) = Linker.link(briefing, includeDrafts: false)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(graph.actions.map(\.slug), ["a-new", "c-new", "b-old"])
        XCTAssertEqual(graph.actionsOfActor["eu"]?[.by]?.map { graph.actions[$0].slug }, ["c-new", "b-old"])
        XCTAssertEqual(graph.actionsOfActor["eu"]?[.targets]?.map { graph.actions[$0].slug }, ["a-new"])
        XCTAssertEqual(graph.responses["c-new"]?.map { graph.actions[$0].slug }, ["a-new"])
        XCTAssertEqual(graph.related["b-old"]?.map { graph.actions[$0].slug }, ["a-new"], "related works both ways")
        XCTAssertEqual(graph.related["a-new"]?.map { graph.actions[$0].slug }, ["b-old"])
    }

    func testEachActionListsThePublishedActorsItNamesOnceByRole() {
        let briefing = Briefing(site: site, actors: [actor("eu"), actor("zhu"), actor("lee"), actor("hidden", draft: true)], actions: [
            action("a", "2021-03-22", by: ["zhu", "eu", "zhu"], targets: ["hidden", "eu", "lee"]),
            action("b", "2020-01-01", by: ["lee"]),
        ], pages: [])
        let (graph, _) = Linker.link(briefing, includeDrafts: false)
        XCTAssertEqual(graph.linkedActors.map { $0.map { graph.actors[$0].slug } }, [["zhu", "eu", "lee"], ["lee"]],
                       "by role, then as named; a draft and a repeat are left out")
        XCTAssertEqual(graph.actionsOfActor["eu"]?[.targets]?.map { graph.actions[$0].slug }, ["a"], "still listed in each role it has")
        XCTAssertEqual(graph.actionsOfActor["zhu"]?[.by]?.map { graph.actions[$0].slug }, ["a"], "once, though named twice")
    }

    func testReportsUnknownMisplacedAndSelfReferences() {
        let briefing = Briefing(site: site, actors: [actor("wang-junzheng")], actions: [
            action("x", "2021-03-22", by: ["wang-junzeng"], targets: ["y"], respondsTo: ["x", "wang-junzheng"]),
            action("y", "2021-03-22", by: ["wang-junzheng"]),
        ], pages: [])
        let (_, diagnostics) = Linker.link(briefing, includeDrafts: false)
        XCTAssertEqual(Diagnostics(diagnostics).sorted.map(\.description), [
            "Content/actions/x.md:4:5: error: unknown actor 'wang-junzeng' in 'by' (did you mean 'wang-junzheng'?)",
            "Content/actions/x.md:5:5: error: 'y' in 'targets' is an action, not an actor",
            "Content/actions/x.md:6:5: error: an action cannot name itself in 'responds_to'",
            "Content/actions/x.md:6:6: error: 'wang-junzheng' in 'responds_to' is an actor, not an action",
        ])
    }

    func testDraftsAreLeftOutAndReferencesToThemWarn() {
        let briefing = Briefing(site: site, actors: [actor("eu"), actor("secret", draft: true)], actions: [
            action("a", "2021-03-22", by: ["eu"], targets: ["secret"]),
            action("draft", "2021-03-22", by: ["secret"], draft: true),
        ], pages: [])
        let (graph, diagnostics) = Linker.link(briefing, includeDrafts: false)
        XCTAssertEqual(diagnostics.map(\.description), ["Content/actions/a.md:5:5: warning: 'secret' in 'targets' is a draft: it is left out of the site and shown as plain text"])
        XCTAssertEqual(graph.actors.map(\.slug), ["eu"])
        XCTAssertEqual(graph.actions.map(\.slug), ["a"])
        let (withDrafts, noWarnings) = Linker.link(briefing, includeDrafts: true)
        XCTAssertEqual(noWarnings, [])
        XCTAssertEqual(withDrafts.actions.map(\.slug), ["a", "draft"])
    }

    func testSlugsAreUniqueAcrossKinds() {
        let page = Page(slug: "eu", path: "Content/pages/eu.md", title: "EU", body: Body(markdown: "", firstLine: 3))
        let search = Page(slug: "search", path: "Content/pages/search.md", title: "S", body: Body(markdown: "", firstLine: 3))
        let briefing = Briefing(site: site, actors: [actor("eu")], actions: [], pages: [page, search])
        let (graph, diagnostics) = Linker.link(briefing, includeDrafts: false)
        XCTAssertEqual(Diagnostics(diagnostics).sorted.map(\.description), [
            "Content/pages/eu.md:1:1: error: duplicate slug 'eu': Content/actors/eu.md already uses it, and slugs are unique across actors, actions and pages",
            "Content/pages/search.md:1:1: error: the page slug 'search' is taken by the site itself: rename the file",
        ])
        XCTAssertEqual(graph.pages.map(\.slug), [])
    }
}
