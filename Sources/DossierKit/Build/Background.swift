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
        DispatchQueue.global().async {
            self.made = self.make?()
            self.make = nil
            self.done.leave()
        }
    }

    /// The value, once it is made.
    public var value: Value {
        done.wait()
        return made!
    }
}
