import Foundation

/// A value for each index, made when first asked for, from any thread: what many pages, feeds
/// or packs share (an action's summary, an actor's link, an action's feed entry, a document's
/// clipped body) is made once, by whichever thread needs it first. Two threads asking at the
/// same moment may both make it; the value is the same either way.
final class LazyValues<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [Value?]
    private let make: @Sendable (Int) -> Value

    init(count: Int, make: @escaping @Sendable (Int) -> Value) {
        made = Array(repeating: nil, count: count)
        self.make = make
    }

    subscript(index: Int) -> Value {
        if let value = lock.withLock({ made[index] }) { return value }
        let value = make(index)
        lock.withLock { made[index] = value }
        return value
    }
}
