@testable import DossierKit
import XCTest

final class SlugTests: XCTestCase {
    func testValidSlugs() {
        for slug in ["a", "zhu-hailun", "eu-2021", "x1-y2-z3"] { XCTAssertTrue(Slug.isValid(slug), slug) }
    }

    func testInvalidSlugs() {
        for slug in ["", "-a", "a-", "a--b", "Zhu", "zhu_hailun", "zhu hailun", "é"] { XCTAssertFalse(Slug.isValid(slug), slug) }
    }

    func testMakesSlugsFromText() {
        XCTAssertEqual(Slug.make(from: "Why it matters: José's view"), "why-it-matters-jose-s-view")
        XCTAssertEqual(Slug.make(from: "  EU  & UK  "), "eu-uk")
        XCTAssertEqual(Slug.make(from: "王海伦"), "")
    }
}
