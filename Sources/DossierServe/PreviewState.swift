import DossierKit
import Foundation

/// What the preview knows about its builds: the id of the latest one, the problems of the last
/// failed one, whether any build ever succeeded, and the pages listening for the next.
public actor PreviewState {
    /// Differs between server runs, so an open page reloads after a restart too.
    private let runID: String
    private var buildNumber = 0
    public private(set) var problems: [Diagnostic] = []
    public private(set) var hasGoodBuild = false
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]

    public init(runID: String = String(UInt64.random(in: 0...UInt64.max), radix: 36)) {
        self.runID = runID
    }

    public var buildID: String { "\(runID)-\(buildNumber)" }

    /// Records a finished build and tells every open page.
    public func finished(_ report: BuildReport) {
        buildNumber += 1
        if report.succeeded {
            hasGoodBuild = true
            problems = []
        } else {
            problems = report.diagnostics.sorted
        }
        for listener in listeners.values { listener.yield(buildID) }
    }

    /// A stream of build ids: the current one first, then one per finished build.
    public func listen() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield(buildID)
        continuation.onTermination = { _ in Task { await self.stopListening(id) } }
        listeners[id] = continuation
        return stream
    }

    private func stopListening(_ id: UUID) {
        listeners[id] = nil
    }
}
