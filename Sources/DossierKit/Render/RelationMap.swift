import Foundation

/// The relationship map on an actor page: the actor in the middle, every actor it acted on and
/// every actor that acted on it around it, drawn at build time as inline SVG. Arrows go from who
/// acted to whom it was aimed at (red out, blue in); a dashed grey line joins actors that took
/// part together. Every node links to its actor's page. The figure caption says the same in words
/// for screen readers and for print.
public enum RelationMap {
    /// How many neighbours are drawn; the rest are named in the caption only.
    static let maxNodes = 24

    struct Neighbour {
        var slug: String
        var name: String
        var outgoing = 0
        var incoming = 0
        var together = 0
        var weight: Int { outgoing + incoming + together }
    }

    /// By actor index, which is slug order (`BriefingGraph.actors`). Fields are read through the
    /// graph's arrays, and nothing here captures the graph: an actor or action bound to a name,
    /// or the graph captured by a local function, is copied whole.
    static func neighbours(of slug: String, graph: BriefingGraph) -> [Neighbour] {
        guard let roles = graph.actionsOfActor[slug] else { return [] }
        let own = graph.actorIndex[slug]
        // Outgoing, incoming and together, by actor index.
        var counts: [Int: (Int, Int, Int)] = [:]
        func count(_ references: [Reference], in actorIndex: [String: Int], _ update: (inout (Int, Int, Int)) -> Void) {
            for other in PageModels.uniqueSlugs(references) {
                guard let index = actorIndex[other], index != own else { continue }
                update(&counts[index, default: (0, 0, 0)])
            }
        }
        for index in roles[.by] ?? [] {
            count(graph.actions[index].targets, in: graph.actorIndex) { $0.0 += 1 }
            count(graph.actions[index].involves, in: graph.actorIndex) { $0.2 += 1 }
        }
        for index in roles[.targets] ?? [] { count(graph.actions[index].by, in: graph.actorIndex) { $0.1 += 1 } }
        for index in roles[.involves] ?? [] { count(graph.actions[index].by, in: graph.actorIndex) { $0.2 += 1 } }
        return counts.keys.sorted().map { index in
            let (outgoing, incoming, together) = counts[index]!
            return Neighbour(slug: graph.actors[index].slug, name: graph.actors[index].name, outgoing: outgoing, incoming: incoming, together: together)
        }
    }

    /// The `<figure>`, or nil when the actor has no published neighbour.
    public static func html(for actor: Actor, graph: BriefingGraph, urls: SiteURLs) -> String? {
        let all = neighbours(of: actor.slug, graph: graph)
        guard !all.isEmpty else { return nil }
        let drawn = Array(all.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.slug < $1.slug }.prefix(maxNodes)).sorted { $0.slug < $1.slug }
        let width = 720.0, height = drawn.count <= 4 ? 320.0 : 460.0
        let cx = width / 2, cy = height / 2
        let radius = drawn.count <= 4 ? 110.0 : 170.0

        let actedOn = all.filter { $0.outgoing > 0 }.map(\.name)
        let actedBy = all.filter { $0.incoming > 0 }.map(\.name)
        let together = all.filter { $0.together > 0 }.map(\.name)
        var sentences: [String] = []
        if !actedOn.isEmpty { sentences.append("\(actor.name) acted on \(actedOn.joined(separator: ", ")).") }
        if !actedBy.isEmpty { sentences.append("\(actor.name) was acted on by \(actedBy.joined(separator: ", ")).") }
        if !together.isEmpty { sentences.append("It took part in actions with \(together.joined(separator: ", ")).") }
        if all.count > drawn.count { sentences.append("The map shows the \(drawn.count) most connected of \(all.count) actors.") }
        let description = sentences.joined(separator: " ")

