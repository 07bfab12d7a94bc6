@testable import DossierKit
import Foundation
import XCTest

final class AuthorChecksTests: XCTestCase {
    func testCheckWarnsAboutMissingSourcesOrphansAndLikelyDuplicates() throws {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "government", extra: "aliases: [EU]\n"),
            "Content/actors/european-union-2.md": CaseFile.actor("The E.U.", type: "government", extra: "aliases: [european union]\n"),
            "Content/actors/orphan.md": CaseFile.actor("Nobody Names Me"),
            "Content/actions/listing.md": CaseFile.action("Listing", extra: "targets: [european-union-2]\n"),
            "Content/actions/sourced.md": CaseFile.action("Sourced", extra: "sources:\n  - title: Journal\n"),
        ])
        defer { briefing.cleanUp() }
        XCTAssertEqual(briefing.build(writes: false).lines, [
            "Content/actions/listing.md:1:1: warning: the action has no sources: add one under 'sources' so readers can check it",
            "Content/actors/european-union-2.md:1:1: warning: 'european-union-2' shares the name or alias 'european union' with 'eu' (Content/actors/eu.md): likely the same actor twice",
            "Content/actors/orphan.md:1:1: warning: no action names 'orphan' in 'by', 'targets' or 'involves'",
        ])
        XCTAssertEqual(briefing.build().lines, [], "a build stays quiet about them")
    }
}
