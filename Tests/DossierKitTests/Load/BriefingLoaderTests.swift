@testable import DossierKit
import Foundation
import XCTest

/// A build hands the loader what the input stamp's walk saw of the case folders
/// (`InputStamp.Listing`), so their files are listed and looked up once. Whatever the folders
/// hold, the loader must load from that listing what it loads by listing them itself.
final class BriefingLoaderTests: XCTestCase {
    func testLoadingFromTheStampsListingLoadsWhatListingTheFoldersLoads() throws {
        let briefing = try TemporaryBriefing([
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization"),
            "Content/actors/.hidden.md": CaseFile.actor("Hidden"),
            "Content/actors/notes.txt": "not a case file",
            "Content/actions/b-listing.md": CaseFile.action("B listing"),
            "Content/actions/a-listing.md": CaseFile.action("A listing"),
            "Content/actions/folder.md/inside.md": CaseFile.action("Inside a folder"),
            "Content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        ])
        defer { briefing.cleanUp() }
        let actions = briefing.root.appendingPathComponent("Content/actions").path
        XCTAssertEqual(symlink(actions + "/a-listing.md", actions + "/linked.md"), 0)
        XCTAssertEqual(symlink("/etc/hostname", actions + "/outside.md"), 0)
        XCTAssertEqual(symlink(actions + "/gone.md", actions + "/dangling.md"), 0)

        let loader = BriefingLoader(root: briefing.root, trustedAge: 0)
        let walk = InputStamp.walk(root: briefing.root, includeDrafts: false, baseURL: nil)
        XCTAssertEqual(walk.listing.folders["Content/actors"]?.count, 3, "every entry of the folder, hidden ones included")
        let listed = loader.load(listing: walk.listing)
        let looked = loader.load()
        for (from, to) in [(listed.0.actorFiles, looked.0.actorFiles), (listed.0.actionFiles, looked.0.actionFiles), (listed.0.pageFiles, looked.0.pageFiles)] {
            XCTAssertEqual(from, to)
        }
        XCTAssertEqual(listed.0.actionFiles.map(\.path), ["Content/actions/a-listing.md", "Content/actions/b-listing.md", "Content/actions/linked.md"])
        XCTAssertEqual(listed.1, looked.1)
        XCTAssertEqual(Set(listed.1.map(\.location.path)), ["Content/actors/notes.txt", "Content/actions/folder.md", "Content/actions/outside.md", "Content/actions/dangling.md"])

        // A file whose signature is the one given is left unread either way: the listing's
        // metadata is the file's.
        let signatures = Dictionary(uniqueKeysWithValues: looked.0.actionFiles.map { ($0.path, $0.signature) })
        XCTAssertEqual(looked.0.actionFiles.map { $0.signature != 0 }, [true, true, false], "a link is read through, with no signature")
        let unread = loader.load(signatures: { signatures[$0] ?? 0 }, listing: walk.listing).0.actionFiles
        XCTAssertEqual(unread.map { $0.unreadPath != nil }, [true, true, false])
        XCTAssertEqual(unread.map { $0.unreadPath != nil }, loader.load(signatures: { signatures[$0] ?? 0 }).0.actionFiles.map { $0.unreadPath != nil })
    }
}
