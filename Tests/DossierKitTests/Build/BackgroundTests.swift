@testable import DossierKit
import Foundation
import XCTest

/// `Background` hands over what it made, and by then has let go of what its job captured: the
/// builder changes the graph it gave the change log (`dropMarkdown`) and counts on holding the
/// only reference, or the whole graph would be copied.
final class BackgroundTests: XCTestCase {
    private final class Captured: @unchecked Sendable {
        let numbers = Array(0..<1000)
    }

    func testTheValueIsMadeOnceAndWhatItCapturedIsReleasedBeforeItIsHandedOver() {
        var captured: Captured? = Captured()
        weak let watched = captured
        let started = DispatchSemaphore(value: 0)
        let background = Background { [captured] in
            started.signal()
            Thread.sleep(forTimeInterval: 0.05)
            return captured!.numbers.reduce(0, +)
        }
        captured = nil
        started.wait()
        XCTAssertEqual(background.value, 499_500)
        XCTAssertNil(watched, "the job's capture outlived the job")
        XCTAssertEqual(background.value, 499_500)
    }

    func testAGraphGivenToTheChangeLogIsNotCopiedWhenTheBuildChangesIt() throws {
        let briefing = try TemporaryBriefing(["Content/actors/eu.md": CaseFile.actor("European Union", type: "organization", body: "A union.")])
        defer { briefing.cleanUp() }
        let (sources, _) = BriefingLoader(root: briefing.root).load()
        let (parsed, _) = Builder.parse(sources, baseURL: nil)
        var (graph, _) = Linker.link(try XCTUnwrap(parsed), includeDrafts: false)
        let log = Background { [graph] in ChangeLog.next(after: nil, graph: graph) }
        _ = log.value
        // Unique again: the change in place reuses the array's storage.
        let before = graph.actors.withUnsafeBufferPointer { $0.baseAddress }
        graph.dropMarkdown()
        XCTAssertEqual(graph.actors.withUnsafeBufferPointer { $0.baseAddress }, before)
        XCTAssertEqual(graph.actors[0].body.markdown, "")
    }
}
