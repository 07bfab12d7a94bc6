@testable import DossierKit
import Foundation
import XCTest

/// The sharded index: document order, the field each term is found in, the packs and what they
/// carry, and that the page's entry points (manifest, packs, chunks) are where `search.js` looks.
final class SearchShardsTests: XCTestCase {
    private func build(_ extra: [String: String] = [:]) throws -> (TemporaryBriefing, [String: Data]) {
        var files = [
            "Content/actors/eu.md": CaseFile.actor("European Union", type: "organization", extra: "aliases: [EU]\ncountry: Belgium\n"),
            "Content/actors/zhu-hailun.md": CaseFile.actor("Zhu Hailun", extra: "aliases: [朱海仑]\n", body: "A Xinjiang official."),
            "Content/actions/old.md": CaseFile.action("Older sanctions on Zhu", date: "2020-01-01", extra: "targets: [zhu-hailun]\nmeasures: [asset freeze]\n"),
            "Content/actions/new.md": CaseFile.action("Newer statement", date: "2021-03-22", type: "statement", body: "Mentions sanctions in the body."),
            "Content/pages/about.md": "---\ntitle: About\n---\nAbout this briefing.\n",
        ]
        files.merge(extra) { _, new in new }
        let briefing = try TemporaryBriefing(files)
        let report = briefing.build()
        XCTAssertEqual(report.lines, [])
        return (briefing, TemporaryBriefing.snapshot(of: briefing.site.appendingPathComponent("search/shards")))
    }

    private func json(_ data: Data?) throws -> Any {
        let data = try XCTUnwrap(data)
        return try JSONSerialization.jsonObject(with: data.first == 0x78 ? XCTUnwrap(Deflate.decompress(data)) : data)
    }

    private func manifest(_ files: [String: Data]) throws -> [String: Any] {
        try XCTUnwrap(try json(files["manifest.json"]) as? [String: Any])
    }

    /// Every pack, decoded, in order.
    private func packs(_ files: [String: Data]) throws -> [[String: Any]] {
        let count = try XCTUnwrap((manifest(files)["packs"] as? String)?.split(separator: " ").count)
        return try (0..<count).map { try XCTUnwrap(try json(files["t/\($0).bin"]) as? [String: Any]) }
    }

    struct MissingSection: Error, CustomStringConvertible {
        let key: String
        var description: String { "no section \(key) in any pack" }
    }

    /// The section of `key` and the pack that holds it.
    private func section(_ key: String, in files: [String: Data]) throws -> (section: [String: Any], pack: [String: Any]) {
        for pack in try packs(files) {
            if let section = (pack["s"] as? [String: Any])?[key] as? [String: Any] { return (section, pack) }
        }
        // A missing section is a failure, never a skipped test.
        throw MissingSection(key: key)
    }

    /// Every posting of `term` as (document, field).
    private func postings(_ term: String, in files: [String: Data]) throws -> [(document: Int, field: Int)] {
        XCTAssertEqual((try manifest(files)["split"] as? [String: Any])?.count, 0, "this briefing is too small to split")
        let shard = try section(SearchShards.shardKey(term), in: files).section
        let terms = try XCTUnwrap(shard["t"] as? [String])
        let encoded = try XCTUnwrap(shard["p"] as? [String])
        let index = try XCTUnwrap(terms.firstIndex(of: term), "no term \(term)")
        return PostingsCoder.decode(encoded[index])
    }

    /// The documents a pack carries records of, with their records.
    private func carried(_ pack: [String: Any]) throws -> [Int: [Any]] {
        let documents = PostingsCoder.decode(try XCTUnwrap(pack["d"] as? String)).map(\.document)
        let records = try XCTUnwrap(pack["r"] as? [[Any]])
        XCTAssertEqual(documents.count, records.count)
        return Dictionary(uniqueKeysWithValues: zip(documents, records))
    }

