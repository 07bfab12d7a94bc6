import Foundation

/// Actions per month, stacked by type, for the timeline: inline SVG drawn at build time, with
/// the same numbers in a table beside it for screen readers and anyone who wants the figures.
/// Every month from the first action's to the last's is a bar, so gaps show; a briefing spanning
/// more than six years is counted by year instead, to keep bars readable.
public enum ActivityChart {
    struct Bin {
        var label: String
        var shortLabel: String
        var counts: [ActionType: Int] = [:]
        var total: Int { counts.values.reduce(0, +) }
    }

    static func bins(_ actions: [Action]) -> (bins: [Bin], byYear: Bool) {
        guard let first = actions.map(\.date).min(), let last = actions.map(\.date).max() else { return ([], false) }
        let months = (last.year - first.year) * 12 + last.month - first.month + 1
        let byYear = months > 72
        var bins: [Bin] = []
        if byYear {
            for year in first.year...last.year { bins.append(Bin(label: String(year), shortLabel: String(year))) }
        } else {
            for offset in 0..<months {
                let month = (first.month - 1 + offset) % 12 + 1, year = first.year + (first.month - 1 + offset) / 12
                bins.append(Bin(label: "\(DayDate.monthNames[month - 1]) \(year)", shortLabel: String(DayDate.monthNames[month - 1].prefix(3)) + (month == 1 || offset == 0 ? " \(year)" : "")))
            }
        }
        for action in actions {
            let index = byYear ? action.date.year - first.year : (action.date.year - first.year) * 12 + action.date.month - first.month
            bins[index].counts[action.type, default: 0] += 1
        }
        return (bins, byYear)
    }

    public static func html(_ actions: [Action]) -> String? {
        let (bins, byYear) = bins(actions)
        guard !bins.isEmpty else { return nil }
        let types = ActionType.allCases.filter { type in actions.contains { $0.type == type } }
        let maxTotal = max(1, bins.map(\.total).max() ?? 1)
        let left = 36.0, plotHeight = 150.0, bottom = 44.0
        let barWidth = bins.count <= 24 ? 22.0 : 10.0, gap = bins.count <= 24 ? 8.0 : 3.0
        let width = max(480, left + Double(bins.count) * (barWidth + gap) + 16)
        // The legend wraps onto as many rows as the width needs; the plot starts below it.
        var legend: [(ActionType, Double, Double)] = []
        var legendX = left, legendY = 8.0
        for type in types {
            let itemWidth = 24 + Double(type.label.count) * 7
            if legendX + itemWidth > width - 8, legendX > left {
                legendX = left
                legendY += 18
            }
            legend.append((type, legendX, legendY))
            legendX += itemWidth
        }
        let top = legendY + 32, height = top + plotHeight + bottom
        let unit = byYear ? "year" : "month"
        var svg = "<svg class=\"activity-chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\">"
        svg += "<title>Actions per \(unit), by type</title>"
        let busiest = bins.filter { $0.total == maxTotal }.map(\.label)
        let description = "\(actions.count) actions from \(bins.first!.label) to \(bins.last!.label); most in \(busiest.joined(separator: ", ")) (\(maxTotal))."
        svg += "<desc>\(SVG.text(description))</desc>"
        for (type, x, y) in legend {
            svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"12\" height=\"12\" fill=\"\(SVG.color(of: type))\"/>"
            svg += "<text x=\"\(SVG.number(x + 16))\" y=\"\(SVG.number(y + 10))\" font-size=\"12\" fill=\"currentColor\">\(SVG.text(type.label))</text>"
        }
        // Axis and gridlines at round counts.
        let step = max(1, Int((Double(maxTotal) / 4).rounded(.up)))
        var tick = 0
        while tick <= maxTotal {
            let y = top + plotHeight - plotHeight * Double(tick) / Double(maxTotal)
            svg += "<line x1=\"\(SVG.number(left))\" y1=\"\(SVG.number(y))\" x2=\"\(SVG.number(width - 8))\" y2=\"\(SVG.number(y))\" stroke=\"#bdbdbd\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(SVG.number(left - 6))\" y=\"\(SVG.number(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\">\(tick)</text>"
            tick += step
        }
        for (index, bin) in bins.enumerated() {
            let x = left + 6 + Double(index) * (barWidth + gap)
            var base = top + plotHeight
            for type in types {
                guard let count = bin.counts[type], count > 0 else { continue }
                let barHeight = plotHeight * Double(count) / Double(maxTotal)
                base -= barHeight
                svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(base))\" width=\"\(SVG.number(barWidth))\" height=\"\(SVG.number(barHeight))\" fill=\"\(SVG.color(of: type))\"><title>\(SVG.text("\(bin.label): \(count) \(type.label.lowercased())"))</title></rect>"
            }
            if bins.count <= 24 || index % 6 == 0 || index == bins.count - 1 {
                let labelX = x + barWidth / 2, labelY = top + plotHeight + 14
                svg += "<text x=\"\(SVG.number(labelX))\" y=\"\(SVG.number(labelY))\" text-anchor=\"end\" font-size=\"10\" fill=\"currentColor\" transform=\"rotate(-40 \(SVG.number(labelX)) \(SVG.number(labelY)))\">\(SVG.text(bin.shortLabel))</text>"
            }
        }
        svg += "</svg>"

        var table = "<details class=\"chart-data\">\n<summary>The figures, as a table</summary>\n<table>\n<thead><tr><th scope=\"col\">\(byYear ? "Year" : "Month")</th>"
        for type in types { table += "<th scope=\"col\">\(SVG.text(type.label))</th>" }
        table += "<th scope=\"col\">All</th></tr></thead>\n<tbody>\n"
        for bin in bins where bin.total > 0 {
            table += "<tr><th scope=\"row\">\(SVG.text(bin.label))</th>"
            for type in types { table += "<td>\(bin.counts[type] ?? 0)</td>" }
            table += "<td>\(bin.total)</td></tr>\n"
        }
        table += "</tbody>\n</table>\n</details>"
        // A figure's caption must be its first or last child, so the table comes before it.
        return "<figure class=\"activity-chart chart\">\n" + svg + "\n" + table + "\n<figcaption>Actions per \(unit), by type. " + SVG.text(description) + "</figcaption>\n</figure>"
    }
}
