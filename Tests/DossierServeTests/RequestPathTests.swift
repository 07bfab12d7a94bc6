@testable import DossierServe
import XCTest

final class RequestPathTests: XCTestCase {
    func testSitePathsBelowTheBasePath() {
        XCTAssertEqual(RequestPath.resolve("/brief/", basePath: "/brief/"), .site([]))
        XCTAssertEqual(RequestPath.resolve("/brief/actors/zhu-hailun/", basePath: "/brief/"), .site(["actors", "zhu-hailun"]))
        XCTAssertEqual(RequestPath.resolve("/brief/assets/a%20b.png", basePath: "/brief/"), .site(["assets", "a b.png"]))
        XCTAssertEqual(RequestPath.resolve("/brief/caf%C3%A9/", basePath: "/brief/"), .site(["café"]))
        XCTAssertEqual(RequestPath.resolve("/actors/", basePath: "/"), .site(["actors"]))
    }

    func testRedirectsAndOtherPlaces() {
        XCTAssertEqual(RequestPath.resolve("/", basePath: "/brief/"), .redirect("/brief/"))
        XCTAssertEqual(RequestPath.resolve("/brief", basePath: "/brief/"), .redirect("/brief/"))
        XCTAssertEqual(RequestPath.resolve("/other/", basePath: "/brief/"), .notFound)
        XCTAssertEqual(RequestPath.resolve("/__dossier/live.js", basePath: "/brief/"), .server("live.js"))
    }

    func testEveryTraversalFormIsRefused() {
        let forms = [
            "/brief/../secret", "/brief/./x", "/brief/%2e%2e/secret", "/brief/%2E%2E/secret", "/brief/.%2e/secret",
            "/brief/..%2fsecret", "/brief/..%2Fsecret", "/brief/%2e%2e%2fsecret", "/brief/..%5csecret",
            "/brief/%252e%252e/secret", "/brief/%252e%252e%252fsecret", "/brief/x%00.html", "/brief/%zz",
            "/brief/%c0%ae%c0%ae/secret", "brief/x", "http://example.org/brief/",
        ]
        for form in forms {
            guard case .refused = RequestPath.resolve(form, basePath: "/brief/") else {
                return XCTFail("\(form) was not refused: \(RequestPath.resolve(form, basePath: "/brief/"))")
            }
        }
    }

    func testContentTypes() {
        XCTAssertEqual(ContentType.of(path: "/x/index.html"), "text/html; charset=utf-8")
        XCTAssertEqual(ContentType.of(path: "/x/feed.xml"), "application/atom+xml; charset=utf-8")
        XCTAssertEqual(ContentType.of(path: "/x/sitemap.xml"), "application/xml; charset=utf-8")
        XCTAssertEqual(ContentType.of(path: "/x/logo.SVG"), "image/svg+xml")
        XCTAssertEqual(ContentType.of(path: "/x/README"), "application/octet-stream")
    }
}
