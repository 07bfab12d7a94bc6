import FlyingFox
import FlyingSocks
import Foundation

/// A Server-Sent Events response body: `event: build` with the build id each time a build
/// finishes, and a comment every few seconds so idle connections stay open. FlyingFox sends a
/// body of unknown length chunked, as it is produced.
struct EventStreamBody: AsyncBufferedSequence {
    typealias Element = UInt8
    let builds: AsyncStream<String>
    let heartbeat: Duration

    func makeAsyncIterator() -> Iterator {
        Iterator(events: Self.events(builds: builds, heartbeat: heartbeat).makeAsyncIterator())
    }

    /// Build ids and heartbeats merged into one stream of wire-format messages.
    static func events(builds: AsyncStream<String>, heartbeat: Duration) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            let forward = Task {
                for await id in builds { continuation.yield(Array("event: build\ndata: \(id)\n\n".utf8)) }
                continuation.finish()
            }
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    continuation.yield(Array(": keep-alive\n\n".utf8))
                }
            }
            continuation.onTermination = { _ in
                forward.cancel()
                beat.cancel()
            }
        }
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<[UInt8]>.Iterator
        var pending: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async -> ArraySlice<UInt8>? {
            if pending.isEmpty {
                guard let message = await events.next() else { return nil }
                pending = message[...]
            }
            let chunk = pending.prefix(Swift.max(count, 1))
            pending = pending.dropFirst(chunk.count)
            return chunk
        }
    }
}
