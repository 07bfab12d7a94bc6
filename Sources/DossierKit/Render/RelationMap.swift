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

    static func neighbours(of slug: String, graph: BriefingGraph) -> [Neighbour] {
        var found: [String: Neighbour] = [:]
        func add(_ other: String, _ update: (inout Neighbour) -> Void) {
            guard other != slug, let actor = graph.actor(other) else { return }
            var neighbour = found[other] ?? Neighbour(slug: other, name: actor.name)
            update(&neighbour)
            found[other] = neighbour
        }
        let roles = graph.actionsOfActor[slug] ?? [:]
        for index in roles[.by] ?? [] {
            let action = graph.actions[index]
            for target in PageModels.uniqueSlugs(action.targets) { add(target) { $0.outgoing += 1 } }
            for other in PageModels.uniqueSlugs(action.involves) { add(other) { $0.together += 1 } }
        }
        for index in roles[.targets] ?? [] {
            for actor in PageModels.uniqueSlugs(graph.actions[index].by) { add(actor) { $0.incoming += 1 } }
        }
        for index in roles[.involves] ?? [] {
            for actor in PageModels.uniqueSlugs(graph.actions[index].by) { add(actor) { $0.together += 1 } }
        }
        return found.values.sorted { $0.slug < $1.slug }
    }

    /// The `<figure>`, or nil when the actor has no published neighbour.
    public static func html(for actor: Actor, graph: BriefingGraph, urls: SiteURLs) -> String? {
        let all = neighbours(of: actor.slug, graph: graph)
        guard !all.isEmpty else { return nil }
        let drawn = Array(all.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.slug < $1.slug }.prefix(maxNodes)).sorted { $0.slug < $1.slug }
        let width = 720.0, height = drawn.count <= 4 ? 320.0 : 460.0
        let cx = width / 2, cy = height / 2
        let radius = drawn.count <= 4 ? 110.0 : 170.0
        let out = "#b2182b", into = "#2166ac", with = "#737373"

        let actedOn = all.filter { $0.outgoing > 0 }.map(\.name)
        let actedBy = all.filter { $0.incoming > 0 }.map(\.name)
        let together = all.filter { $0.together > 0 }.map(\.name)
        var sentences: [String] = []
        if !actedOn.isEmpty { sentences.append("\(actor.name) acted on \(actedOn.joined(separator: ", ")).") }
        if !actedBy.isEmpty { sentences.append("\(actor.name) was acted on by \(actedBy.joined(separator: ", ")).") }
        if !together.isEmpty { sentences.append("It took part in actions with \(together.joined(separator: ", ")).") }
        if all.count > drawn.count { sentences.append("The map shows the \(drawn.count) most connected of \(all.count) actors.") }
        let description = sentences.joined(separator: " ")

        var svg = "<svg class=\"relation-map-svg\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\">"
        svg += "<title>\(SVG.text("Relationship map of \(actor.name)"))</title>"
        svg += "<desc>\(SVG.text(description))</desc>"
        let nodeRadius = 7.0, centerRadius = 12.0
        var positions: [(Double, Double, Double)] = []
        for index in drawn.indices {
            let angle = 2 * Double.pi * Double(index) / Double(drawn.count) - Double.pi / 2
            positions.append((cx + radius * cos(angle), cy + radius * sin(angle), angle))
        }
        // Edges first, so nodes and labels sit on top of them.
        for (neighbour, (x, y, angle)) in zip(drawn, positions) {
            // Two directions between the same pair bend to opposite sides, so both stay visible.
            func arc(from start: (Double, Double), to end: (Double, Double), startGap: Double, endGap: Double, bend: Double, color: String, dashed: Bool, arrow: Bool) {
                let dx = end.0 - start.0, dy = end.1 - start.1
                let length = max(1, (dx * dx + dy * dy).squareRoot())
                let ux = dx / length, uy = dy / length
                let s = (start.0 + ux * startGap, start.1 + uy * startGap), e = (end.0 - ux * endGap, end.1 - uy * endGap)
                let control = ((s.0 + e.0) / 2 - uy * bend, (s.1 + e.1) / 2 + ux * bend)
                svg += "<path d=\"M\(SVG.number(s.0)),\(SVG.number(s.1)) Q\(SVG.number(control.0)),\(SVG.number(control.1)) \(SVG.number(e.0)),\(SVG.number(e.1))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
                if arrow { svg += SVG.arrowhead(x: e.0, y: e.1, angle: atan2(e.1 - control.1, e.0 - control.0), fill: color) }
            }
            if neighbour.outgoing > 0 { arc(from: (cx, cy), to: (x, y), startGap: centerRadius + 2, endGap: nodeRadius + 2, bend: 14, color: out, dashed: false, arrow: true) }
            if neighbour.incoming > 0 { arc(from: (x, y), to: (cx, cy), startGap: nodeRadius + 2, endGap: centerRadius + 2, bend: 14, color: into, dashed: false, arrow: true) }
            if neighbour.together > 0, neighbour.outgoing + neighbour.incoming == 0 {
                arc(from: (cx, cy), to: (x, y), startGap: centerRadius + 2, endGap: nodeRadius + 2, bend: 0, color: with, dashed: true, arrow: false)
            }
        }
        for (neighbour, (x, y, angle)) in zip(drawn, positions) {
            let labelX = x + 12 * cos(angle), labelY = y + 12 * sin(angle) + 4
            let anchor = abs(cos(angle)) < 0.2 ? "middle" : (cos(angle) > 0 ? "start" : "end")
            let dy = abs(cos(angle)) < 0.2 ? (sin(angle) > 0 ? 10.0 : -6.0) : 0
            svg += "<a href=\"\(SVG.text(urls.actor(neighbour.slug)))\"><circle cx=\"\(SVG.number(x))\" cy=\"\(SVG.number(y))\" r=\"\(SVG.number(nodeRadius))\" fill=\"#ffffff\" stroke=\"#404040\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(SVG.number(labelX))\" y=\"\(SVG.number(labelY + dy))\" text-anchor=\"\(anchor)\" font-size=\"13\" fill=\"currentColor\">\(SVG.text(SVG.truncate(neighbour.name, to: 30)))</text></a>"
        }
        svg += "<a href=\"\(SVG.text(urls.actor(actor.slug)))\"><circle cx=\"\(SVG.number(cx))\" cy=\"\(SVG.number(cy))\" r=\"\(SVG.number(centerRadius))\" fill=\"#404040\" stroke=\"#404040\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(SVG.number(cx))\" y=\"\(SVG.number(cy + centerRadius + 16))\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"currentColor\">\(SVG.text(SVG.truncate(actor.name, to: 34)))</text></a>"
        svg += "</svg>"

        var figure = "<figure class=\"relation-map chart\">\n" + svg + "\n<figcaption>"
        figure += "<span class=\"legend\"><span class=\"key key-out\">→ acted on</span> <span class=\"key key-in\">← acted on by</span>"
        if !together.isEmpty { figure += " <span class=\"key key-with\">- - took part together</span>" }
        figure += "</span> " + SVG.text(description) + "</figcaption>\n</figure>"
        return figure
    }
}
