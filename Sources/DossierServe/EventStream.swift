/// Server-Sent Events for the open pages: `event: build` with the build id each time a build
/// finishes, and a comment every few seconds so idle connections stay open.
enum EventStream {
    static func messages(builds: AsyncStream<String>, heartbeat: Duration) -> AsyncStream<[UInt8]> {
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
}
