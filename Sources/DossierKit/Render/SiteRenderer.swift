import Foundation

/// A file of the generated site: its path below the output folder and its bytes.
public struct OutputFile: Sendable, Hashable {
    public var path: String
    public var bytes: Data

    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Data(text.utf8))
    }
}

/// Renders every body once, then every page, feed and index of the site, in parallel; returns
/// the files to write and every problem found. Writes nothing.
public enum SiteRenderer {
    public static func renderBodies(_ graph: BriefingGraph) -> ([String: RenderedMarkdown], [Diagnostic]) {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let unsafeHTML = graph.site.unsafeHTML
        let resolve: @Sendable (String) -> WikiLinkResolution = { slug in
            guard let target = graph.targets[slug] else {
                return graph.unreadableSlugs.contains(slug) ? .plainText(title: slug) : .unknown
            }
            return target.isPublished ? .link(url: urls.url(of: target), title: target.title) : .plainText(title: target.title)
        }
        let jobs: [(slug: String, path: String, body: Body)] =
            graph.actors.map { ($0.slug, $0.path, $0.body) } + graph.actions.map { ($0.slug, $0.path, $0.body) } + graph.pages.map { ($0.slug, $0.path, $0.body) }
        let results = jobs.parallelMap { job in
            MarkdownRenderer.render(job.body, path: job.path, unsafeHTML: unsafeHTML, resolve: resolve)
        }
        var bodies: [String: RenderedMarkdown] = [:]
        var diagnostics: [Diagnostic] = []
        for (job, result) in zip(jobs, results) {
            bodies[job.slug] = result.0
            diagnostics += result.1
        }
        return (bodies, diagnostics)
    }

    enum PageJob: Sendable {
        case home, actors, actions, search, notFound
        case actor(Int), action(Int), page(Int)
    }

    public static func renderSite(_ graph: BriefingGraph, bodies: [String: RenderedMarkdown], templates: TemplateRenderer, theme: Theme, contentAssets: [SourceFile]) -> ([OutputFile], [Diagnostic]) {
        let models = PageModels(graph: graph, bodies: bodies)
        var jobs: [PageJob] = [.home, .actors, .actions, .search, .notFound]
        jobs += graph.actors.indices.map(PageJob.actor) + graph.actions.indices.map(PageJob.action) + graph.pages.indices.map(PageJob.page)
        let rendered: [Result<OutputFile, Diagnostic>] = jobs.parallelMap { job in
            let (template, path, context): (String, String, [String: TemplateValue]) = switch job {
            case .home: ("home", "index.html", models.home())
            case .actors: ("actors", "actors/index.html", models.actorsList())
            case .actions: ("actions", "actions/index.html", models.actionsList())
            case .search: ("search", "search/index.html", models.search())
            case .notFound: ("404", "404.html", models.notFound())
            case .actor(let index): ("actor", "actors/\(graph.actors[index].slug)/index.html", models.actor(graph.actors[index]))
            case .action(let index): ("action", "actions/\(graph.actions[index].slug)/index.html", models.action(graph.actions[index]))
            case .page(let index): ("page", "\(graph.pages[index].slug)/index.html", models.page(graph.pages[index]))
            }
            return renderPage(template: template, context: context, templates: templates).map { OutputFile(path: path, text: $0) }
        }
        var files: [OutputFile] = []
        var diagnostics: [Diagnostic] = []
        for result in rendered {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        files.append(OutputFile(path: "search-index.json", text: SearchIndex.json(graph: graph, bodies: bodies)))
        files.append(OutputFile(path: "feed.xml", text: Feeds.atom(graph: graph, bodies: bodies)))
        files.append(OutputFile(path: "sitemap.xml", text: Feeds.sitemap(graph: graph)))

        // Theme assets first, then the briefing's own, which win on the same path.
        var assets: [String: Data] = [:]
        for asset in theme.assets { assets[asset.path] = asset.bytes }
        for asset in contentAssets { assets[String(asset.path.dropFirst("Content/assets/".count))] = asset.bytes }
        for (path, bytes) in assets.sorted(by: { $0.key < $1.key }) {
            files.append(OutputFile(path: "assets/" + path, bytes: bytes))
        }
        // One error per template and variable is enough: the same mistake shows on every page.
        return (files, Array(Set(diagnostics)))
    }

    /// The page kind's template gives the main content; the layout wraps it.
    static func renderPage(template: String, context: [String: TemplateValue], templates: TemplateRenderer) -> Result<String, Diagnostic> {
        templates.render(template, context: context).flatMap { content in
            var context = context
            context["content"] = .html(content)
            return templates.render("layout", context: context)
        }
    }
}
