@testable import DossierKit
import Foundation
import XCTest

final class FacetsTests: XCTestCase {
    func testCollidingValuesGetNumberedSlugsInTheOrderOfTheirText() {
        let slugs = Facets.assignSlugs(["EU", "eu", "E.U.", "eu 2", "新疆", "Überwachung"], kind: .tag)
        XCTAssertEqual(slugs["E.U."], "e-u")
        XCTAssertEqual(slugs["EU"], "eu")
        XCTAssertEqual(slugs["eu"], "eu-2")
        XCTAssertEqual(slugs["eu 2"], "eu-2-2")
        XCTAssertEqual(slugs["新疆"], "item")
        XCTAssertEqual(slugs["Überwachung"], "uberwachung")
        XCTAssertEqual(Set(slugs.values).count, slugs.count, "unique")
    }

    func testFacetPagesAreBuiltAndLinkedFromEveryPlaceThatShowsOne() throws {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "government", extra: "country: Belgium\ntags: [Xinjiang]\n"),
            "Content/actions/listing.md": CaseFile.action("Listing", extra: "legal_basis: [Regulation 2020/1998]\ntags: [Xinjiang, xinjiang]\n"),
        ])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, [])
        for path in ["tags/index.html", "tags/xinjiang/index.html", "tags/xinjiang-2/index.html", "types/sanction/index.html", "types/index.html",
                     "countries/belgium/index.html", "legal-basis/regulation-2020-1998/index.html", "tags/xinjiang/feed.xml"] {
            XCTAssertNoThrow(try briefing.read(path), path)
        }
        let tag = try briefing.read("tags/xinjiang/index.html")
        XCTAssertTrue(tag.contains("<a href=\"/brief/actors/eu/\">European Union</a>"))
        XCTAssertTrue(tag.contains("<a href=\"/brief/actions/listing/\">Listing</a>"))
        XCTAssertTrue(tag.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/brief/tags/xinjiang/feed.xml\""))
        let action = try briefing.read("actions/listing/index.html")
        XCTAssertTrue(action.contains("<a href=\"/brief/legal-basis/regulation-2020-1998/\">Regulation 2020/1998</a>"))
        XCTAssertTrue(action.contains("<a href=\"/brief/tags/xinjiang-2/\">xinjiang</a>"))
        XCTAssertTrue(action.contains("<a class=\"badge type type-sanction\" href=\"/brief/types/sanction/\">Sanction</a>"))
        let actor = try briefing.read("actors/eu/index.html")
        XCTAssertTrue(actor.contains("<a href=\"/brief/countries/belgium/\">Belgium</a>"))
        XCTAssertTrue(actor.contains("<a href=\"/brief/tags/xinjiang/\">Xinjiang</a>"))
        XCTAssertTrue(try briefing.read("actors/index.html").contains("<a href=\"/brief/countries/belgium/\">Belgium</a>"))
        XCTAssertTrue(try briefing.read("sitemap.xml").contains("<loc>https://example.org/brief/tags/xinjiang/</loc>"))
    }

    func testAPageMayNotTakeAFacetFolder() throws {
        let briefing = try TemporaryBriefing(["Content/pages/tags.md": "---\ntitle: Tags\n---\n"])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build().lines, ["Content/pages/tags.md:1:1: error: the page slug 'tags' is taken by the site itself: rename the file"])
    }
}
