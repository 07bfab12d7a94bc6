import DossierKit
import Foundation

/// The entry points the coverage-guided fuzzer drives, shared with the test that replays the
/// corpus it grew: each takes arbitrary bytes and must return without crashing, hanging or
/// blowing up memory, whatever the bytes are.
public enum FuzzTargets {
    public static let names = ["front-matter", "references", "wiki-links"]

    public static func run(_ name: String, _ data: Data) {
        switch name {
        case "front-matter": frontMatter(data)
        case "references": references(data)
        case "wiki-links": wikiLinks(data)
        default: preconditionFailure("unknown fuzz target \(name)")
        }
    }

    /// The front matter reader: every case-file kind and site.yml over the same bytes.
    public static func frontMatter(_ data: Data) {
        _ = CaseFileParser.parseActor(SourceFile(path: "Content/actors/fuzz.md", bytes: data))
        _ = CaseFileParser.parseAction(SourceFile(path: "Content/actions/fuzz.md", bytes: data))
        _ = CaseFileParser.parsePage(SourceFile(path: "Content/pages/fuzz.md", bytes: data))
        _ = SiteConfigParser.parse(SourceFile(path: "Content/site.yml", bytes: data))
    }

    /// The reference resolver: the bytes as an action's case file, linked into a small briefing
    /// with actors, actions, a page and drafts, with and without drafts published.
    public static func references(_ data: Data) {
        guard let action = CaseFileParser.parseAction(SourceFile(path: "Content/actions/fuzz.md", bytes: data)).0 else { return }
        for includeDrafts in [false, true] {
            let (graph, _) = Linker.link(briefing(with: action), includeDrafts: includeDrafts)
            _ = SearchIndex.json(graph: graph, bodies: [:])
            _ = Feeds.sitemap(graph: graph)
        }
    }

    /// The `[[slug]]` pass: the bytes as a Markdown body, rendered safe and unsafe.
    public static func wikiLinks(_ data: Data) {
        let markdown = String(decoding: data, as: UTF8.self)
        for unsafeHTML in [false, true] {
            _ = MarkdownRenderer.render(Body(markdown: markdown, firstLine: 5), path: "Content/actions/fuzz.md", unsafeHTML: unsafeHTML) { slug in
                switch slug {
                case "zhu-hailun": .link(url: "/b/actors/zhu-hailun/", title: "Zhu Hailun")
                case "draft": .plainText(title: "Draft")
                default: .unknown
                }
            }
        }
    }

    static func briefing(with action: Action) -> Briefing {
        func actor(_ slug: String, draft: Bool = false) -> Actor {
            var actor = Actor(slug: slug, path: "Content/actors/\(slug).md", name: slug, type: .person, body: Body(markdown: "", firstLine: 4))
            actor.draft = draft
            return actor
        }
        func other(_ slug: String, draft: Bool = false) -> Action {
            var other = Action(slug: slug, path: "Content/actions/\(slug).md", title: slug, date: DayDate(year: 2021, month: 3, day: 22)!, type: .sanction, body: Body(markdown: "", firstLine: 6))
            other.by = [Reference("eu", at: SourceLocation(path: other.path, line: 5))]
            other.draft = draft
            return other
        }
        let site = SiteConfig(title: "Fuzz", baseURL: "https://example.org/fuzz/")
        let page = Page(slug: "about", path: "Content/pages/about.md", title: "About", body: Body(markdown: "", firstLine: 3))
        return Briefing(site: site, actors: [actor("eu"), actor("zhu-hailun"), actor("secret", draft: true)],
                        actions: [action, other("eu-sanctions"), other("draft-action", draft: true)], pages: [page])
    }
}
