@testable import DossierKit
import XCTest

final class PatchStateTests: XCTestCase {
    private func sample() -> PatchState {
        var corpus = SearchCorpus(slugs: ["sanction", "person", "about"], keys: [11, 22, 33], typeIndices: [0, 3, nil],
                                  dates: [DayDate(year: 2024, month: 3, day: 22), nil, nil],
                                  named: [SearchCorpus.Named(document: 1, names: ["A Person", "Alias"]), SearchCorpus.Named(document: 2, names: ["About"])],
                                  actionCount: 1, actorCount: 1, pageCount: 1)
        // Numbers near the end larger than the bytes left after them, as at 10,000 actions.
        corpus.slugs += (3..<300).map { "page-\($0)" }
        corpus.keys += (3..<300).map { UInt64($0) }
        corpus.typeIndices += Array(repeating: nil, count: 297)
        corpus.dates += Array(repeating: nil, count: 297)
        corpus.named.append(SearchCorpus.Named(document: 299, names: ["Last"]))
        corpus.pageCount = 298
        let files = [
            PatchState.CaseFile(path: "Content/actions/sanction.md", signature: 7, contentHash: 8, place: .action(0), fingerprint: 9, bodyFingerprint: 10),
            PatchState.CaseFile(path: "Content/actions/draft.md", signature: 0, contentHash: 0, place: nil, fingerprint: 0, bodyFingerprint: 0),
            PatchState.CaseFile(path: "Content/actors/person.md", signature: 1, contentHash: 2, place: .actor(0), fingerprint: 3, bodyFingerprint: 4),
            PatchState.CaseFile(path: "Content/pages/about.md", signature: 5, contentHash: 6, place: .page(0), fingerprint: 12, bodyFingerprint: 13),
        ]
        return PatchState(tool: InputStamp.tool(), rest: 42, fileCount: 99, asOf: DayDate(year: 2024, month: 3, day: 22), pages: [("about", "About")],
                          targets: [LinkTarget(kind: .action, slug: "sanction", title: "A sanction", isPublished: true),
                                    LinkTarget(kind: .action, slug: "draft", title: "A draft", isPublished: false)],
                          unreadableSlugs: ["broken"], files: files, corpus: corpus)
    }

    func testTheStateReadsBackAsWritten() throws {
        let state = sample()
        let bytes = state.encoded()
        let read = try XCTUnwrap(bytes.withUnsafeBytes { PatchState(encoded: $0) })
        XCTAssertEqual(read.files, state.files)
        XCTAssertEqual(read.corpus, state.corpus)
        XCTAssertEqual(read.targets, state.targets)
        XCTAssertEqual(read.unreadableSlugs, ["broken"])
        XCTAssertEqual(read.pages.map(\.slug), ["about"])
        XCTAssertEqual(read.asOf, state.asOf)
        XCTAssertEqual(read.rest, 42)
        XCTAssertEqual(read.fileCount, 99)
        XCTAssertEqual(read.encoded(), bytes)
    }

    func testADamagedOrForeignStateReadsAsNone() {
        var bytes = sample().encoded()
        bytes[bytes.count / 2] ^= 1
        XCTAssertNil(bytes.withUnsafeBytes { PatchState(encoded: $0) }, "the checksum catches a changed byte")
        XCTAssertNil([UInt8]("dossier patch state 0\n".utf8).withUnsafeBytes { PatchState(encoded: $0) })
    }
}