    func testNumbersActionsNewestFirstThenActorsThenPages() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        let manifest = try manifest(files)
        XCTAssertEqual(manifest["version"] as? Int, SearchShards.version)
        XCTAssertEqual([manifest["actions"], manifest["actors"], manifest["pages"]] as? [Int], [2, 2, 1])
        let records = try XCTUnwrap(try json(files["d/0.bin"]) as? [[Any]])
        XCTAssertEqual(records.map { $0[0] as? String }, ["new", "old", "eu", "zhu-hailun", "about"])
        XCTAssertEqual(records[1][3] as? String, "2020-01-01")
        XCTAssertEqual(records[1][6] as? [String], ["European Union", "Zhu Hailun"], "an action's actor names, by role")
        XCTAssertEqual(records[2][5] as? [String], ["EU"], "aliases")
        XCTAssertEqual(try XCTUnwrap(try json(files["x/0.bin"]) as? [String])[0], "Mentions sanctions in the body.")
    }

    func testKeepsTheBestFieldOfEachTerm() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        // "zhu": the first word of the actor's name (3), a later word of the old action's title (1),
        // not found in the new action.
        XCTAssertEqual(try postings("zhu", in: files).map { [$0.document, $0.field] }, [[1, SearchField.name.rawValue], [3, SearchField.nameStart.rawValue]].map { $0.map(Int.init) })
        // "sanction" (stemmed): in the old action's title, the new action's body.
        XCTAssertEqual(try postings("sanction", in: files).map { [$0.document, $0.field] }, [[0, 1], [1, 3]])
        // A measure and a country are summary fields.
        XCTAssertEqual(try postings("freez", in: files).map(\.field), [Int(SearchField.summary.rawValue)])
        XCTAssertEqual(try postings("belgium", in: files).map(\.document), [2])
        // Stop words are kept in names and titles only: "on" in a title, not "in" in a body.
        XCTAssertEqual(try postings("on", in: files).map(\.document), [1])
        XCTAssertThrowsError(try section("in", in: files))
    }

    func testListsNamesForExactMatchesAndSplitsHanIntoWords() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        XCTAssertEqual(try section("zh", in: files).section["n"] as? [[AnyHashable]], [["zhu hailun", 3]])
        let han = try section("朱", in: files).section
        XCTAssertEqual(han["n"] as? [[AnyHashable]], [["朱 海 仑", 3]])
        XCTAssertEqual(han["t"] as? [String], ["朱"])
    }

    func testAPackCarriesTheRecordsOfItsNamesAndABodyWindow() throws {
        let (briefing, files) = try build()
        defer { briefing.cleanUp() }
        let (_, pack) = try section("zh", in: files)
        XCTAssertEqual(try carried(pack)[3]?[0] as? String, "zhu-hailun")
        // "mentions" is only in the new action's body: its pack has a window around it.
        let (_, bodyPack) = try section("me", in: files)
        let records = try carried(bodyPack)
        XCTAssertEqual(records[0]?[0] as? String, "new")
        let documents = PostingsCoder.decode(try XCTUnwrap(bodyPack["d"] as? String)).map(\.document)
        let windows = try XCTUnwrap(bodyPack["w"] as? [[Any]])
        XCTAssertTrue(windows.contains { documents[$0[0] as! Int] == 0 && ($0[2] as? String) == "Mentions sanctions in the body." }, "\(windows)")
    }

    /// A briefing large enough to split sections and fill many packs, with names of several words.
    private func largeBriefing(actions: Int, actors: Int) -> [String: String] {
        let first = ["Nadia", "Chen", "Omar", "Lena", "Ivan", "Sofia", "Ravi", "Mei", "Jonas", "Aya"]
        let last = ["Gomez", "Larsen", "Ortiz", "Rezaei", "Pham", "Hill", "Deng", "Novak", "Sato", "Kaya"]
        let verbs = ["freezes", "bans", "sanctions", "condemns", "restricts", "lists", "charges", "reviews"]
        let filler = ["shipments", "cooperation", "deadline", "regulations", "transactions", "exemptions", "assets",
                      "allegations", "framework", "testimony", "designations", "penalties", "guidance", "networks"]
        var generator = SeededGenerator(state: 7)
        func pick(_ words: [String]) -> String { words[Int(generator.next() % UInt64(words.count))] }
        var files: [String: String] = [:]
        for number in 0..<actors {
            files["Content/actors/actor-\(number).md"] = CaseFile.actor("\(first[number % 10]) \(last[(number / 10) % 10]) \(number)",
                                                                          body: (0..<40).map { _ in pick(filler) }.joined(separator: " ") + ".")
        }
        for number in 0..<actions {
            let by = number % actors, target = (number * 7 + 3) % actors
            let title = "\(first[by % 10]) \(last[(by / 10) % 10]) \(pick(verbs)) \(first[target % 10]) \(last[(target / 10) % 10])"
            files["Content/actions/action-\(number).md"] = CaseFile.action(
                title, date: String(format: "20%02d-%02d-%02d", 10 + number % 12, 1 + number % 12, 1 + number % 28), by: "[actor-\(by)]",
                extra: "targets: [actor-\(target)]\nsummary: \(pick(filler)) word\(number)a word\(number)b\n",
                body: (0..<60).map { _ in pick(filler) }.joined(separator: " ") + " term\(number % 97).")
        }
        return files
    }

    func testAFewFilesHoldALargeBriefingAndEveryOneWordQueryShowsFromItsPack() throws {
        let (actions, actors) = (600, 100)
        let (briefing, files) = try build(largeBriefing(actions: actions, actors: actors))
        defer { briefing.cleanUp() }
        let documents = actions + actors + 2 + 1
        let manifest = try manifest(files)
        let packs = try self.packs(files)
        // The old layout wrote a file per two-character key, per four records and per two bodies:
        // about 700 here. Now: the packs, a record chunk per 128 documents, a body chunk per 256.
        let recordChunks = (documents + SearchShards.docsPerChunk - 1) / SearchShards.docsPerChunk
        let bodyChunks = (documents + SearchShards.textsPerChunk - 1) / SearchShards.textsPerChunk
        XCTAssertEqual(files.keys.filter { $0.hasPrefix("d/") }.count, recordChunks)
        XCTAssertEqual(files.keys.filter { $0.hasPrefix("x/") }.count, bodyChunks)
        XCTAssertEqual(files.count, packs.count + recordChunks + bodyChunks + 2)
        XCTAssertLessThan(files.count, 40, "\(files.count) files")
        XCTAssertFalse((manifest["split"] as? [String: Any] ?? [:]).isEmpty, "large enough to split a key")

        // For every term of every section: its first ten documents as a one-word query ranks them
        // are carried by the pack holding the section.
        let actionCount = try XCTUnwrap(manifest["actions"] as? Int)
        for pack in packs {
            let carried = try Set(self.carried(pack).keys)
            for (key, value) in try XCTUnwrap(pack["s"] as? [String: [String: Any]]) {
                let terms = value["t"] as? [String] ?? []
                for (term, encoded) in zip(terms, value["p"] as? [String] ?? []) {
                    let postings = PostingsCoder.decode(encoded).map { UInt32($0.document) << 2 | UInt32($0.field - 1) }
                    for (document, _) in SearchPicks.top([postings], actions: actionCount) {
                        XCTAssertTrue(carried.contains(document), "\(key): \(term) needs \(document)")
                    }
                }
                for name in value["n"] as? [[Any]] ?? [] { XCTAssertTrue(carried.contains(name[1] as! Int), "\(key): name \(name)") }
            }
        }
    }

    func testARecordLeavesOutTheActorsItsTitleNamesAndTheRestWhenAsked() {
        let document = SearchDocument(id: "eu-lee", kind: .action, names: ["EU sanctions Ana Lee"], typeIndex: 0, date: DayDate(year: 2021, month: 3, day: 22),
                                      summary: nil, shortFields: [], actorNames: ["EU", "Ana Lee", "Council"], body: RenderedMarkdown(html: "<p>Body.</p>", plainText: "Body."))
        XCTAssertEqual(SearchShards.record(document).serialized, #"["eu-lee","EU sanctions Ana Lee",0,"2021-03-22","Body.",[],["Council"]]"#)
        XCTAssertEqual(SearchShards.record(document, names: false).serialized, #"["eu-lee","EU sanctions Ana Lee",0,"2021-03-22","Body.",[],null]"#)
    }

    func testRanksAsThePageDoes() {
        // Document 0 (an action) with the word in its body, 1 (an action) at the start of its
        // title, 2 (an action) later in its title, 5 (an actor) in its name, 6 (an actor) in its summary.
        let postings: [UInt32] = [0 << 2 | 0, 1 << 2 | 3, 2 << 2 | 2, 5 << 2 | 2, 6 << 2 | 1]
        XCTAssertEqual(SearchPicks.top([postings], actions: 5).map { [$0.document, $0.rank] }, [[5, 1], [1, 2], [2, 3], [6, 4], [0, 5]])
        // Two words: the weaker field decides, and the first word's field the title start.
        let second: [UInt32] = [1 << 2 | 1, 2 << 2 | 3, 5 << 2 | 3]
        XCTAssertEqual(SearchPicks.top([postings, second], actions: 5).map { [$0.document, $0.rank] }, [[5, 1], [2, 3], [1, 4]])
    }

    /// The picks of queries of one to four words, from random postings lists of very different
    /// lengths, against their definition: every document in all the lists, ranked by the weakest
    /// field (and the first word's), the first `perTerm` by rank, then document.
    func testTopIsTheFirstMatchesByRankThenDocument() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let documents = Int.random(in: 1...400, using: &generator), actions = Int.random(in: 0...documents, using: &generator)
            let lists: [[UInt32]] = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                let density = [0.01, 0.1, 0.5, 0.95].randomElement(using: &generator)!
                return (0..<documents).filter { _ in Double.random(in: 0..<1, using: &generator) < density }
                    .map { UInt32($0) << 2 | UInt32.random(in: 0...3, using: &generator) }
            }
            guard lists.allSatisfy({ !$0.isEmpty }) else { continue }
            var expected: [(document: Int, rank: Int)] = []
            for document in 0..<documents {
                let fields = lists.compactMap { list in list.first { $0 >> 2 == UInt32(document) }.map { $0 & 3 } }
                guard fields.count == lists.count else { continue }
                let weakest = fields.min()!
                let rank = weakest >= 2 ? (document >= actions ? 1 : fields[0] == 3 ? 2 : 3) : weakest == 1 ? 4 : 5
                expected.append((document, rank))
            }
            expected.sort { ($0.rank, $0.document) < ($1.rank, $1.document) }
            let top = SearchPicks.top(lists, actions: actions)
            XCTAssertEqual(top.map { [$0.document, $0.rank] }, expected.prefix(SearchPicks.perTerm).map { [$0.document, $0.rank] })
        }
    }

    func testWindowsCutAroundTheFirstOccurrenceAtSpaces() {
        var tokenizer = SearchTokenizer()
        let text = (0..<30).map { "word\($0)" }.joined(separator: " ") + " Sanctioned here " + (0..<40).map { "tail\($0)" }.joined(separator: " ")
        let windows = SearchWindows.windows(in: text, terms: ["sanction", "absent"], tokenizer: &tokenizer)
        XCTAssertEqual(windows.count, 1)
        let window = windows[0].text
        XCTAssertTrue(window.hasPrefix("…word") && window.hasSuffix("…") && window.contains("Sanctioned here"), window)
        XCTAssertLessThanOrEqual(window.utf8.count, SearchWindows.before + SearchWindows.after + 6)
        XCTAssertEqual(SearchWindows.windows(in: "Sanctions first.", terms: ["sanction"], tokenizer: &tokenizer).map(\.text), ["Sanctions first."])
    }

    func testDeflateRoundTrips() {
        let bytes = Array(String(repeating: "{\"t\":[\"sanction\"]}", count: 100).utf8)
        let compressed = Deflate.compress(bytes)
        XCTAssertEqual(compressed.first, 0x78, "a zlib stream, as search.js detects it")
        XCTAssertLessThan(compressed.count, bytes.count / 10)
        XCTAssertEqual(Deflate.decompress(compressed).map { [UInt8]($0) }, bytes)
        XCTAssertNil(Deflate.decompress(Data("not zlib".utf8)))
    }

    func testShardKeys() {
        XCTAssertEqual(SearchShards.shardKey("sanction"), "sa")
        XCTAssertEqual(SearchShards.shardKey("u"), "u")
        XCTAssertEqual(SearchSections.sectionKey(of: "sanctions", split: ["sa": "n", "san": "c"]), "sanc")
        XCTAssertEqual(SearchSections.sectionKey(of: "sabre", split: ["sa": "n"]), "sa", "no terms go on with sab: the names stay at sa")
    }

    func testClipsAtASpaceWithAnEllipsis() {
        XCTAssertEqual(SearchShards.clip("one  two\nthree", to: 100), "one two three")
        XCTAssertEqual(SearchShards.clip("alpha beta gamma delta", to: 12), "alpha beta…")
        XCTAssertEqual(SearchShards.clip("  \n ", to: 0), "")
        XCTAssertEqual(SearchShards.clip(" x", to: 0), "…")
    }

    /// `dossier_clip` against the Swift loop it replaced, on random mixes of ASCII, multi-byte
    /// letters and Unicode white space, at limits around their lengths.
    func testClipMatchesTheSwiftRule() {
        var generator = SeededGenerator(state: 2026_1130_04)
        let pieces = ["a", "word", " ", "  ", "\n", "\t", "\u{a0}", "\u{2003}", "\u{3000}", "é", "中文", "😀", "e\u{301}", "\u{85}", "\u{200b}"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let limit = Int.random(in: 0...40, using: &generator)
            XCTAssertEqual(SearchShards.clip(text, to: limit), Self.clipReference(text, to: limit), "\(text.debugDescription) at \(limit)")
        }
    }

    /// `SearchShards.clip` as it was written in Swift.
    private static func clipReference(_ text: String, to limit: Int) -> String {
        var output: [UInt8] = []
        var count = 0
        var lastSpace: (byteIndex: Int, count: Int)?
        var pendingSpace = false
        var truncated = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            let end = min(index + width, bytes.count)
            let isSpace: Bool
            if byte < 0x80 {
                isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            } else {
                var value = UInt32(byte) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                for offset in index + 1..<end { value = value << 6 | UInt32(bytes[offset] & 0x3F) }
                isSpace = Unicode.Scalar(value)?.properties.isWhitespace ?? false
            }
            if isSpace {
                pendingSpace = !output.isEmpty
                index = end
                continue
            }
            if count + (pendingSpace ? 2 : 1) > limit {
                truncated = true
                break
            }
            if pendingSpace {
                lastSpace = (output.count, count)
                output.append(0x20)
                count += 1
                pendingSpace = false
            }
            output += bytes[index..<end]
            count += 1
            index = end
        }
        if truncated {
            if let lastSpace, lastSpace.count > limit / 2 { output.removeSubrange(lastSpace.byteIndex...) }
            output += "…".utf8
        }
        return String(decoding: output, as: UTF8.self)
    }

    func testDayNumbersMatchJavaScriptDateUTC() {
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 1970, month: 1, day: 1)!), 0)
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 2021, month: 3, day: 22)!), 18708)
        XCTAssertEqual(SearchShards.dayNumber(DayDate(year: 2000, month: 2, day: 29)!), 11016)
    }

    /// A record leaves out the actor names its title already holds, found byte for byte.
    func testNamesInTheTitleAreFoundByteForByte() {
        XCTAssertTrue(SearchShards.contains("EU sanctions Zhu Hailun 朱海仑", "Zhu Hailun"))
        XCTAssertTrue(SearchShards.contains("EU sanctions Zhu Hailun 朱海仑", "朱海仑"))
        XCTAssertTrue(SearchShards.contains("anything", ""))
        XCTAssertFalse(SearchShards.contains("EU sanctions Zhu", "Zhu Hailun"))
        XCTAssertFalse(SearchShards.contains("", "a"))
        XCTAssertFalse(SearchShards.contains("Ministry of Commerce", "commerce"), "case counts")
    }
}
