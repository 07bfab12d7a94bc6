@testable import DossierKit
import XCTest

/// A record's files are written sorted by path; an earlier record's order, when given, must give
/// the same bytes as sorting, whatever paths came and went since.
final class SiteRecordTests: XCTestCase {
    func testAnEarlierOrderGivesTheBytesOfASort() {
        var generator = SystemRandomNumberGenerator()
        let names = (0..<400).map { "actions/a-\($0 * 7919 % 1000)/index.html" } + ["feed.xml", "a%b", "Ünïcode/x.html", "zz", "actors/b/feed.xml"]
        for round in 0..<50 {
            let before = names.filter { _ in Bool.random(using: &generator) }.sorted()
            var files: [String: SiteRecord.File] = [:]
            for name in names where Bool.random(using: &generator) { files[name] = SiteRecord.File(hash: UInt64(name.utf8.count), size: round, key: 3) }
            let record = SiteRecord(files: files)
            XCTAssertEqual(record.encoded(orderHint: before), record.encoded(), "round \(round)")
            XCTAssertEqual(record.encoded(orderHint: before.shuffled(using: &generator)), record.encoded(), "a hint out of order is not used")
        }
    }

    func testTheOrderReadBackIsTheOrderWritten() throws {
        let record = SiteRecord(files: ["b": .init(hash: 1, size: 1), "a": .init(hash: 2, size: 2), "c\nd": .init(hash: 3, size: 3)])
        let read = try XCTUnwrap(SiteRecord.filesInOrder(encoded: record.encoded()))
        XCTAssertEqual(read.order, ["a", "b", "c\nd"])
        XCTAssertEqual(read.files, record.files)
    }
}
