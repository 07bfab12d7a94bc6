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

    /// Fields are read through the graph's arrays: an action bound to a name is copied whole.
    public static func html(for action: Action, graph: BriefingGraph, urls: SiteURLs) -> String? {
        let members = members(of: action.slug, graph: graph)
        guard members.count >= 2 else { return nil }
        let row = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        let rowHeight = 40.0, top = 24.0, nodeX = 110.0
        let width = 720.0, height = top * 2 + rowHeight * Double(members.count - 1)
        func y(_ index: Int) -> Double { top + rowHeight * Double(row[index]!) }
        var words: [String] = []
        var edges: [(Int, Int)] = []
        for index in members {
            for original in graph.respondsToByIndex[index] where row[original] != nil {
                edges.append((index, original))
                words.append("\(graph.actions[index].title) (\(graph.actions[index].date.label)) responds to \(graph.actions[original].title).")
            }
        }
        let description = words.joined(separator: " ")
        var svg = SVGBytes(capacity: 1024 + 600 * members.count + 2 * description.utf8.count)
        svg.appendOpening(figure: "response-chain chart", svg: "response-chain-svg", width: width, height: height,
                          title: "Chain of responses around \(action.title)", description: description)
        // Arcs bulge left, further for rows further apart, so arcs between distant rows clear the
        // nodes in between.
        for (from, to) in edges {
            let y1 = y(from), y2 = y(to)
            let bulge = min(96, 18 + 14 * abs(Double(row[from]! - row[to]!)))
            let gap = 9.0 * (y2 > y1 ? 1 : -1)
            let start = (nodeX, y1 + gap), end = (nodeX, y2 - gap)
            let control = (nodeX - bulge, (y1 + y2) / 2)
            svg.appendCurve(from: start, control: control, to: end)
            svg.append(" fill=\"none\" stroke=\"#2166ac\" stroke-width=\"2\"/>")
            svg.appendArrowhead(x: end.0, y: end.1, angle: atan2(end.1 - control.1, end.0 - control.0), fill: "#2166ac")
        }
        for index in members {
            let current = graph.actions[index].slug == action.slug
            let color = SVG.color(of: graph.actions[index].type)
            let cy = y(index)
            svg.append("<a href=\""); svg.append(text: urls.action(graph.actions[index].slug)); svg.append("\">")
            svg.append("<circle cx=\""); svg.append(number: nodeX); svg.append("\" cy=\""); svg.append(number: cy)
            svg.append(current ? "\" r=\"8\" fill=\"" : "\" r=\"6\" fill=\""); svg.append(raw: current ? color : "#ffffff")
            svg.append("\" stroke=\""); svg.append(raw: color); svg.append("\" stroke-width=\"3\"/>")
            svg.append("<text x=\""); svg.append(number: nodeX + 18); svg.append("\" y=\""); svg.append(number: cy + 4)
            svg.append(current ? "\" font-size=\"13\" fill=\"currentColor\" font-weight=\"bold\">" : "\" font-size=\"13\" fill=\"currentColor\">")
            svg.append("<tspan font-size=\"12\">"); svg.append(text: graph.actions[index].date.description); svg.append("</tspan> ")
            svg.append(text: SVG.truncate(graph.actions[index].title, to: 70)); svg.append("</text></a>")
        }
        svg.append("</svg>")
        svg.append("\n<figcaption>"); svg.append(text: description); svg.append("</figcaption>\n</figure>")
        return svg.string
    }
}
