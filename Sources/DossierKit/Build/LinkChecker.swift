import Foundation

/// Verifies a built site the way a reader's clicks would: every internal `href` and `src` (those
/// starting with the base path) names a file of the site, and every `#fragment` an id on that
/// page. Used by `dossier check --links` on a build into a temporary folder.
public enum LinkChecker {
    /// Builds the briefing of `options` into a temporary folder, once, and reports, as errors,
    /// every internal link or anchor of the built pages that leads nowhere, at the page
    /// (`Site/...`), after the build's own problems; links are checked only when it succeeded.
    public static func check(_ options: BuildOptions) -> BuildReport {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var buildOptions = options
        // Writing into the temporary folder must not turn off the checks a `dossier check` asked for.
        buildOptions.authorChecks = options.authorChecks
        buildOptions.output = temporary.appendingPathComponent("site")
        buildOptions.writes = true
        var report = Builder(options: buildOptions).run()
        guard report.succeeded else { return report }
        for problem in brokenLinks(in: buildOptions.output, basePath: report.basePath ?? "/") {
            report.diagnostics.error("broken link '\(problem.link)': \(problem.reason)", at: SourceLocation(path: "Site/" + problem.page))
        }
        return report
    }

    /// `check`'s problems alone.
    public static func verify(_ options: BuildOptions) -> Diagnostics {
        check(options).diagnostics
    }

    /// One problem per broken link, by page.
    public static func brokenLinks(in folder: URL, basePath: String) -> [(page: String, link: String, reason: String)] {
        let files = htmlFiles(folder)
        var idsByPage: [String: Set<String>] = [:]
        for (path, text) in files where path.hasSuffix(".html") { idsByPage[path] = Set(attributeValues(in: text, names: ["id"])) }
        var broken: [(page: String, link: String, reason: String)] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) where path.hasSuffix(".html") {
            for link in attributeValues(in: text, names: ["href", "src"]) where link.hasPrefix("/") || link.hasPrefix("#") {
                var target: String, fragment: String?
                if link.hasPrefix("#") {
                    target = path
                    fragment = String(link.dropFirst())
                } else {
                    guard link.hasPrefix(basePath) else { broken.append((path, link, "outside the base path \(basePath)")); continue }
                    var rest = String(link.dropFirst(basePath.count))
                    if let hash = rest.firstIndex(of: "#") {
                        fragment = String(rest[rest.index(after: hash)...])
                        rest = String(rest[..<hash])
                    }
                    if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
                    rest = rest.removingPercentEncoding ?? rest
                    target = rest.isEmpty || rest.hasSuffix("/") ? rest + "index.html" : rest
                }
                guard files[target] != nil || FileManager.default.fileExists(atPath: folder.appendingPathComponent(target).path) else {
                    broken.append((path, link, "no such file in the site"))
                    continue
                }
                if let fragment, !fragment.isEmpty, idsByPage[target]?.contains(fragment) != true {
                    broken.append((path, link, "no element with id '\(fragment)' on that page"))
                }
            }
        }
        return broken
    }

    /// The values of the named attributes, HTML entities for `&` decoded. A scan rather than a
    /// parser: the site's own markup always quotes attributes with double quotes.
    static func attributeValues(in html: String, names: [String]) -> [String] {
        var values: [String] = []
        for name in names {
            var rest = html[...]
            let needle = " \(name)=\""
            while let range = rest.range(of: needle) {
                rest = rest[range.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                values.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = rest[end...]
            }
        }
        return values
    }

    /// The HTML files of a folder as relative path -> text.
    static func htmlFiles(_ folder: URL) -> [String: String] {
        var files: [String: String] = [:]
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return files }
        for case let path as String in enumerator where path.hasSuffix(".html") {
            if let data = FileManager.default.contents(atPath: base + "/" + path) { files[path] = String(decoding: data, as: UTF8.self) }
        }
        return files
    }
}
