@testable import DossierKit
import Foundation
import XCTest

final class SourceFileTests: XCTestCase {
    /// The slug cut from the path's bytes is the one splitting the path at slashes gave.
    func testSlugMatchesSplittingThePath() {
        func reference(_ path: String) -> String {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        }
        let fixed = ["Content/actions/eu-sanctions.md", "eu.md", ".md", "md", "a/.md", "a/b.md/", "///", "", "a//b", "Content/pages/about",
                     "Content/actors/zhu-hailun.md.md", "x/é.md", "x/中文.md", "/abs/path/x.md", "x.mdx"]
        for path in fixed { XCTAssertEqual(SourceFile(path: path, bytes: Data()).slug, reference(path), path) }
        var generator = SeededGenerator(state: 2026_1130_03)
        let pieces = ["a", "/", ".md", ".", "m", "d", "é", "-"]
        for _ in 0..<2_000 {
            let path = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            XCTAssertEqual(SourceFile(path: path, bytes: Data()).slug, reference(path), path)
        }
    }
}
