@testable import DossierServe
import Foundation
import XCTest

final class ChangeWatcherTests: XCTestCase {
    private func makeRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Content/actors"), withIntermediateDirectories: true)
        return root
    }

    func testABurstOfSavesIsOneChangeAndNewFoldersAreWatched() async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let changes = ChangeWatcher(root: root, quietPeriod: .milliseconds(150)).changes()
        var iterator = changes.makeAsyncIterator()
        try await Task.sleep(for: .milliseconds(100))

        for number in 0..<20 {
            try Data("v\(number)".utf8).write(to: root.appendingPathComponent("Content/actors/a.md"), options: .atomic)
        }
        let first = await iterator.next()
        XCTAssertNotNil(first)

        // Nothing else is pending from that burst.
        let counter = Counter()
        let waiter = Task { [iterator] in
            var iterator = iterator
            _ = await iterator.next()
            await counter.bump()
        }
        try await Task.sleep(for: .milliseconds(600))
        let extra = await counter.value
        XCTAssertEqual(extra, 0, "a burst of saves gave more than one change")

        // A folder made after the watch began is watched too.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Content/assets/img"), withIntermediateDirectories: true)
        try await Task.sleep(for: .milliseconds(400))
        try Data("png".utf8).write(to: root.appendingPathComponent("Content/assets/img/x.png"))
        try await Task.sleep(for: .milliseconds(800))
        let afterNewFolder = await counter.value
        XCTAssertEqual(afterNewFolder, 1)
        waiter.cancel()
    }

    func testEditorNoiseIsIgnored() {
        XCTAssertTrue(ChangeWatcher.isNoise(".a.md.swp"))
        XCTAssertTrue(ChangeWatcher.isNoise("a.md~"))
        XCTAssertTrue(ChangeWatcher.isNoise("4913"))
        XCTAssertFalse(ChangeWatcher.isNoise("a.md"))
    }

    func testThePollingFallbackSeesChanges() async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let counter = Counter()
        let stop = ChangeWatcher.poll(root: root, every: .milliseconds(50)) { Task { await counter.bump() } }
        defer { stop() }
        try await Task.sleep(for: .milliseconds(150))
        try Data("x".utf8).write(to: root.appendingPathComponent("Content/actors/b.md"))
        try await Task.sleep(for: .milliseconds(400))
        let value = await counter.value
        XCTAssertGreaterThanOrEqual(value, 1)
    }
}

actor Counter {
    private(set) var value = 0
    func bump() { value += 1 }
}
