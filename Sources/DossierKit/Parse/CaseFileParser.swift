/// Turns raw case files into actors, actions and pages, one file at a time, with every problem
/// of each file reported. A file whose required values cannot be read yields no model.
public enum CaseFileParser {
    static let actorKeys = ["name", "type", "aliases", "country", "roles", "summary", "tags", "draft", "updated", "extra"]
    static let actionKeys = ["title", "date", "type", "by", "targets", "involves", "measures", "legal_basis", "status",
                             "ends", "responds_to", "related", "sources", "summary", "tags", "draft", "updated", "extra"]
    static let pageKeys = ["title", "summary", "draft", "updated", "extra"]
    static let sourceKeys = ["title", "url", "publisher", "date"]

    public static func parseActor(_ file: SourceFile) -> (Actor?, [Diagnostic]) {
        parse(file, what: "front matter") { fields, body in
            fields.rejectUnknownKeys(allowed: actorKeys)
            let name = fields.string("name", required: true)
            let type = fields.choice("type", as: ActorType.self, what: "actor type", required: true)
            let aliases = fields.stringList("aliases")
            let country = fields.string("country")
            let roles = fields.stringList("roles")
            let summary = fields.string("summary")
            let tags = fields.stringList("tags")
            let draft = fields.bool("draft") ?? false
            let updated = fields.date("updated")
            let extra = fields.extra()
            guard let name, let type else { return nil }
            return Actor(slug: file.slug, path: file.path, name: name, type: type, aliases: aliases, country: country, roles: roles,
                        summary: summary, tags: tags, draft: draft, updated: updated, extra: extra, body: body)
        }
    }

    public static func parseAction(_ file: SourceFile) -> (Action?, [Diagnostic]) {
        parse(file, what: "front matter") { fields, body in
            fields.rejectUnknownKeys(allowed: actionKeys)
            let title = fields.string("title", required: true)
            let date = fields.date("date", required: true)
            let type = fields.choice("type", as: ActionType.self, what: "action type", required: true)
            let by = fields.references("by")
            if let node = fields.valueNode("by"), !YAMLMapping.isNull(node) {
                if by.isEmpty { fields.report(.error("'by' needs at least one actor", at: fields.location(of: node))) }
            } else {
                fields.missing("by")
            }
            let targets = fields.references("targets")
            let involves = fields.references("involves")
            let measures = fields.stringList("measures")
            let legalBasis = fields.stringList("legal_basis")
            let status = fields.choice("status", as: ActionStatus.self, what: "status")
            let ends = fields.date("ends")
            let respondsTo = fields.references("responds_to")
            let related = fields.references("related")
            let sources = parseSources(&fields)
            let summary = fields.string("summary")
            let tags = fields.stringList("tags")
            let draft = fields.bool("draft") ?? false
            let updated = fields.date("updated")
            let extra = fields.extra()
            guard let title, let date, let type else { return nil }
            return Action(slug: file.slug, path: file.path, title: title, date: date, type: type, by: by, targets: targets, involves: involves,
                         measures: measures, legalBasis: legalBasis, status: status, ends: ends, respondsTo: respondsTo, related: related,
                         sources: sources, summary: summary, tags: tags, draft: draft, updated: updated, extra: extra, body: body)
        }
    }

    public static func parsePage(_ file: SourceFile) -> (Page?, [Diagnostic]) {
        parse(file, what: "front matter") { fields, body in
            fields.rejectUnknownKeys(allowed: pageKeys)
            let title = fields.string("title", required: true)
            let summary = fields.string("summary")
            let draft = fields.bool("draft") ?? false
            let updated = fields.date("updated")
            let extra = fields.extra()
            guard let title else { return nil }
            var page = Page(slug: file.slug, path: file.path, title: title, body: body)
            page.summary = summary
            page.draft = draft
            page.updated = updated
            page.extra = extra
            return page
        }
    }

    /// Decodes, splits and reads one case file; `build` reads the typed fields and returns nil
    /// when a required value cannot be read.
    private static func parse<Model>(
        _ file: SourceFile, what: String,
        _ build: (inout YAMLMapping, Body) -> Model?
    ) -> (Model?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        if !Slug.isValid(file.slug) {
            diagnostics.append(.error("invalid file name '\(file.slug).md': a slug is lower-case letters and digits in words joined by single hyphens, like 'wang-junzheng'", at: SourceLocation(path: file.path)))
        }
        let text: String
        switch TextDecoding.decode(file) {
        case .success(let decoded): text = decoded
        case .failure(let diagnostic): return (nil, diagnostics + [diagnostic])
        }
        let frontMatter: FrontMatter
        switch FrontMatter.split(text, path: file.path) {
        case .success(let split): frontMatter = split
        case .failure(let diagnostic): return (nil, diagnostics + [diagnostic])
        }
        var fields: YAMLMapping
        switch YAMLMapping.parse(frontMatter.yaml, path: file.path, firstLine: frontMatter.yamlFirstLine, what: "the front matter") {
        case .success(let mapping): fields = mapping
        case .failure(let diagnostic): return (nil, diagnostics + [diagnostic])
        }
        let model = build(&fields, frontMatter.body)
        diagnostics += fields.diagnostics
        // A file with errors in optional values still yields its model, so that its references
        // are checked in the same run; the errors alone keep the build from writing anything.
        return (Slug.isValid(file.slug) ? model : nil, diagnostics)
    }

    private static func parseSources(_ fields: inout YAMLMapping) -> [SourceCitation] {
        var sources: [SourceCitation] = []
        for node in fields.listNodes("sources") {
            guard node.mapping != nil else {
                fields.report(.error("each entry of 'sources' must be a mapping with 'title' and optionally 'url', 'publisher', 'date'", at: fields.location(of: node)))
                continue
            }
            var source = YAMLMapping(path: fields.path, lineOffset: fields.lineOffset, node: node)
            source.rejectUnknownKeys(allowed: sourceKeys, hint: "a source has 'title', 'url', 'publisher' and 'date'")
            let title = source.string("title", required: true)
            let url = source.string("url")
            if let url, let problem = URLPolicy.problem(withSourceURL: url) {
                source.report(.error("invalid source URL '\(url)': \(problem)", at: source.location(of: source.valueNode("url")!)))
            }
            let publisher = source.string("publisher")
            let date = source.date("date")
            for diagnostic in source.diagnostics { fields.report(diagnostic) }
            if let title {
                sources.append(SourceCitation(title: title, url: url, publisher: publisher, date: date))
            }
        }
        return sources
    }
}
