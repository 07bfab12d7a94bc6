import Foundation
import XCTest

/// The `dossier` executable as an author runs it: exit codes, what goes to which stream.
final class CommandLineTests: XCTestCase {
    private var executable: URL {
        // The test bundle sits beside the products it was built with.
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent() ?? Bundle.main.bundleURL
        return products.appendingPathComponent("dossier")
    }

    private func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testInitNewBuildAndCheck() throws {
        let briefing = try TemporaryBriefing([:], siteYAML: nil)
        defer { briefing.cleanUp() }
        let initialized = try run(["init"], in: briefing.root)
        XCTAssertEqual(initialized.status, 0, initialized.stderr)
        XCTAssertTrue(initialized.stdout.contains("created Content/site.yml"))
        XCTAssertEqual(try run(["init"], in: briefing.root).status, 1, "init refuses to overwrite")

        let actor = try run(["new", "actor", "zhu-hailun", "--name", "Zhu \"Hailun\"", "--type", "person"], in: briefing.root)
        XCTAssertEqual(actor.status, 0, actor.stderr)
        let action = try run(["new", "action", "eu-sanctions", "--title", "EU: sanctions", "--date", "2021-03-22", "--type", "sanction", "--by", "example-government"], in: briefing.root)
        XCTAssertEqual(action.status, 0, action.stderr)
        XCTAssertEqual(try run(["new", "actor", "zhu-hailun", "--name", "Again", "--type", "person"], in: briefing.root).status, 1, "new refuses to overwrite")

        let check = try run(["check"], in: briefing.root)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: briefing.site.path), "check writes nothing")

        let build = try run(["build"], in: briefing.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stdout.hasPrefix("Built "), build.stdout)
        XCTAssertTrue(try briefing.read("actors/zhu-hailun/index.html").contains("Zhu &quot;Hailun&quot;"))
    }

    func testContentErrorsExitOneAndGoToStandardError() throws {
        let briefing = try TemporaryBriefing(["Content/actors/a.md": "---\nname: A\ntype: persn\n---\n"])
        defer { briefing.cleanUp() }
        let result = try run(["build", "--root", briefing.root.path], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasPrefix("Content/actors/a.md:3:7: error: invalid actor type 'persn'"), result.stderr)
        XCTAssertEqual(try run(["check", "--root", briefing.root.path], in: briefing.root).status, 1)
    }

    /// A disk that fills up mid-build (here a file-size limit, so every write past 4 KB fails
    /// with EFBIG) is reported, and the site built before stays exactly as it was.
    func testAFullDiskKeepsTheOldSite() throws {
        let briefing = try TemporaryBriefing(["Content/actors/eu.md": "---\nname: EU\ntype: organization\n---\n" + String(repeating: "Long body. ", count: 2_000)])
        defer { briefing.cleanUp() }
        XCTAssertEqual(try run(["build"], in: briefing.root).status, 0)
        let before = TemporaryBriefing.snapshot(of: briefing.site)
        try briefing.write("Content/actors/eu.md", "---\nname: EU changed\ntype: organization\n---\n" + String(repeating: "Longer body. ", count: 2_000))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell ignores SIGXFSZ and exec keeps it ignored, so writes fail instead of killing.
        process.arguments = ["-c", "ulimit -f 8; trap '' XFSZ; exec \"$0\" build", executable.path]
        process.currentDirectoryURL = briefing.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("error: cannot write the site:"), stderr)
        XCTAssertEqual(TemporaryBriefing.snapshot(of: briefing.site), before)
        // The back folder and records stay beside the site.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: briefing.root.path).sorted(), [".Site.dossier", "Content", "Site"], "no staging left behind")
    }

    func testBadCommandLineUseExits64() throws {
        let folder = FileManager.default.temporaryDirectory
        XCTAssertEqual(try run(["build", "--no-such-flag"], in: folder).status, 64)
        XCTAssertEqual(try run(["frobnicate"], in: folder).status, 64)
        XCTAssertEqual(try run(["new", "actor", "x", "--name", "X", "--type", "alien"], in: folder).status, 64)
        XCTAssertEqual(try run(["new", "action", "x", "--title", "X", "--date", "22/03/2021", "--type", "sanction", "--by", "a"], in: folder).status, 64)
        XCTAssertEqual(try run(["new", "actor", "Bad_Slug", "--name", "X", "--type", "person"], in: folder).status, 64)
    }
}
