@testable import DossierKit
import Foundation
import XCTest

/// Times the search index alone on a real briefing: `bench/search_bench.py` runs it in release
/// with `DOSSIER_SEARCH_BENCH_ROOT` pointing at the generated 10,000-action briefing. Skipped
/// otherwise, so `swift test` stays fast.
final class SearchIndexTimingTests: XCTestCase {
    func testIndexBuildTime() throws {
        guard let root = ProcessInfo.processInfo.environment["DOSSIER_SEARCH_BENCH_ROOT"] else {
            throw XCTSkip("set DOSSIER_SEARCH_BENCH_ROOT to a briefing to time its search index")
        }
        let (sources, _) = BriefingLoader(root: URL(fileURLWithPath: root, isDirectory: true)).load()
        let (briefing, _) = Builder.parse(sources, baseURL: nil)
        let (graph, _) = Linker.link(try XCTUnwrap(briefing), includeDrafts: false)
        let (bodies, _) = SiteRenderer.renderBodies(graph)

        func seconds(_ work: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        /// CPU time of the whole process, every thread: on a shared machine it says more than wall time.
        func cpuSeconds(_ work: () -> Void) -> Double {
            var before = timespec(), after = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before)
            work()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after)
            return Double(after.tv_sec - before.tv_sec) + Double(after.tv_nsec - before.tv_nsec) / 1e9
        }
        var shards: [OutputFile] = []
        var shardTimes: [Double] = []
        var exportTimes: [Double] = []
        for _ in 0..<3 {
            shardTimes.append(seconds { shards = SearchShards.files(graph: graph, bodies: bodies) })
            exportTimes.append(seconds { _ = SearchIndex.json(graph: graph, bodies: bodies) })
        }
        let documents = SearchDocument.all(graph: graph, bodies: bodies)
        print("search-bench phase_words_cpu_seconds \(cpuSeconds { _ = documents.parallelMap { $0.wordFields() } })")
        print("search-bench phase_clip_cpu_seconds \(cpuSeconds { for document in documents { _ = SearchShards.clip(document.text, to: SearchShards.textLimit) } })")
        print("search-bench shards_cpu_seconds \(cpuSeconds { _ = SearchShards.files(graph: graph, bodies: bodies) })")
        let bytes = shards.reduce(0) { $0 + $1.bytes.count }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        // One line a figure, read by the benchmark script.
        print("search-bench shards_seconds \(median(shardTimes))")
        print("search-bench export_seconds \(median(exportTimes))")
        print("search-bench shard_files \(shards.count)")
        print("search-bench shard_bytes \(bytes)")
    }
}
