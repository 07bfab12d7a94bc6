@testable import DossierKit
import Foundation
import Synchronization
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
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), [".Site.dossier", "Site"])
    }

    func testRemovesLeftoversOfAKilledBuild() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".Site.staging-123/x"), withIntermediateDirectories: true)
        try SiteWriter(output: folder.appendingPathComponent("Site")).write([OutputFile(path: "index.html", text: "x")])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), [".Site.dossier", "Site"])
    }

    private func inode(_ url: URL) throws -> UInt64 {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? UInt64)
    }

    func testUnchangedFilesKeepTheirInodeChangedOnesDoNotAndTheSiteInPlaceIsNeverWritten() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        try writer.write([OutputFile(path: "same.html", text: "same"), OutputFile(path: "a/changes.html", text: "one"), OutputFile(path: "a/b/gone.txt", text: "gone")])
        let same = try inode(output.appendingPathComponent("same.html"))
        let changes = try inode(output.appendingPathComponent("a/changes.html"))
        let before = TemporaryBriefing.snapshot(of: output)

        let staging = try writer.makeStaging()
        try staging.write(Data("same".utf8), to: "same.html")
        try staging.write(Data("two".utf8), to: "a/changes.html")
        try staging.write(Data("new".utf8), to: "new/index.html")
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), before, "nothing shows before the swap")
        try writer.commit(staging, memory: SiteRecord.Memory())

        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["same.html": Data("same".utf8), "a/changes.html": Data("two".utf8), "new/index.html": Data("new".utf8)])
        XCTAssertEqual(try inode(output.appendingPathComponent("same.html")), same)
        XCTAssertNotEqual(try inode(output.appendingPathComponent("a/changes.html")), changes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("a/b").path), "emptied folders go too")
        // The record follows the folder through the swap.
        XCTAssertEqual(writer.currentRecord()?.files.keys.sorted(), ["a/changes.html", "new/index.html", "same.html"])
        XCTAssertEqual(writer.currentRecord()?.files["same.html"]?.hash, ContentHash.of("same"))
    }

    func testEveryThirdBuildStillMatchesWhatWasWritten() throws {
        // The back folder is two builds old when it is brought up to date: each build must make
        // it exactly the new site whatever the two before it wrote.
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            var files: [String: String] = [:]
            for index in 0..<8 where Bool.random(using: &generator) {
                let path = index % 3 == 0 ? "p\(index).html" : "d\(index % 4)/p\(index)/index.html"
                files[path] = "v\(Int.random(in: 0..<3, using: &generator))"
            }
            try writer.write(files.map { OutputFile(path: $0.key, text: $0.value) })
            XCTAssertEqual(TemporaryBriefing.snapshot(of: output), files.mapValues { Data($0.utf8) }, "round \(round)")
        }
    }

    func testAKilledBuildLeavesTheSiteAndTheNextBuildStartsTheBackFolderAgain() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        try writer.write([OutputFile(path: "index.html", text: "one")])
        try writer.write([OutputFile(path: "index.html", text: "two")])
        // A build that dies after writing part of the back folder and never commits.
        // (A killed process holds nothing: the staging, and its lock, end with this scope.)
        do {
            let staging = try writer.makeStaging()
            try staging.write(Data("half".utf8), to: "index.html")
            try staging.write(Data("stray".utf8), to: "stray.html")
        }
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("two".utf8)])
        try writer.write([OutputFile(path: "index.html", text: "three"), OutputFile(path: "other.html", text: "x")])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("three".utf8), "other.html": Data("x".utf8)])
        try writer.write([OutputFile(path: "index.html", text: "three")])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("three".utf8)])
    }

    func testASiteWithoutARecordIsComparedByteForByte() throws {
        let output = folder.appendingPathComponent("Site")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("a"), withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: output.appendingPathComponent("a/kept.html"))
        try Data("old".utf8).write(to: output.appendingPathComponent("a/old.html"))
        let kept = try inode(output.appendingPathComponent("a/kept.html"))
        try SiteWriter(output: output).write([OutputFile(path: "a/kept.html", text: "kept"), OutputFile(path: "a/old.html", text: "new")])
        XCTAssertEqual(try inode(output.appendingPathComponent("a/kept.html")), kept)
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["a/kept.html": Data("kept".utf8), "a/old.html": Data("new".utf8)])
    }

    func testAFileCanBecomeAFolderAndBack() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        for files in [["x": "file"], ["x/index.html": "folder"], ["x": "file"], ["x/index.html": "folder"], ["x/index.html": "folder", "y": "y"]] {
            try writer.write(files.map { OutputFile(path: $0.key, text: $0.value) })
            XCTAssertEqual(TemporaryBriefing.snapshot(of: output), files.mapValues { Data($0.utf8) })
        }
    }

    /// A site of one page, `p/index.html`, recorded as rendered from key 42.
    private func siteOfOnePage() throws -> (output: URL, writer: SiteWriter) {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        let first = try writer.makeStaging()
        try first.write(Data("page".utf8), to: "p/index.html", key: 42)
        try writer.commit(first, memory: SiteRecord.Memory())
        return (output, writer)
    }

    func testKeepLinksAFileRenderedFromTheSameKeyWithoutItsBytes() throws {
        let (output, writer) = try siteOfOnePage()
        let second = try writer.makeStaging()
        XCTAssertFalse(second.keep("p/index.html", key: 43))
        XCTAssertFalse(second.keep("q/index.html", key: 42))
        XCTAssertTrue(second.keep("p/index.html", key: 42))
        try writer.commit(second, memory: SiteRecord.Memory())
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["p/index.html": Data("page".utf8)])
        XCTAssertEqual(writer.currentRecord()?.files["p/index.html"]?.key, 42)
        // --clean keeps nothing.
        XCTAssertFalse(try writer.makeStaging(clean: true).keep("p/index.html", key: 42))
    }

    func testAStreamedFileIsWrittenKeptAndReplacedLikeAnyOther() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        func build(_ pieces: [String]) throws {
            let staging = try writer.makeStaging()
            try staging.writeStreamed(to: "data/big.json") { emit in for piece in pieces { try emit(Array(piece.utf8)) } }
            try writer.commit(staging, memory: SiteRecord.Memory())
        }
        try build(["{\"a\":", "1}"])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["data/big.json": Data("{\"a\":1}".utf8)])
        let first = try inode(output.appendingPathComponent("data/big.json"))
        try build(["{\"a\":", "1}"])
        try build(["{\"a\":", "1}"])
        XCTAssertEqual(try inode(output.appendingPathComponent("data/big.json")), first, "unchanged: linked, not written")
        try build(["{\"a\":", "2}"])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["data/big.json": Data("{\"a\":2}".utf8)], "no partial file left")
        XCTAssertNotEqual(try inode(output.appendingPathComponent("data/big.json")), first)
    }

    /// A streamed file goes over the back folder's own copy, which keeps its inode (a new file
    /// renamed over it freed all its blocks on the way), and is cut to the new length; over a
    /// copy the site in place shares, never: that file keeps its bytes.
    func testAStreamedFileGoesOverAnUnsharedOldCopyAndNeverOverTheSitesFile() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        let site = output.appendingPathComponent("data/big.json")
        let back = writer.workFolder.appendingPathComponent("back/data/big.json")
        func build(_ text: String) throws {
            let staging = try writer.makeStaging()
            try staging.writeStreamed(to: "data/big.json") { emit in for piece in [text.prefix(3), text.dropFirst(3)] { try emit(Array(piece.utf8)) } }
            try writer.commit(staging, memory: SiteRecord.Memory())
        }
        try build("the first, and longest, version")
        let first = try inode(site)
        try build("the second version")
        XCTAssertEqual(try inode(back), first, "the first build's file is the back folder's now")
        try build("third")
        XCTAssertEqual(try inode(site), first, "written over the back folder's own copy")
        XCTAssertEqual(try Data(contentsOf: site), Data("third".utf8), "and cut to its new length")
        XCTAssertEqual(try Data(contentsOf: back), Data("the second version".utf8))

        try build("third")
        XCTAssertEqual(try inode(back), try inode(site), "the same bytes: linked from the site")
        try build("fourth")
        XCTAssertEqual(try Data(contentsOf: site), Data("fourth".utf8))
        XCTAssertEqual(try Data(contentsOf: back), Data("third".utf8), "the file the site in place shared kept its bytes")
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["data/big.json": Data("fourth".utf8)], "no partial file left")
    }

    func testTwoBuildsOfOneOutputTakeTurns() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        try writer.write([OutputFile(path: "index.html", text: "zero")])
        let first = try writer.makeStaging()
        try first.write(Data("one".utf8), to: "index.html")
        let secondDone = DispatchSemaphore(value: 0)
        let finished = Mutex(false)
        DispatchQueue.global().async {
            defer { secondDone.signal() }
            guard let second = try? writer.makeStaging() else { return }
            try? second.write(Data("two".utf8), to: "index.html")
            try? writer.commit(second, memory: SiteRecord.Memory())
            finished.withLock { $0 = true }
        }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertFalse(finished.withLock { $0 }, "the second build waits while the first holds the folder")
        try writer.commit(first, memory: SiteRecord.Memory())
        secondDone.wait()
        XCTAssertTrue(finished.withLock { $0 })
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("two".utf8)])
        try writer.write([OutputFile(path: "index.html", text: "three")])
        XCTAssertEqual(TemporaryBriefing.snapshot(of: output), ["index.html": Data("three".utf8)])
    }

    /// Records read ahead under the lock (`prepareStaging`) are used by the staging made for the
    /// same `clean`; one made for the other lets go of the lock first, rather than wait on itself.
    func testAPreparedStagingIsUsedOrLetGo() throws {
        let writer = try siteOfOnePage().writer
        let prepared = try XCTUnwrap(writer.prepareStaging(clean: false))
        XCTAssertTrue(try writer.makeStaging(prepared: prepared).keep("p/index.html", key: 42), "the records read ahead")

        let mismatched = try XCTUnwrap(writer.prepareStaging(clean: false))
        let made = DispatchSemaphore(value: 0)
        let kept = Mutex<Bool?>(nil)
        DispatchQueue.global().async {
            let staging = try? writer.makeStaging(clean: true, prepared: mismatched)
            kept.withLock { $0 = staging?.keep("p/index.html", key: 42) }
            made.signal()
        }
        XCTAssertEqual(made.wait(timeout: .now() + 10), .success, "a preparation for the other `clean` must not keep its lock")
        XCTAssertEqual(kept.withLock { $0 }, false, "--clean keeps nothing")
    }

    /// A staging folder that starts empty makes the pages' folders ahead, on a thread of its own,
    /// parents first; pages then go straight into them. One that holds files makes none.
    func testFoldersAreMadeAheadOnlyInAFolderThatStartsEmpty() throws {
        let writer = SiteWriter(output: folder.appendingPathComponent("Site"))
        let fresh = try writer.makeStaging()
        let folders = ["actions"] + (0..<300).map { "actions/a-\($0)" }
        let made = try XCTUnwrap(fresh.makeFoldersAhead(folders))
        XCTAssertEqual(made.wait(timeout: .now() + 30), .success)
        for relative in folders {
            var isDirectory: ObjCBool = false
            XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.folder + "/" + relative, isDirectory: &isDirectory) && isDirectory.boolValue, relative)
        }
        try fresh.write(Array("x".utf8), to: "actions/a-7/index.html")
        try writer.commit(fresh, memory: SiteRecord.Memory())
        // A build into a new output leaves no back folder: the second build's starts empty too.
        let second = try writer.makeStaging()
        try second.write(Array("x".utf8), to: "actions/a-7/index.html")
        try writer.commit(second, memory: SiteRecord.Memory())
        // The third's is the first build's site, with its record.
        XCTAssertNil(try writer.makeStaging().makeFoldersAhead(folders))
    }

    /// A build killed while it saved a record or a cache leaves `<name>.tmp-<pid>`; the next
    /// build removes those of processes that are gone, and leaves a running build's alone.
    func testTemporaryFilesOfKilledBuildsAreRemoved() throws {
        let output = folder.appendingPathComponent("Site")
        let writer = SiteWriter(output: output)
        try writer.write([OutputFile(path: "index.html", text: "one")])
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let bodies = writer.workFolder.appendingPathComponent("bodies")
        try FileManager.default.createDirectory(at: bodies, withIntermediateDirectories: true)
        let dead = [writer.workFolder.appendingPathComponent("search.cache.tmp-\(gone.processIdentifier)"), bodies.appendingPathComponent("7.cache.tmp-\(gone.processIdentifier)")]
        let running = writer.workFolder.appendingPathComponent("parse.cache.tmp-\(getpid())")
        for file in dead + [running] { try Data("partial".utf8).write(to: file) }
        try writer.write([OutputFile(path: "index.html", text: "two")])
        for file in dead { XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), file.lastPathComponent) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: running.path), "a live process's file is its own")
    }

    func testTheRecordRoundTrips() throws {
        var memory = SiteRecord.Memory()
        memory.inputs = "abc"
        memory.changeLog = "{\"entries\": []}"
        memory.warnings = [SiteRecord.StoredDiagnostic(.warning("careful", at: SourceLocation(path: "Content/a.md", line: 3, column: 4)))]
        let record = SiteRecord(files: ["a b/c.html": .init(hash: 1, size: 2, key: 3), "odd\nname%.txt": .init(hash: .max, size: 0)], memory: memory)
        XCTAssertEqual(SiteRecord(encoded: record.encoded()), record)
        XCTAssertEqual(SiteRecord.files(encoded: record.encoded()), record.files)
        XCTAssertNil(SiteRecord(encoded: Array(record.encoded().dropLast(3))))
        XCTAssertNil(SiteRecord.files(encoded: Array(record.encoded().dropLast(3))))
        XCTAssertNil(SiteRecord(encoded: Array("garbage".utf8)))
        XCTAssertEqual(SiteRecord(encoded: SiteRecord(files: record.files).encoded())?.memory.changeLog, nil)
        // A record of the first version, with the change log inside the memory's JSON, still reads.
        let first = Array("dossier site record 1\n{\"changeLog\":\"state\\nlines\",\"fileCount\":1,\"pageCount\":1,\"warnings\":[]}\n0000000000000001 0000000000000003 2 a b/c.html\n".utf8)
        XCTAssertEqual(SiteRecord(encoded: first)?.memory.changeLog, "state\nlines")
        XCTAssertEqual(SiteRecord.files(encoded: first), ["a b/c.html": .init(hash: 1, size: 2, key: 3)])
        // A damaged number is no record, not a wrong one.
        let damaged = String(decoding: record.encoded(), as: UTF8.self).replacingOccurrences(of: " 2 a b", with: " 2x a b")
        XCTAssertNil(SiteRecord.files(encoded: Array(damaged.utf8)))
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
