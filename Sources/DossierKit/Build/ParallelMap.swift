import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` over every core, in order. Work is cut into chunks, and each result is made in its
    /// place in the one array returned: results gathered per chunk were copied again into it,
    /// every field of 12,000 bodies or models counted once more.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        guard count > 1 else { return map(transform) }
        // 64 chunks a core: where the work of an element varies (the search's shard jobs, a few
        // heavy ones at the end), four a core left one core idle while the other finished, and
        // at sixteen the last chunk of 12,000 pages still did (idle core time of a 10k build in
        // tmpfs 0.39-0.52 -> 0.29-0.35 s, three profiles each).
        let chunkCount = Swift.min(count, ProcessInfoCores.count * 64)
        let chunkSize = (count + chunkCount - 1) / chunkCount
        return [T](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            // Each chunk initializes only its own places, all of them, before this returns.
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let start = chunk * chunkSize
                let end = Swift.min(start + chunkSize, count)
                guard start < end else { return }
                for index in start..<end { (results.baseAddress! + index).initialize(to: transform(self[index])) }
            }
            initializedCount = count
        }
    }

    /// `parallelMap`, with the elements started heaviest first by `weight` (ties in order) and
    /// the results in the elements' order. Where a few elements are most of the work (the
    /// search's biggest keys), one of them reached last kept one core busy while the others
    /// had finished.
    func parallelMap<T: Sendable>(heaviestFirst weight: (Element) -> Int, _ transform: @Sendable (Element) -> T) -> [T] {
        let weights = map(weight)
        let order = indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        let made = order.parallelMap { transform(self[$0]) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            for (place, index) in order.enumerated() { (buffer.baseAddress! + index).initialize(to: made[place]) }
            initializedCount = count
        }
    }

    /// `map` on `threads` threads of its own at once, in order: for work that waits on the disk
    /// more than it computes. Reading 60,000 case files that were not in the page cache took 10 s
    /// with one thread a core, the disk given two reads at a time.
    func parallelMap<T: Sendable>(threads: Int, _ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        guard count > 1, threads > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            // Each index is taken once, so each place is initialized by one thread only.
            nonisolated(unsafe) let results = buffer
            let next = NextIndex()
            // A few indices at a time: one at a time, the threads of a stamp's walk over 10,000
            // files in memory took turns at the lock more than they looked files up.
            let runLength = Swift.max(1, Swift.min(16, count / (threads * 8)))
            let group = DispatchGroup()
            withoutActuallyEscaping(transform) { transform in
                // Lent to the threads through a box emptied once they are done: a `Thread` keeps
                // its block until it is freed, some time after it ends.
                let lent = Lent(transform)
                for _ in 0..<Swift.min(threads, count) {
                    group.enter()
                    Thread {
                        while let run = next.take(below: count, run: runLength) {
                            for index in run { (results.baseAddress! + index).initialize(to: lent.value!(self[index])) }
                        }
                        group.leave()
                    }.start()
                }
                group.wait()
                lent.value = nil
            }
            initializedCount = count
        }
    }
}

/// A value the threads of `parallelMap(threads:)` read, set to nil once they are all done.
private final class Lent<Value>: @unchecked Sendable {
    var value: Value?

    init(_ value: Value) {
        self.value = value
    }
}

/// The next indices for `parallelMap(threads:)`'s threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// The next `run` indices (fewer at the end), each taken once.
    func take(below count: Int, run: Int) -> Range<Int>? {
        lock.withLock {
            guard next < count else { return nil }
            let start = next
            next = Swift.min(count, next + run)
            return start..<next
        }
    }
}

enum ProcessInfoCores {
    static var count: Int {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }

    /// How many threads read files at once (`parallelMap(threads:)`): enough reads in flight for
    /// a disk, few enough to cost nothing much when the files are in memory.
    static var fileReaders: Int { Swift.max(count, 8) }
}

#if canImport(Glibc)
import Glibc
#endif
