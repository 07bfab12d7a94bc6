import DossierKit
import Foundation

/// `dossier serve`: builds the briefing into a private folder, serves it on loopback, rebuilds
/// when `Content/` or `Templates/` change, and tells open pages to reload. A failed rebuild keeps
/// the last good site on disk (the writer only swaps in complete builds) and shows its
/// diagnostics in the terminal and over every page until a save fixes it.
public struct PreviewServer: Sendable {
    public struct Options: Sendable {
        public var root: URL
        public var host = "127.0.0.1"
        public var port: UInt16 = 8000
        public var includeDrafts = false

        public init(root: URL) {
            self.root = root.standardizedFileURL
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotListen(host: String, port: UInt16, reason: String)

        public var description: String {
            switch self {
            case let .cannotListen(host, port, reason): "cannot listen on \(host):\(port): \(reason)"
            }
        }
    }

    public let options: Options
    /// Where the preview builds; never `Site/`, which stays what `dossier build` made.
    public let output: URL
    let log: @Sendable (String) -> Void

    public init(options: Options, output: URL? = nil, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.output = output ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("dossier-preview-\(getpid())").appendingPathComponent("site")
        self.log = log
    }

    /// Builds, serves and watches until the task is cancelled (Ctrl-C). `ready` hears the URL
    /// once the server is listening.
    public func run(ready: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let state = PreviewState()
        let first = await build()
        await state.finished(first)
        report(first)

        // Fixed for the session, from site.yml as the first build read it.
        let basePath = first.basePath ?? "/"
        let responder = PreviewResponder(siteFolder: output, basePath: basePath, state: state)
        let server = PreviewHTTPServer(host: options.host, port: Int(options.port), responder: responder)
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        let watcher = ChangeWatcher(root: options.root)

        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run { port in ready("http://\(host):\(port)\(basePath)") }
            }
            group.addTask {
                for await _ in watcher.changes() {
                    let report = await build()
                    await state.finished(report)
                    self.report(report)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// One build, on a thread of its own: a build is seconds of CPU work and must not hold one
    /// of the few threads the HTTP server's tasks run on. Nor one of Dispatch's: the builder
    /// waits for work it hands to them, and on Linux a waiting worker still counts against their
    /// number (one per core), so a build run on one left a core idle whenever it waited.
    func build() async -> BuildReport {
        var buildOptions = BuildOptions(root: options.root, output: output)
        buildOptions.includeDrafts = options.includeDrafts
        let builder = Builder(options: buildOptions)
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: builder.run()) }
            // As much stack as the main thread, which `dossier build` runs on: parsing YAML and
            // Markdown and rendering templates recurse.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func report(_ report: BuildReport) {
        for diagnostic in report.diagnostics.sorted { log(diagnostic.description) }
        if report.succeeded {
            log("Built \(report.pageCount) pages in \(String(format: "%.2f", report.seconds)) s.")
        } else {
            log("Build failed with \(report.diagnostics.errorCount) error\(report.diagnostics.errorCount == 1 ? "" : "s"): still serving the last good build.")
        }
    }
}
