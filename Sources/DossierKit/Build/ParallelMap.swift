import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `map` over every core, in order. Work is cut into chunks so a lock is taken once a chunk.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        guard count > 1 else { return map(transform) }
        let chunkCount = Swift.min(count, ProcessInfoCores.count * 4)
        let chunkSize = (count + chunkCount - 1) / chunkCount
        let results = Mutex<[[T]]>(Array<[T]>(repeating: [], count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = Swift.min(start + chunkSize, count)
            guard start < end else { return }
            var local: [T] = []
            local.reserveCapacity(end - start)
            for index in start..<end { local.append(transform(self[index])) }
            results.withLock { $0[chunk] = local }
        }
        return results.withLock { $0.flatMap { $0 } }
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
}

#if canImport(Glibc)
import Glibc
#endif
