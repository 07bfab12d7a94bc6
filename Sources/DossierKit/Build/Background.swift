import Foundation

/// A value made on another thread while the build goes on (a cache read from disk, the change
/// log), waited for where it is first needed.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Released once it has run, before `value` returns: what it captured (the graph, for the
    /// change log) is then held only by the build, which can change it without a copy.
    private var make: (@Sendable () -> Value)?
    /// Written once on the other thread, read only after `done`.
    private var made: Value?

    public init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
        done.enter()
        // A thread of its own, not one of the dispatch pool's: the pool runs as many at once as
        // there are cores, and a value on a rebuild's critical path (the search cache, the shards)
        // waited behind one needed later (the change log's pages), 10 ms at a time.
        Thread {
            self.made = self.make?()
            self.make = nil
            self.done.leave()
        }.start()
    }

    /// The value, once it is made.
    public var value: Value {
        done.wait()
        return made!
    }
}
