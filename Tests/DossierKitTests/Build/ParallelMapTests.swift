@testable import DossierKit
import XCTest

/// Work spread over the cores comes back in the elements' order, each element made once.
final class ParallelMapTests: XCTestCase {
    func testResultsAreInTheElementsOrder() {
        for count in [0, 1, 2, 31, 32, 33, 1000] {
            let elements = Array(0..<count)
            XCTAssertEqual(elements.parallelMap { $0 * 3 }, elements.map { $0 * 3 }, "count \(count)")
        }
    }

    func testHeaviestFirstStillGivesTheElementsOrderAndMakesEachOnce() {
        var generator = SeededGenerator(state: 7)
        for count in [0, 1, 2, 5, 100, 1000] {
            let weights = (0..<count).map { _ in Int.random(in: 0..<10, using: &generator) }
            let made = ManagedCounter()
            let results = Array(0..<count).parallelMap(heaviestFirst: { weights[$0] }) { index -> String in
                made.increment()
                return "\(index):\(weights[index])"
            }
            XCTAssertEqual(results, (0..<count).map { "\($0):\(weights[$0])" }, "count \(count)")
            XCTAssertEqual(made.value, count)
        }
    }

    func testOnThreadsOfItsOwnGivesTheElementsOrderAndMakesEachOnce() {
        for (count, threads) in [(0, 8), (1, 8), (2, 8), (7, 8), (1000, 8), (1000, 1), (1000, 3)] {
            let made = ManagedCounter()
            let results = Array(0..<count).parallelMap(threads: threads) { index -> String in
                made.increment()
                return "#\(index)"
            }
            XCTAssertEqual(results, (0..<count).map { "#\($0)" }, "count \(count), threads \(threads)")
            XCTAssertEqual(made.value, count)
        }
    }
}

/// A count several threads add to.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
