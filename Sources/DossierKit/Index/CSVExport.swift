/// `actors.csv` and `actions.csv`: the whole briefing as two tables for spreadsheets.
///
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote, CR or LF,
/// quotes doubled. A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR
/// as a formula, so such a cell gets a leading `'` (OWASP's advice against CSV injection). Lists
/// are joined with `; `.
public enum CSVExport {
    public static let actorColumns = ["slug", "name", "type", "aliases", "country", "roles", "tags", "summary", "updated", "url"]
    public static let actionColumns = ["slug", "title", "date", "type", "status", "ends", "by", "targets", "involves", "measures",
                                       "legal_basis", "tags", "responds_to", "related", "summary", "sources", "updated", "url"]
    static let listSeparator = "; "

    public static func actors(_ graph: BriefingGraph) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        return table(actorColumns, graph.actors.count) { index in
            let actor = graph.actors[index]
            return [actor.slug, actor.name, actor.type.rawValue, list(actor.aliases), actor.country ?? "", list(actor.roles), list(actor.tags),
             actor.summary ?? "", actor.updated?.description ?? "", urls.absolute(urls.actor(actor.slug))]
        }
    }

    public static func actions(_ graph: BriefingGraph) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        @Sendable func slugs(_ indices: [Int]?) -> String { list((indices ?? []).map { graph.actions[$0].slug }) }
        return table(actionColumns, graph.actions.count) { index in
            let action = graph.actions[index]
            return [action.slug, action.title, action.date.description, action.type.rawValue, action.status?.rawValue ?? "", action.ends?.description ?? "",
             list(PageModels.uniqueSlugs(action.by)), list(PageModels.uniqueSlugs(action.targets)), list(PageModels.uniqueSlugs(action.involves)),
             list(action.measures), list(action.legalBasis), list(action.tags), slugs(graph.respondsTo[action.slug]), slugs(graph.related[action.slug]),
             action.summary ?? "", list(action.sources.compactMap(\.url)), action.updated?.description ?? "", urls.absolute(urls.action(action.slug))]
        }
    }

    static func list(_ values: [String]) -> String { values.joined(separator: listSeparator) }

    /// The header and `count` rows, made on every core: `actions.csv` is one job of a few
    /// hundred milliseconds at 10,000 actions.
    static func table(_ header: [String], _ count: Int, row: @Sendable (Int) -> [String]) -> String {
        let line: @Sendable ([String]) -> String = { fields in fields.map(cell).joined(separator: ",") + "\r\n" }
        return line(header) + Array(0..<count).parallelMap { line(row($0)) }.joined()
    }

    /// One field, neutralized against formulas, then quoted if it must be: when a byte of it is
    /// a comma, quote, CR or LF (a comma with a combining accent is still a comma to a CSV
    /// reader, which reads bytes).
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
