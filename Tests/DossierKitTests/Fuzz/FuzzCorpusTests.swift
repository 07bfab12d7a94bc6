import DossierFuzzTargets
import Foundation
import XCTest

/// Replays every input the fuzzer kept (`make fuzz` grows `Tests/FuzzCorpus/<target>/`) and every
/// crash it ever found, fixed since, as regression inputs: none may crash or hang.
final class FuzzCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    func testEveryCorpusInputRunsCleanly() throws {
        var count = 0
        for target in FuzzTargets.names {
            let folder = Self.corpus.appendingPathComponent(target)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                FuzzTargets.run(target, try Data(contentsOf: folder.appendingPathComponent(name)))
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 20)
    }

    /// Inputs that once crashed or hung a target, named `<target>-<kind>-<hash>` by libFuzzer.
    func testEveryFormerCrashRunsCleanly() throws {
        let folder = Self.corpus.appendingPathComponent("crashes")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() {
            guard let target = FuzzTargets.names.first(where: { name.hasPrefix($0 + "-") }) else { continue }
            FuzzTargets.run(target, try Data(contentsOf: folder.appendingPathComponent(name)))
        }
    }
}
