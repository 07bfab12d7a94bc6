@testable import DossierKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The build-time pictures: each is well-formed XML, every node is a link, and content is escaped.
final class PicturesTests: XCTestCase {
    /// Collects the `href` of every `<a>` and the text of `<title>` while checking well-formedness.
    final class Collector: NSObject, XMLParserDelegate {
        var links: [String] = []
        var circles = 0
        var elements: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
            if name == "a", let href = attributes["href"] { links.append(href) }
            if name == "circle" { circles += 1 }
        }
    }

    static func parse(_ fragment: String) throws -> Collector {
        // The figure is HTML around an SVG; the SVG itself must stand as XML.
        let start = try XCTUnwrap(fragment.range(of: "<svg")), end = try XCTUnwrap(fragment.range(of: "</svg>"))
        let svg = String(fragment[start.lowerBound..<end.upperBound])
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "") in \(svg.prefix(500))")
        XCTAssertEqual(collector.elements.first, "svg")
        XCTAssertTrue(collector.elements.contains("title"), "an accessible name")
        return collector
    }

    static let files: [String: String] = [
        "Content/actors/eu.md": CaseFile.actor("European <Union> & \"friends\"", type: "government"),
        "Content/actors/china.md": CaseFile.actor("China", type: "government"),
        "Content/actors/official.md": CaseFile.actor("An Official"),
        "Content/actors/observer.md": CaseFile.actor("Observer", type: "organization"),
        "Content/actions/listing.md": CaseFile.action("EU lists <script>", date: "2021-03-22", extra: "targets: [official]\ninvolves: [observer]\n"),
        "Content/actions/counter.md": CaseFile.action("China answers", date: "2021-03-22", type: "counter-sanction", by: "[china]", extra: "targets: [eu]\nresponds_to: [listing]\n"),
        "Content/actions/statement.md": CaseFile.action("Statement", date: "2021-05-02", type: "statement", by: "[eu]", extra: "responds_to: [counter]\n"),
        "Content/actions/old.md": CaseFile.action("Old", date: "2020-12-07", type: "diplomatic", by: "[china]"),
    ]

    func graph() throws -> BriefingGraph {
        let briefing = try TemporaryBriefing(Self.files)
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        return Linker.link(try XCTUnwrap(parsed), includeDrafts: false).0
    }

    func testTheRelationMapLinksEveryNodeAndEscapesNames() throws {
        let graph = try graph()
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let html = try XCTUnwrap(RelationMap.html(for: graph.actor("eu")!, graph: graph, urls: urls))
        let svg = try Self.parse(html)
        XCTAssertEqual(svg.circles, 4, "the actor and its three neighbours")
        XCTAssertEqual(svg.links.sorted(), ["/brief/actors/china/", "/brief/actors/eu/", "/brief/actors/observer/", "/brief/actors/official/"])
        XCTAssertTrue(html.contains("European &lt;Union&gt; &amp; &quot;friends&quot;"))
        XCTAssertFalse(html.contains("<Union>"))
        XCTAssertTrue(html.contains("acted on An Official"), "the caption says it in words")
        XCTAssertTrue(html.contains("was acted on by China"))
        XCTAssertNil(RelationMap.html(for: Actor(slug: "alone", path: "", name: "Alone", type: .other, body: Body(markdown: "", firstLine: 1)), graph: graph, urls: urls))
    }

    func testTheResponseChainHoldsEveryLinkedActionOldestFirst() throws {
        let graph = try graph()
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        let html = try XCTUnwrap(ResponseChain.html(for: graph.action("counter")!, graph: graph, urls: urls))
        let svg = try Self.parse(html)
        XCTAssertEqual(svg.links, ["/brief/actions/counter/", "/brief/actions/listing/", "/brief/actions/statement/"], "by date, then slug")
        XCTAssertTrue(html.contains("EU lists &lt;script&gt;"))
        XCTAssertNil(ResponseChain.html(for: graph.action("old")!, graph: graph, urls: urls), "an action outside any chain has none")
    }

    func testTheActivityChartCountsEveryMonthWithATable() throws {
        let graph = try graph()
        let html = try XCTUnwrap(ActivityChart.html(graph.actions))
        _ = try Self.parse(html)
        // December 2020 to May 2021 is six months, empty ones included.
        let (bins, byYear) = ActivityChart.bins(graph.actions)
        XCTAssertFalse(byYear)
        XCTAssertEqual(bins.map(\.total), [1, 0, 0, 2, 0, 1])
        XCTAssertTrue(html.contains("<tr><th scope=\"row\">March 2021</th>"))
        XCTAssertNil(ActivityChart.html([]))
    }

    func testTheSamePicturesComeOutTheSameEveryTime() throws {
        let first = try graph(), second = try graph()
        let urls = SiteURLs(baseURL: first.site.baseURL)
        XCTAssertEqual(RelationMap.html(for: first.actor("eu")!, graph: first, urls: urls), RelationMap.html(for: second.actor("eu")!, graph: second, urls: urls))
    }

    /// The pictures write numbers as bytes: the same text `SVG.number` makes, at every tenth,
    /// around the rounding points, negative, and past where it falls back to a format.
    func testNumbersAsBytesAreTheNumbersAsText() {
        var generator = SeededGenerator(state: 7)
        var values: [Double] = [0, -0.0, 0.05, -0.05, 0.04, -0.04, 0.95, -0.95, 9.95, 1e15, -1e15, 1e15 - 1, .nan, .infinity, -.infinity]
        for tenth in -2_000...2_000 { values.append(Double(tenth) / 10) }
        for _ in 0..<20_000 {
            let magnitude = [1.0, 100, 1e6, 1e14][Int(generator.next() % 4)]
            values.append((Double(generator.next() % 2_000_001) / 1_000_000 - 1) * magnitude)
        }
        for value in values {
            var bytes = SVGBytes(capacity: 32)
            bytes.append(number: value)
            XCTAssertEqual(bytes.string, SVG.number(value), "\(value)")
        }
        var arrow = SVGBytes(capacity: 64)
        arrow.appendArrowhead(x: 12.34, y: -5.05, angle: 1.2, fill: "#2166ac")
        XCTAssertEqual(arrow.string, Self.arrowhead(x: 12.34, y: -5.05, angle: 1.2, fill: "#2166ac"))
    }

    /// The arrowhead as the pictures drew it in strings, before `SVGBytes`.
    private static func arrowhead(x: Double, y: Double, angle: Double, size: Double = 9, fill: String) -> String {
        let left = angle + Double.pi - 0.4, right = angle + Double.pi + 0.4
        let points = [(x, y), (x + size * cos(left), y + size * sin(left)), (x + size * cos(right), y + size * sin(right))]
        return "<polygon points=\"\(points.map { SVG.number($0.0) + "," + SVG.number($0.1) }.joined(separator: " "))\" fill=\"\(fill)\"/>"
    }
}
