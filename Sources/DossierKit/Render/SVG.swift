import Foundation

/// Small helpers the build-time pictures share: numbers written the same way on every machine,
/// escaped text and labels cut to fit (`SVGBytes` draws arrowheads as polygons: markers would
/// need ids, which could collide with the ids of headings in a body).
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

/// A picture's markup appended as bytes. The relationship map and the response chain are drawn
/// for every actor and action page: made with string interpolation, they were a twentieth of a
/// full build, most of it growing and copying strings.
struct SVGBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup written in the source.
    mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Markup made at build time (a colour, a number), as it is.
    mutating func append(raw value: String) { bytes += value.utf8 }

    /// Text from content, escaped as `SVG.text` escapes it.
    mutating func append(text value: String) { bytes += SVG.text(value).utf8 }

    /// `SVG.number(value)`, without making a string.
    mutating func append(number value: Double) {
        guard value.isFinite, abs(value) < 1e15 else { return bytes += SVG.number(value).utf8 }
        let tenths = Int((value * 10).rounded())
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = tenths.magnitude
        append(digits: magnitude / 10)
        if magnitude % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
    }

    /// A whole number's decimal digits.
    mutating func append(digits value: UInt) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// A picture's opening, up to its description: the `<figure>` and `<svg>` of these classes,
    /// sized in user units, with its title and description for screen readers.
    mutating func appendOpening(figure: StaticString, svg: StaticString, width: Double, height: Double, title: String, description: String) {
        append("<figure class=\""); append(figure); append("\">\n")
        append("<svg class=\""); append(svg); append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
        append(number: width); append(" "); append(number: height)
        append("\" width=\""); append(number: width); append("\" height=\""); append(number: height); append("\">")
        append("<title>"); append(text: title); append("</title>")
        append("<desc>"); append(text: description); append("</desc>")
    }

    /// The start of a quadratic curve's `<path>`, up to its `d`: from `start` through `control`
    /// to `end`.
    mutating func appendCurve(from start: (Double, Double), control: (Double, Double), to end: (Double, Double)) {
        append("<path d=\"M"); append(number: start.0); append(","); append(number: start.1)
        append(" Q"); append(number: control.0); append(","); append(number: control.1)
        append(" "); append(number: end.0); append(","); append(number: end.1)
        append("\"")
    }

    /// A filled triangle with its tip at (x, y), pointing along the angle.
    mutating func appendArrowhead(x: Double, y: Double, angle: Double, size: Double = 9, fill: StaticString) {
        let left = angle + Double.pi - 0.4, right = angle + Double.pi + 0.4
        append("<polygon points=\"")
        append(number: x); append(","); append(number: y); append(" ")
        append(number: x + size * cos(left)); append(","); append(number: y + size * sin(left)); append(" ")
        append(number: x + size * cos(right)); append(","); append(number: y + size * sin(right))
        append("\" fill=\""); append(fill); append("\"/>")
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