        var svg = SVGBytes(capacity: 2048 + 700 * drawn.count + 2 * description.utf8.count)
        svg.appendOpening(figure: "relation-map chart", svg: "relation-map-svg", width: width, height: height,
                          title: "Relationship map of \(actor.name)", description: description)
        let nodeRadius = 7.0, centerRadius = 12.0
        var positions: [(Double, Double, Double)] = []
        for index in drawn.indices {
            let angle = 2 * Double.pi * Double(index) / Double(drawn.count) - Double.pi / 2
            positions.append((cx + radius * cos(angle), cy + radius * sin(angle), angle))
        }
        // Edges first, so nodes and labels sit on top of them.
        for (neighbour, (x, y, _)) in zip(drawn, positions) {
            // Two directions between the same pair bend to opposite sides, so both stay visible.
            func arc(from start: (Double, Double), to end: (Double, Double), startGap: Double, endGap: Double, bend: Double, color: StaticString, dashed: Bool, arrow: Bool) {
                let dx = end.0 - start.0, dy = end.1 - start.1
                let length = max(1, (dx * dx + dy * dy).squareRoot())
                let ux = dx / length, uy = dy / length
                let s = (start.0 + ux * startGap, start.1 + uy * startGap), e = (end.0 - ux * endGap, end.1 - uy * endGap)
                let control = ((s.0 + e.0) / 2 - uy * bend, (s.1 + e.1) / 2 + ux * bend)
                svg.appendCurve(from: s, control: control, to: e)
                svg.append(" fill=\"none\" stroke=\""); svg.append(color); svg.append("\" stroke-width=\"2\"")
                if dashed { svg.append(" stroke-dasharray=\"5 4\"") }
                svg.append("/>")
                if arrow { svg.appendArrowhead(x: e.0, y: e.1, angle: atan2(e.1 - control.1, e.0 - control.0), fill: color) }
            }
            if neighbour.outgoing > 0 { arc(from: (cx, cy), to: (x, y), startGap: centerRadius + 2, endGap: nodeRadius + 2, bend: 14, color: "#b2182b", dashed: false, arrow: true) }
            if neighbour.incoming > 0 { arc(from: (x, y), to: (cx, cy), startGap: nodeRadius + 2, endGap: centerRadius + 2, bend: 14, color: "#2166ac", dashed: false, arrow: true) }
            if neighbour.together > 0, neighbour.outgoing + neighbour.incoming == 0 {
                arc(from: (cx, cy), to: (x, y), startGap: centerRadius + 2, endGap: nodeRadius + 2, bend: 0, color: "#737373", dashed: true, arrow: false)
            }
        }
        for (neighbour, (x, y, angle)) in zip(drawn, positions) {
            let labelX = x + 12 * cos(angle), labelY = y + 12 * sin(angle) + 4
            let anchor: StaticString = abs(cos(angle)) < 0.2 ? "middle" : (cos(angle) > 0 ? "start" : "end")
            let dy = abs(cos(angle)) < 0.2 ? (sin(angle) > 0 ? 10.0 : -6.0) : 0
            svg.append("<a href=\""); svg.append(text: urls.actor(neighbour.slug)); svg.append("\"><circle cx=\""); svg.append(number: x)
            svg.append("\" cy=\""); svg.append(number: y); svg.append("\" r=\""); svg.append(number: nodeRadius)
            svg.append("\" fill=\"#ffffff\" stroke=\"#404040\" stroke-width=\"2\"/>")
            svg.append("<text x=\""); svg.append(number: labelX); svg.append("\" y=\""); svg.append(number: labelY + dy)
            svg.append("\" text-anchor=\""); svg.append(anchor); svg.append("\" font-size=\"13\" fill=\"currentColor\">")
            svg.append(text: SVG.truncate(neighbour.name, to: 30)); svg.append("</text></a>")
        }
        svg.append("<a href=\""); svg.append(text: urls.actor(actor.slug)); svg.append("\"><circle cx=\""); svg.append(number: cx)
        svg.append("\" cy=\""); svg.append(number: cy); svg.append("\" r=\""); svg.append(number: centerRadius)
        svg.append("\" fill=\"#404040\" stroke=\"#404040\" stroke-width=\"2\"/>")
        svg.append("<text x=\""); svg.append(number: cx); svg.append("\" y=\""); svg.append(number: cy + centerRadius + 16)
        svg.append("\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"currentColor\">")
        svg.append(text: SVG.truncate(actor.name, to: 34)); svg.append("</text></a>")
        svg.append("</svg>")

        svg.append("\n<figcaption>")
        svg.append("<span class=\"legend\"><span class=\"key key-out\">→ acted on</span> <span class=\"key key-in\">← acted on by</span>")
        if !together.isEmpty { svg.append(" <span class=\"key key-with\">- - took part together</span>") }
        svg.append("</span> "); svg.append(text: description); svg.append("</figcaption>\n</figure>")
        return svg.string
    }
}
