@testable import DossierKit
import Foundation
import XCTest

/// The stamp's walk looks up a big folder's entries on every core: what it keeps of each must be
/// that entry's own metadata, in name order, and the stamp the same from walk to walk.
final class InputStampTests: XCTestCase {
    func testABigFolderIsListedInOrderWithEachEntrysOwnMetadata() throws {
        var files: [String: String] = [:]
        for number in 0..<700 {
            files["Content/actions/a-\(number).md"] = CaseFile.action("Action \(number)", body: String(repeating: "x", count: number))
        }
        let briefing = try TemporaryBriefing(files)
        defer { briefing.cleanUp() }
        // A stamp trusts only times two seconds old.
        Thread.sleep(forTimeInterval: 2.1)
        let walk = InputStamp.walk(root: briefing.root, includeDrafts: false, baseURL: nil)
        let listed = try XCTUnwrap(walk.listing.folders["Content/actions"])
        XCTAssertEqual(listed.map(\.name), files.keys.map { String($0.dropFirst("Content/actions/".count)) }.sorted())
        for entry in listed {
            var status = stat()
            XCTAssertEqual(lstat(briefing.root.path + "/Content/actions/" + entry.name, &status), 0)
            XCTAssertEqual(entry.status.st_ino, status.st_ino, entry.name)
            XCTAssertEqual(entry.status.st_size, status.st_size, entry.name)
        }
        XCTAssertNotNil(walk.stamp)
        XCTAssertEqual(InputStamp.walk(root: briefing.root, includeDrafts: false, baseURL: nil).stamp, walk.stamp)
        XCTAssertNotEqual(InputStamp.walk(root: briefing.root, includeDrafts: true, baseURL: nil).stamp, walk.stamp)
    }
}
