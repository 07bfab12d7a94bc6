@testable import DossierKit
import Foundation
import XCTest

/// One fixture briefing per kind of bad input, under `Fixtures/bad-input/<case>/`, each with the
/// exact lines the author must see in `expected.txt`. Set `DOSSIER_RECORD=1` to record them
/// anew (the test then fails, saying so, so a recording is never mistaken for a pass).
final class BadInputTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad-input")

    func testEveryFixtureGivesExactlyItsExpectedMessages() throws {
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        let recording = ProcessInfo.processInfo.environment["DOSSIER_RECORD"] == "1"
        for name in cases {
            let root = Self.fixtures.appendingPathComponent(name)
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-bad-\(UUID().uuidString)")
            defer {
                try? FileManager.default.removeItem(at: output)
                try? FileManager.default.removeItem(at: SiteWriter(output: output).workFolder)
            }
            let report = Builder(options: BuildOptions(root: root, output: output)).run()
            let actual = report.lines.joined(separator: "\n") + "\n"
            let expectedURL = root.appendingPathComponent("expected.txt")
            if recording {
                try Data(actual.utf8).write(to: expectedURL)
                XCTFail("recorded \(name)/expected.txt: check it, then run the tests without DOSSIER_RECORD")
                continue
            }
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            XCTAssertEqual(actual, expected, "fixture \(name)")
            if report.diagnostics.hasErrors {
                XCTAssertFalse(FileManager.default.fileExists(atPath: output.path), "\(name): a failed build wrote a site")
            }
        }
    }
}
