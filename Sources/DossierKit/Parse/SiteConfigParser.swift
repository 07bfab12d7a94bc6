/// Reads `Content/site.yml`.
public enum SiteConfigParser {
    static let keys = ["title", "base_url", "description", "language", "author", "unsafe_html", "extra"]

    public static func parse(_ file: SourceFile) -> (SiteConfig?, [Diagnostic]) {
        let text: String
        switch TextDecoding.decode(file) {
        case .success(let decoded): text = decoded
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        var fields: YAMLMapping
        switch YAMLMapping.parse(text, path: file.path, firstLine: 1, what: "site.yml") {
        case .success(let mapping): fields = mapping
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        fields.rejectUnknownKeys(allowed: keys)
        let title = fields.string("title", required: true)
        var baseURL = fields.string("base_url", required: true)
        if let url = baseURL, BaseURL.path(of: url) == nil {
            fields.report(.error("'base_url' must be an absolute http or https URL, like https://example.org/briefing/", at: fields.location(of: fields.valueNode("base_url")!)))
            baseURL = nil
        }
        let description = fields.string("description")
        let language = fields.string("language")
        if let language, !isLanguageTag(language) {
            fields.report(.error("'language' must be a BCP 47 language tag, like 'en' or 'pt-BR'", at: fields.location(of: fields.valueNode("language")!)))
        }
        let author = fields.string("author")
        let unsafeHTML = fields.bool("unsafe_html") ?? false
        let extra = fields.extra()
        guard let title, let baseURL, !fields.diagnostics.contains(where: { $0.severity == .error }) else {
            return (nil, fields.diagnostics)
        }
        var site = SiteConfig(title: title, baseURL: baseURL)
        site.description = description
        site.language = language ?? "en"
        site.author = author
        site.unsafeHTML = unsafeHTML
        site.extra = extra
        return (site, fields.diagnostics)
    }

    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// The published address of a site and the path every internal link starts with.
public enum BaseURL {
    /// `/xinjiang/` for `https://example.org/xinjiang`, `/` for `https://example.org`; nil unless
    /// the URL is absolute http(s) with a host.
    public static func path(of url: String) -> String? {
        guard let scheme = URLPolicy.scheme(of: url), ["http", "https"].contains(scheme.lowercased()) else { return nil }
        let rest = url.dropFirst(scheme.count + 1)
        guard rest.hasPrefix("//") else { return nil }
        let afterSlashes = rest.dropFirst(2)
        let hostEnd = afterSlashes.firstIndex(where: { "/?#".contains($0) }) ?? afterSlashes.endIndex
        guard hostEnd > afterSlashes.startIndex else { return nil }
        var path = String(afterSlashes[hostEnd...])
        if let cut = path.firstIndex(where: { "?#".contains($0) }) { path = String(path[..<cut]) }
        guard !path.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return nil }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// `https://example.org` from `https://example.org/xinjiang/`.
    public static func origin(of url: String) -> String {
        guard let scheme = URLPolicy.scheme(of: url) else { return "" }
        let afterSlashes = url.dropFirst(scheme.count + 3)
        let hostEnd = afterSlashes.firstIndex(where: { "/?#".contains($0) }) ?? afterSlashes.endIndex
        return String(url[..<hostEnd])
    }
}
