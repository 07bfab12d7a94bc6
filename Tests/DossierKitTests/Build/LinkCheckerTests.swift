@testable import DossierKit
import Foundation
import XCTest

final class LinkCheckerTests: XCTestCase {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testTheSampleBriefingHasNoBrokenLinkOrAnchor() {
        let diagnostics = LinkChecker.verify(BuildOptions(root: Self.sample))
        XCTAssertEqual(diagnostics.sorted.filter { $0.severity == .error }.map(\.description), [])
    }

    func testABrokenLinkAndAMissingAnchorAreErrorsAtThePage() throws {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", body: "See [the annex](/brief/assets/missing.pdf) and [above](#nowhere).\n\n## Here\n\n[fine](#here)"),
        ], siteYAML: TemporaryBriefing.siteYAML + "unsafe_html: true\n")
        defer { briefing.cleanUp() }
        let lines = LinkChecker.verify(BuildOptions(root: briefing.root)).sorted.map(\.description)
        XCTAssertEqual(lines, [
            "Site/actors/eu/index.html:1:1: error: broken link '#nowhere': no element with id 'nowhere' on that page",
            "Site/actors/eu/index.html:1:1: error: broken link '/brief/assets/missing.pdf': no such file in the site",
        ])
        XCTAssertFalse(FileManager.default.fileExists(atPath: briefing.site.path), "the check wrote no Site/")
    }
}
