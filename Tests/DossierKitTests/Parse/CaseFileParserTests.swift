@testable import DossierKit
import Foundation
import XCTest

final class CaseFileParserTests: XCTestCase {
    private func file(_ path: String, _ text: String) -> SourceFile {
        SourceFile(path: path, bytes: Data(text.utf8))
    }

    func testReadsAnActionWithEveryKey() throws {
        let text = """
        ---
        title: "EU sanctions: Xinjiang"
        date: 2021-03-22
        type: sanction
        by: european-union
        targets: [zhu-hailun, chen-mingguo]
        involves:
          - council
        measures: [asset freeze, travel ban]
        legal_basis: EU Global Human Rights Sanctions Regime
        status: in-force
        ends: 2022-12-08
        responds_to: []
        related: [us-designations]
        sources:
          - title: Official Journal
            url: https://eur-lex.europa.eu/
            publisher: Official Journal of the European Union
            date: 2021-03-22
        summary: One sentence.
        tags: [xinjiang]
        draft: false
        updated: 2021-03-23
        extra:
          note: free
        ---
        Body *text*.
        """
        let (action, diagnostics) = CaseFileParser.parseAction(file("Content/actions/eu-xinjiang.md", text))
        XCTAssertEqual(diagnostics, [])
        let parsed = try XCTUnwrap(action)
        XCTAssertEqual(parsed.title, "EU sanctions: Xinjiang")
        XCTAssertEqual(parsed.by.map(\.slug), ["european-union"], "a lone scalar is a list of one")
        XCTAssertEqual(parsed.by.first?.location, SourceLocation(path: "Content/actions/eu-xinjiang.md", line: 5, column: 5))
        XCTAssertEqual(parsed.targets.map(\.slug), ["zhu-hailun", "chen-mingguo"])
        XCTAssertEqual(parsed.targets.last?.location.column, 23)
        XCTAssertEqual(parsed.involves.first?.location, SourceLocation(path: "Content/actions/eu-xinjiang.md", line: 8, column: 5))
        XCTAssertEqual(parsed.measures, ["asset freeze", "travel ban"])
        XCTAssertEqual(parsed.legalBasis, ["EU Global Human Rights Sanctions Regime"])
        XCTAssertEqual(parsed.status, .inForce)
        XCTAssertEqual(parsed.ends?.description, "2022-12-08")
        XCTAssertEqual(parsed.sources, [SourceCitation(title: "Official Journal", url: "https://eur-lex.europa.eu/", publisher: "Official Journal of the European Union", date: DayDate("2021-03-22"))])
        XCTAssertEqual(parsed.extra, .mapping([(key: "note", value: .string("free"))]))
        XCTAssertEqual(parsed.body, Body(markdown: "Body *text*.", firstLine: 27))
    }

    func testReportsEveryProblemAtTheKeyOrValueAtFault() {
        let text = """
        ---
        title: EU sanctions
        date: 2021-13-01
        type: sanktion
        by: []
        titel: duplicate
        status: [in-force]
        draft: maybe
        sources:
          - title: Report
            url: javascript:alert(1)
          - url: https://example.org/
        ---
        Body.
        """
        let (action, diagnostics) = CaseFileParser.parseAction(file("Content/actions/x.md", text))
        XCTAssertNil(action)
        XCTAssertEqual(Diagnostics(diagnostics).sorted.map(\.description), [
            "Content/actions/x.md:3:7: error: invalid date '2021-13-01' in 'date': expected YYYY-MM-DD",
            "Content/actions/x.md:4:7: error: invalid action type 'sanktion': expected one of sanction, counter-sanction, statement, legal-proceeding, diplomatic, other (did you mean 'sanction'?)",
            "Content/actions/x.md:5:5: error: 'by' needs at least one actor",
            "Content/actions/x.md:6:1: error: unknown key 'titel' (did you mean 'title'?)",
            "Content/actions/x.md:7:9: error: 'status' must be a string",
            "Content/actions/x.md:8:8: error: 'draft' must be true or false",
            "Content/actions/x.md:11:10: error: invalid source URL 'javascript:alert(1)': only http, https or relative URLs are allowed",
            "Content/actions/x.md:12:5: error: missing required key 'title'",
        ])
    }

