@testable import DossierServe
import Foundation
import XCTest

final class SiteFilesTests: XCTestCase {
    private var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-sitefiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("site/actors/eu"), withIntermediateDirectories: true)
        try Data("home".utf8).write(to: work.appendingPathComponent("site/index.html"))
        try Data("eu".utf8).write(to: work.appendingPathComponent("site/actors/eu/index.html"))
        try Data("SECRET".utf8).write(to: work.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("site/leak.txt").path, withDestinationPath: "../secret.txt")
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("site/outside").path, withDestinationPath: work.path)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: work)
    }

    func testFindsFilesAndFolderIndexes() {
        let files = SiteFiles(folder: work.appendingPathComponent("site"))
        guard case .file(let home) = files.lookup([], endsWithSlash: true) else { return XCTFail() }
        XCTAssertEqual(home.lastPathComponent, "index.html")
        guard case .file(let actor) = files.lookup(["actors", "eu"], endsWithSlash: true) else { return XCTFail() }
        XCTAssertTrue(actor.path.hasSuffix("actors/eu/index.html"))
        XCTAssertEqual(files.lookup(["actors", "eu"], endsWithSlash: false), .folderWithoutSlash)
        XCTAssertEqual(files.lookup(["actors", "nobody"], endsWithSlash: true), .missing)
    }

    func testNeverServesThroughALinkPointingOut() {
        let files = SiteFiles(folder: work.appendingPathComponent("site"))
        XCTAssertEqual(files.lookup(["leak.txt"], endsWithSlash: false), .outside)
        XCTAssertEqual(files.lookup(["outside", "secret.txt"], endsWithSlash: false), .outside)
    }
}
