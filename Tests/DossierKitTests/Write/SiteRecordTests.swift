@testable import DossierKit
import Foundation
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

    /// The same over several runs of lines (made a run of 4,096 at a time on every core).
    func testManyFilesGiveTheBytesOfASort() throws {
        var generator = SystemRandomNumberGenerator()
        let names = (0..<9000).map { "actions/a-\($0 * 7919 % 10007)/index.html" }
        let before = names.filter { _ in Int.random(in: 0..<10, using: &generator) > 0 }.sorted()
        var files: [String: SiteRecord.File] = [:]
        for name in names where Int.random(in: 0..<10, using: &generator) > 0 { files[name] = SiteRecord.File(hash: UInt64(name.utf8.count), size: 7, key: 3) }
        let record = SiteRecord(files: files)
        XCTAssertEqual(record.encoded(orderHint: before), record.encoded())
        let read = try XCTUnwrap(SiteRecord.filesInOrder(encoded: record.encoded(orderHint: before)))
        XCTAssertEqual(read.order, files.keys.sorted())
        XCTAssertEqual(read.files, files)
    }

    func testTheOrderReadBackIsTheOrderWritten() throws {
        let record = SiteRecord(files: ["b": .init(hash: 1, size: 1), "a": .init(hash: 2, size: 2), "c\nd": .init(hash: 3, size: 3)])
        let read = try XCTUnwrap(SiteRecord.filesInOrder(encoded: record.encoded()))
        XCTAssertEqual(read.order, ["a", "b", "c\nd"])
        XCTAssertEqual(read.files, record.files)
    }

    func testEveryPathAndNumberReadsBackAsWritten() throws {
        let paths = ["100%", "%0A literally", "line\nbreak\rreturn", "Ünïcode/x.html", " spaced out ", "%"]
        var files: [String: SiteRecord.File] = [:]
        for (index, path) in paths.enumerated() {
            files[path] = SiteRecord.File(hash: index.isMultiple(of: 2) ? UInt64.max : 0x0123_4567_89ab_cdef, size: index * 1_000_003, key: UInt64(index) << 60)
        }
        var record = SiteRecord(files: files)
        record.memory.changeLog = "a state\nof two lines"
        let read = try XCTUnwrap(SiteRecord(encoded: record.encoded()))
        XCTAssertEqual(read, record)
        XCTAssertNil(SiteRecord(encoded: record.encoded().dropLast()), "a line without its newline is a damaged record")
    }

    /// A record's lines (`SiteRecord.Lines`), read without values: each line's file and place,
    /// and those lines with files replaced and added are the lines of the record of the same files.
    func testLinesWithFilesReplacedAreTheRecordOfThoseFiles() throws {
        var generator = SystemRandomNumberGenerator()
        let names = (0..<300).map { "actions/a-\($0 * 7919 % 1000)/index.html" } + ["feed.xml", "a%b", "zz", "actors/b/feed.xml", "search/shards/t/9.bin"]
        for round in 0..<40 {
            var files: [String: SiteRecord.File] = [:]
            for name in names where Bool.random(using: &generator) { files[name] = SiteRecord.File(hash: UInt64(name.utf8.count * round), size: round, key: 3) }
            var record = SiteRecord(files: files)
            record.memory.changeLog = "a state"
            let lines = try XCTUnwrap(SiteRecord.Lines(MappedFile(copying: Data(record.encoded()))), "round \(round)")
            XCTAssertEqual(lines.lines.count, files.count)
            for (number, path) in files.keys.sorted().enumerated() {
                XCTAssertEqual(lines.path(number), path)
                XCTAssertEqual(lines.entry(number), files[path])
                XCTAssertEqual(lines.find(path), number)
            }
            XCTAssertNil(lines.find("not/there.html"))
            // Some replaced, some new, before, among and after the others.
            var changed: [String: SiteRecord.File] = [:]
            for name in names + ["0 first", "actions/new/index.html", "~ last"] where Int.random(in: 0..<8, using: &generator) == 0 {
                changed[name] = SiteRecord.File(hash: UInt64.random(in: 0...UInt64.max, using: &generator), size: 12, key: 0)
            }
            var after = record
            after.files.merge(changed) { _, new in new }
            XCTAssertEqual(record.encodedMemory(reservingLines: 0) + lines.replacing(changed), after.encoded(), "round \(round)")
        }
        // Out of order, or not a record: not read as lines.
        XCTAssertNil(SiteRecord.Lines(MappedFile(copying: Data("dossier site record 2\n{}\n-\n0000000000000002 0000000000000000 1 b\n0000000000000001 0000000000000000 1 a\n".utf8))))
        XCTAssertNotNil(SiteRecord.Lines(MappedFile(copying: Data("dossier site record 2\n{}\n-\n0000000000000001 0000000000000000 1 a\n0000000000000002 0000000000000000 1 b\n".utf8))))
        XCTAssertNil(SiteRecord.Lines(MappedFile(copying: Data("not a record".utf8))))
    }
}