    func testMissingRequiredKeysPointAtTheMapping() {
        let (actor, diagnostics) = CaseFileParser.parseActor(file("Content/actors/a.md", "---\naliases: [A]\n---\n"))
        XCTAssertNil(actor)
        XCTAssertEqual(diagnostics.map(\.description), [
            "Content/actors/a.md:2:1: error: missing required key 'name'",
            "Content/actors/a.md:2:1: error: missing required key 'type'",
        ])
    }

    func testFrontMatterMustBePresentClosedAndAMapping() {
        XCTAssertEqual(CaseFileParser.parsePage(file("Content/pages/a.md", "# No front matter\n")).1.map(\.description),
                       ["Content/pages/a.md:1:1: error: missing front matter: a case file starts with a line '---', then YAML, then a line '---'"])
        XCTAssertEqual(CaseFileParser.parsePage(file("Content/pages/a.md", "---\ntitle: A\n")).1.map(\.description),
                       ["Content/pages/a.md:1:1: error: the front matter is never closed: add a line '---' after the YAML"])
        XCTAssertEqual(CaseFileParser.parsePage(file("Content/pages/a.md", "---\n- a\n- b\n---\n")).1.map(\.description),
                       ["Content/pages/a.md:2:1: error: the front matter must be a mapping of keys to values"])
    }

    func testYAMLSyntaxErrorsPointIntoTheFile() {
        let diagnostics = CaseFileParser.parsePage(file("Content/pages/a.md", "---\ntitle: A\nsummary: \"open\n---\nBody\n")).1
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics[0].description.hasPrefix("Content/pages/a.md:"), diagnostics[0].description)
        XCTAssertTrue(diagnostics[0].message.hasPrefix("invalid YAML:"), diagnostics[0].message)
        XCTAssertGreaterThanOrEqual(diagnostics[0].location.line, 3)
    }

    func testAcceptsBOMAndCRLF() throws {
        let bytes = Data([0xEF, 0xBB, 0xBF]) + Data("---\r\ntitle: About\r\n---\r\nLine one.\r\n".utf8)
        let (page, diagnostics) = CaseFileParser.parsePage(SourceFile(path: "Content/pages/about.md", bytes: bytes))
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(try XCTUnwrap(page).title, "About")
        XCTAssertEqual(page?.body.markdown, "Line one.\n")
    }

    func testRejectsInvalidUTF8AndNULBytes() {
        let invalid = SourceFile(path: "Content/pages/a.md", bytes: Data("---\ntitle: caf".utf8) + Data([0xC3, 0x28]) + Data("\n---\n".utf8))
        XCTAssertEqual(CaseFileParser.parsePage(invalid).1.map(\.description), ["Content/pages/a.md:2:11: error: the file is not valid UTF-8 (byte 0xC3)"])
        let nul = SourceFile(path: "Content/pages/a.md", bytes: Data("---\ntitle: a\u{0}\n---\n".utf8))
        XCTAssertEqual(CaseFileParser.parsePage(nul).1.map(\.description), ["Content/pages/a.md:2:9: error: the file contains a NUL byte: is it a binary file?"])
    }

    func testRejectsBadSlugsButStillReadsTheFile() {
        let (actor, diagnostics) = CaseFileParser.parseActor(file("Content/actors/Zhu_Hailun.md", "---\nname: Zhu\ntype: persn\n---\n"))
        XCTAssertNil(actor)
        XCTAssertEqual(diagnostics.map(\.description), [
            "Content/actors/Zhu_Hailun.md:1:1: error: invalid file name 'Zhu_Hailun.md': a slug is lower-case letters and digits in words joined by single hyphens, like 'wang-junzheng'",
            "Content/actors/Zhu_Hailun.md:3:7: error: invalid actor type 'persn': expected one of person, organization, government, other (did you mean 'person'?)",
        ])
    }

    func testDuplicateKeysAreErrors() {
        let diagnostics = CaseFileParser.parsePage(file("Content/pages/a.md", "---\ntitle: A\ntitle: B\n---\n")).1
        XCTAssertEqual(diagnostics.map(\.description), ["Content/pages/a.md:3:1: error: duplicate key 'title'"])
    }
}
