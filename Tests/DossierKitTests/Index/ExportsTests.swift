@testable import DossierKit
import Foundation
import XCTest

/// The data exports: per-page JSON, the two CSV files and the FollowTheMoney lines.
final class ExportsTests: XCTestCase {
    static let files: [String: String] = [
        "Content/actors/eu.md": CaseFile.actor("European Union", type: "government", extra: "country: European Union\naliases: [EU]\n"),
        "Content/actors/hostile.md": CaseFile.actor("=HYPERLINK(\"http://evil\"), \"Quoted\"", extra: "aliases: ['+1', '-2', '@x', \"\\ttab\", \"line\\nbreak\"]\ncountry: China\nroles: [Party secretary]\n"),
        "Content/actors/org.md": CaseFile.actor("Some Org <b>", type: "organization"),
        "Content/actions/listing.md": CaseFile.action("Listing, with \"quotes\"", extra: """
        targets: [hostile, org]
        measures: [asset freeze, travel ban]
        legal_basis: [Regulation 2020/1998]
        status: in-force
        ends: 2030-01-01
        summary: "=cmd|' /C calc'!A0"
        sources:
          - title: Journal
            url: https://example.org/oj
        """ + "\n"),
        "Content/actions/reply.md": CaseFile.action("Reply", date: "2021-03-23", type: "counter-sanction", by: "[hostile]", extra: "targets: [eu]\nresponds_to: [listing]\n"),
    ]

