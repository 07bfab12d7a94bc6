import Foundation

/// The chain of responses an action belongs to, on its page: every action linked to it through
/// `responds_to` in either direction, oldest at the top, with an arrow from each response to the
/// action it answers. Drawn at build time as inline SVG, each node a link; the caption lists the
/// chain in words.
public enum ResponseChain {
    /// A chain longer than this shows the actions nearest the page's own.
    static let maxNodes = 30

    /// Indices in `graph.actions` of the chain, oldest first (ties by slug), or fewer than two when
    /// the action stands alone.
    static func members(of slug: String, graph: BriefingGraph) -> [Int] {
        guard let start = graph.actionIndex[slug] else { return [] }
        return members(of: start, graph: graph)
    }

    /// The same for the action at `start` in `graph.actions`.
    static func members(of start: Int, graph: BriefingGraph) -> [Int] {
        // Most actions answer none and are answered by none: no set, no queue.
        if graph.respondsToByIndex[start].isEmpty && graph.responsesByIndex[start].isEmpty { return [start] }
        // By index, and fields read in place: every action page's render key walks its chain.
        // At most `maxNodes`, so the queue itself is the set of those seen.
        var queue = [start]
        var head = 0
        while head < queue.count, queue.count < maxNodes {
            let current = queue[head]
            head += 1
            for list in [graph.respondsToByIndex[current], graph.responsesByIndex[current]] {
                for next in list where !queue.contains(next) && queue.count < maxNodes {
                    queue.append(next)
                }
            }
        }
        guard queue.count > 1 else { return [start] }
        // The graph lists actions newest first, ties by slug: among actions of one day the
        // lower index has the lower slug. The dates are taken out first, so the comparison
        // reads no action.
        let dated = queue.map { (date: graph.actions[$0].date, index: $0) }
        return dated.sorted { $0.date != $1.date ? $0.date < $1.date : $0.index < $1.index }.map(\.index)
    }

    public static func html(for action: Action, graph: BriefingGraph, urls: SiteURLs) -> String? {
        let members = members(of: action.slug, graph: graph)
        guard members.count >= 2 else { return nil }
        let row = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        let rowHeight = 40.0, top = 24.0, nodeX = 110.0
        let width = 720.0, height = top * 2 + rowHeight * Double(members.count - 1)
        func y(_ index: Int) -> Double { top + rowHeight * Double(row[index]!) }
        var svg = "<svg class=\"response-chain-svg\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\">"
        svg += "<title>\(SVG.text("Chain of responses around \(action.title)"))</title>"
        var words: [String] = []
        var edges: [(Int, Int)] = []
        for index in members {
            let response = graph.actions[index]
            for original in graph.respondsTo[response.slug] ?? [] where row[original] != nil {
                edges.append((index, original))
                words.append("\(response.title) (\(response.date.label)) responds to \(graph.actions[original].title).")
            }
        }
        svg += "<desc>\(SVG.text(words.joined(separator: " ")))</desc>"
        // Arcs bulge left, further for rows further apart, so arcs between distant rows clear the
        // nodes in between.
        for (from, to) in edges {
            let y1 = y(from), y2 = y(to)
            let bulge = min(96, 18 + 14 * abs(Double(row[from]! - row[to]!)))
            let gap = 9.0 * (y2 > y1 ? 1 : -1)
            let start = (nodeX, y1 + gap), end = (nodeX, y2 - gap)
            let control = (nodeX - bulge, (y1 + y2) / 2)
            svg += "<path d=\"M\(SVG.number(start.0)),\(SVG.number(start.1)) Q\(SVG.number(control.0)),\(SVG.number(control.1)) \(SVG.number(end.0)),\(SVG.number(end.1))\" fill=\"none\" stroke=\"#2166ac\" stroke-width=\"2\"/>"
            svg += SVG.arrowhead(x: end.0, y: end.1, angle: atan2(end.1 - control.1, end.0 - control.0), fill: "#2166ac")
        }
        for index in members {
            let member = graph.actions[index]
            let current = member.slug == action.slug
            let color = SVG.color(of: member.type)
            let cy = y(index)
            svg += "<a href=\"\(SVG.text(urls.action(member.slug)))\">"
            svg += "<circle cx=\"\(SVG.number(nodeX))\" cy=\"\(SVG.number(cy))\" r=\"\(current ? 8 : 6)\" fill=\"\(current ? color : "#ffffff")\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(SVG.number(nodeX + 18))\" y=\"\(SVG.number(cy + 4))\" font-size=\"13\" fill=\"currentColor\"\(current ? " font-weight=\"bold\"" : "")>"
            svg += "<tspan font-size=\"12\">\(SVG.text(member.date.description))</tspan> \(SVG.text(SVG.truncate(member.title, to: 70)))</text></a>"
        }
        svg += "</svg>"
        return "<figure class=\"response-chain chart\">\n" + svg + "\n<figcaption>" + SVG.text(words.joined(separator: " ")) + "</figcaption>\n</figure>"
    }
}
