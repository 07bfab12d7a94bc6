@testable import DossierKit
import Foundation
import XCTest

final class SiteWriterTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func testReplacesTheWholeSiteAndLeavesNoStaging() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        try writer.write([OutputFile(path: "index.html", text: "one"), OutputFile(path: "gone/index.html", text: "old")])
        try writer.write([OutputFile(path: "index.html", text: "two"), OutputFile(path: "a/b/c.txt", text: "deep")])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("two".utf8), "a/b/c.txt": Data("deep".utf8)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["Site"])
    }

    func testRemovesLeftoversOfAKilledBuild() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".Site.staging-123/x"), withIntermediateDirectories: true)
        try SiteWriter(output: folder.appendingPathComponent("Site")).write([OutputFile(path: "index.html", text: "x")])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["Site"])
    }

    func testRefusesOutputsThatWouldDestroyTheBriefing() {
        let root = folder!
        XCTAssertNotNil(SiteWriter(output: root).refusal(root: root))
        XCTAssertNotNil(SiteWriter(output: URL(fileURLWithPath: "/")).refusal(root: root))
        XCTAssertNotNil(SiteWriter(output: root.deletingLastPathComponent()).refusal(root: root))
        XCTAssertNotNil(SiteWriter(output: root.appendingPathComponent("Content")).refusal(root: root))
        XCTAssertNotNil(SiteWriter(output: root.appendingPathComponent("Templates/x")).refusal(root: root))
        XCTAssertNil(SiteWriter(output: root.appendingPathComponent("Site")).refusal(root: root))
        XCTAssertNil(SiteWriter(output: root.appendingPathComponent("Contents")).refusal(root: root))
    }
}