    /// RFC 4180, as a strict reader would parse it.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false; afterQuote = true }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": row.append(field); field = ""; afterQuote = false
            case "\r":
                XCTAssertEqual(characters.popFirst(), "\n", "a bare CR outside quotes")
                row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
            default:
                XCTAssertNotEqual(c, "\n", "a bare LF outside quotes")
                field.unicodeScalars.append(c)
            }
        }
        XCTAssertTrue(field.isEmpty && row.isEmpty, "the file ends with CRLF")
        return rows
    }

    func build() throws -> (TemporaryBriefing, BriefingGraph) {
        let briefing = try TemporaryBriefing(Self.files)
        XCTAssertEqual(briefing.build().lines, [])
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        let (graph, _) = Linker.link(try XCTUnwrap(parsed), includeDrafts: false)
        return (briefing, graph)
    }

    func testTheCSVFilesParseBackIntoTheSameRecords() throws {
        let (briefing, graph) = try build()
        defer { briefing.cleanUp() }
        let actors = Self.parseCSV(try briefing.read("actors.csv"))
        XCTAssertEqual(actors.first, CSVExport.actorColumns)
        XCTAssertEqual(actors.count, graph.actors.count + 1)
        for (row, actor) in zip(actors.dropFirst(), graph.actors) {
            let record = Dictionary(uniqueKeysWithValues: zip(CSVExport.actorColumns, row))
            XCTAssertEqual(record["slug"], actor.slug)
            XCTAssertEqual(Self.unneutralized(record["name"]!), actor.name)
            XCTAssertEqual(record["aliases"]!.components(separatedBy: "; ").filter { !$0.isEmpty }.map(Self.unneutralized), actor.aliases)
            XCTAssertEqual(record["country"], actor.country ?? "")
        }
        let actions = Self.parseCSV(try briefing.read("actions.csv"))
        XCTAssertEqual(actions.first, CSVExport.actionColumns)
        for (row, action) in zip(actions.dropFirst(), graph.actions) {
            let record = Dictionary(uniqueKeysWithValues: zip(CSVExport.actionColumns, row))
            XCTAssertEqual(record["title"], action.title)
            XCTAssertEqual(record["date"], action.date.description)
            XCTAssertEqual(record["targets"], action.targets.map(\.slug).joined(separator: "; "))
            XCTAssertEqual(record["measures"], action.measures.joined(separator: "; "))
            XCTAssertEqual(Self.unneutralized(record["summary"]!), action.summary ?? "")
        }
    }

    static func unneutralized(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first, ["=", "+", "-", "@", "\t", "\r"].contains(second) else { return cell }
        return String(cell.dropFirst())
    }

    func testNoCellStartsAFormula() throws {
        let (briefing, _) = try build()
        defer { briefing.cleanUp() }
        for file in ["actors.csv", "actions.csv"] {
            for row in Self.parseCSV(try briefing.read(file)) {
                for cell in row {
                    XCTAssertFalse(["=", "+", "-", "@", "\t", "\r"].contains(cell.unicodeScalars.first ?? " "), "\(file): \(cell.debugDescription)")
                }
            }
        }
        XCTAssertEqual(CSVExport.cell("=1+1"), "'=1+1")
        XCTAssertEqual(CSVExport.cell("-2"), "'-2")
        XCTAssertEqual(CSVExport.cell("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVExport.cell("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVExport.cell("@x,y"), "\"'@x,y\"")
        // A comma with a combining accent is one Character but still a comma byte to a CSV reader.
        XCTAssertEqual(CSVExport.cell("a,\u{301}b"), "\"a,\u{301}b\"")
        XCTAssertEqual(CSVExport.cell("line\r\nbreak"), "\"line\r\nbreak\"")
    }

    /// Required and allowed properties of the FtM schemata Dossier writes (followthemoney's
    /// schema YAML: `required`, and the properties used here).
    static let schemata: [String: (required: [String], allowed: Set<String>)] = [
        "Person": (["name"], ["name", "alias", "country", "notes", "position", "sourceUrl", "keywords"]),
        "Organization": (["name"], ["name", "alias", "country", "notes", "sourceUrl", "keywords"]),
        "PublicBody": (["name"], ["name", "alias", "country", "notes", "sourceUrl", "keywords"]),
        "LegalEntity": (["name"], ["name", "alias", "country", "notes", "sourceUrl", "keywords"]),
        "Sanction": (["entity"], ["entity", "authority", "program", "provisions", "startDate", "endDate", "status", "sourceUrl", "summary"]),
    ]

    /// The lines are written property by property in `Property`'s order: it must be the order of
    /// the names, as every other object of the site has its keys.
    func testTheFollowTheMoneyPropertiesAreWrittenInTheOrderOfTheirNames() {
        XCTAssertEqual(FollowTheMoney.Property.names, FollowTheMoney.Property.names.sorted())
        XCTAssertEqual(FollowTheMoney.Property.names.count, Set(FollowTheMoney.Property.names).count)
    }

    func testTheFollowTheMoneyLinesValidateAgainstTheSchema() throws {
        let (briefing, graph) = try build()
        defer { briefing.cleanUp() }
        let text = try briefing.read("entities.ftm.json")
        XCTAssertTrue(text.hasSuffix("\n"))
        var ids = Set<String>(), entities: [String: String] = [:]
        var sanctions: [[String: [String]]] = []
        for line in text.split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try XCTUnwrap(object["id"] as? String), schema = try XCTUnwrap(object["schema"] as? String)
            let properties = try XCTUnwrap(object["properties"] as? [String: [String]], "every property is a list of strings")
            let rules = try XCTUnwrap(Self.schemata[schema], schema)
            for name in rules.required { XCTAssertFalse(properties[name]?.isEmpty ?? true, "\(id) lacks \(name)") }
            XCTAssertTrue(Set(properties.keys).isSubset(of: rules.allowed), "\(id): \(properties.keys.sorted())")
            XCTAssertTrue(ids.insert(id).inserted, "duplicate id \(id)")
            entities[id] = schema
            if schema == "Sanction" { sanctions.append(properties) }
            for date in (properties["startDate"] ?? []) + (properties["endDate"] ?? []) { XCTAssertNotNil(DayDate(date)) }
        }
        XCTAssertEqual(entities["eu"], "PublicBody")
        XCTAssertEqual(entities["hostile"], "Person")
        XCTAssertEqual(entities["org"], "Organization")
        XCTAssertEqual(sanctions.count, 3, "one per target of the sanction and the counter-sanction")
        for sanction in sanctions { XCTAssertNotNil(entities[sanction["entity"]![0]], "the sanctioned entity is in the file") }
        let listing = try XCTUnwrap(sanctions.first { $0["entity"] == ["org"] })
        XCTAssertEqual(listing["authority"], ["European Union"])
        XCTAssertEqual(listing["program"], ["Regulation 2020/1998"])
        XCTAssertEqual(listing["provisions"], ["asset freeze", "travel ban"])
        XCTAssertEqual(listing["endDate"], ["2030-01-01"])
        XCTAssertEqual(listing["status"], ["In force"])
        XCTAssertEqual(listing["sourceUrl"], ["https://example.org/brief/actions/listing/", "https://example.org/oj"])
        XCTAssertEqual(FollowTheMoney.countryCode("European Union"), "eu")
        XCTAssertEqual(FollowTheMoney.countryCode("China"), "cn")
        XCTAssertNil(FollowTheMoney.countryCode("Atlantis"))
        _ = graph
    }

    func testEveryActorAndActionPageHasItsDataBesideIt() throws {
        let (briefing, graph) = try build()
        defer { briefing.cleanUp() }
        for actor in graph.actors {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(briefing.read("actors/\(actor.slug)/index.json").utf8)) as? [String: Any])
            XCTAssertEqual(object["name"] as? String, actor.name)
            XCTAssertEqual(object["kind"] as? String, "actor")
            XCTAssertTrue(try briefing.read("actors/\(actor.slug)/index.html").contains("<link rel=\"alternate\" type=\"application/json\" href=\"/brief/actors/\(actor.slug)/index.json\""))
        }
        let listing = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(briefing.read("actions/listing/index.json").utf8)) as? [String: Any])
        XCTAssertEqual(listing["targets"] as? [String], ["hostile", "org"])
        XCTAssertEqual(listing["responses"] as? [String], ["reply"])
        XCTAssertEqual(listing["status"] as? String, "in-force")
        XCTAssertEqual(listing["url"] as? String, "https://example.org/brief/actions/listing/")
        let hostile = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(briefing.read("actors/hostile/index.json").utf8)) as? [String: Any])
        XCTAssertEqual(hostile["in_force_against"] as? [String], ["listing"])
        XCTAssertFalse(try briefing.read("actors/org/index.json").contains("<b>"), "markup is escaped for embedding")
    }
}
