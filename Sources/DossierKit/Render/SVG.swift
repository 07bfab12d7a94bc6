import Foundation

/// Small helpers the build-time pictures share: numbers written the same way on every machine,
/// escaped text, labels cut to fit, and arrowheads drawn as polygons (markers would need ids,
/// which could collide with the ids of headings in a body).
enum SVG {
    /// To a tenth, without a trailing `.0`. In whole tenths rather than `String(format:)`, which
    /// was a tenth of drawing the relation maps of 12,000 pages.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else {
            let rounded = (value * 10).rounded() / 10
            return String(format: "%.1f", rounded)
        }
        let tenths = Int((value * 10).rounded())
        if tenths % 10 == 0 { return String(tenths / 10) }
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    static func text(_ value: String) -> String { XML.escape(value) }

    static func truncate(_ value: String, to length: Int) -> String {
        value.count <= length ? value : String(value.prefix(length - 1)) + "…"
    }

    /// A filled triangle with its tip at (x, y), pointing along the angle.
    static func arrowhead(x: Double, y: Double, angle: Double, size: Double = 9, fill: String) -> String {
        let left = angle + Double.pi - 0.4, right = angle + Double.pi + 0.4
        let points = [(x, y), (x + size * cos(left), y + size * sin(left)), (x + size * cos(right), y + size * sin(right))]
        return "<polygon points=\"\(points.map { number($0.0) + "," + number($0.1) }.joined(separator: " "))\" fill=\"\(fill)\"/>"
    }

    /// Colours per action type, chosen to stay apart for common colour blindness and in grey print.
    static func color(of type: ActionType) -> String {
        switch type {
        case .sanction: "#b2182b"
        case .counterSanction: "#7b3294"
        case .statement: "#2166ac"
        case .legalProceeding: "#e08214"
        case .diplomatic: "#1b7837"
        case .other: "#737373"
        }
    }
}
