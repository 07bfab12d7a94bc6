@testable import DossierKit
import Foundation
import XCTest

/// Fixture briefings under `Fixtures/golden/<name>/`, built whole and compared file by file with
/// the committed output in `expected/`. `DOSSIER_RECORD=1` (or `make golden`) records it anew and
/// fails, so a recording is reviewed as a diff before it counts.
final class GoldenSiteTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    func testEveryFixtureBuildsExactlyItsExpectedSite() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 2)
        let recording = ProcessInfo.processInfo.environment["DOSSIER_RECORD"] == "1"
        for name in names {
            let root = Self.fixtures.appendingPathComponent(name)
            let expectedFolder = root.appendingPathComponent("expected")
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-golden-\(UUID().uuidString)")
            defer {
                try? FileManager.default.removeItem(at: output)
                try? FileManager.default.removeItem(at: SiteWriter(output: output).workFolder)
            }
            let report = Builder(options: BuildOptions(root: root, output: output)).run()
            XCTAssertFalse(report.diagnostics.hasErrors, "\(name): \(report.lines)")
            let actual = Self.generated(TemporaryBriefing.snapshot(of: output))
            if recording {
                try? FileManager.default.removeItem(at: expectedFolder)
                for (path, bytes) in actual {
                    let url = expectedFolder.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try bytes.write(to: url)
                }
                XCTFail("recorded \(name)/expected: review the diff, then run the tests without DOSSIER_RECORD")
                continue
            }
            let expected = TemporaryBriefing.snapshot(of: expectedFolder)
            XCTAssertEqual(actual.keys.sorted(), expected.keys.sorted(), "\(name): the files of the site")
            for (path, bytes) in actual.sorted(by: { $0.key < $1.key }) where expected[path] != bytes {
                XCTFail("\(name)/\(path) differs from expected:\n" + Self.lineDiff(expected[path] ?? Data(), bytes))
            }
        }
    }

    func testTheSubPathFixtureWarnsAboutItsDraftOnly() {
        let report = Builder(options: BuildOptions(root: Self.fixtures.appendingPathComponent("sub-path"), output: nil).withWritesOff).run()
        XCTAssertEqual(report.lines, [
            // The author's checks of `dossier check` (Build/AuthorChecks.swift).
            "Content/actions/counter-measures.md:1:1: warning: the action has no sources: add one under 'sources' so readers can check it",
            "Content/actions/eu-listing.md:6:24: warning: 'hidden-person' in 'targets' is a draft: it is left out of the site and shown as plain text",
            "Content/actions/older-statement.md:1:1: warning: the action has no sources: add one under 'sources' so readers can check it",
        ])
    }

    /// The site without the theme's assets copied as they are: those are the theme's own files,
    /// checked where they are made, and would only repeat `Templates/assets/` in every fixture.
    /// An asset that differs from the built-in one (a briefing's override) stays in.
    static func generated(_ files: [String: Data]) -> [String: Data] {
        files.filter { path, bytes in
            !(path.hasPrefix("assets/") && Theme.builtIn.files[path]?.bytes == bytes)
        }
    }

    /// The first lines that differ, as `-expected` / `+actual`.
    static func lineDiff(_ expected: Data, _ actual: Data) -> String {
        let a = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(a.count, b.count) where lines.count < 20 {
            let left = index < a.count ? String(a[index]) : nil, right = index < b.count ? String(b[index]) : nil
            if left != right {
                if let left { lines.append("\(index + 1) -\(left)") }
                if let right { lines.append("\(index + 1) +\(right)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension BuildOptions {
    var withWritesOff: BuildOptions {
        var options = self
        options.writes = false
        return options
    }
}
