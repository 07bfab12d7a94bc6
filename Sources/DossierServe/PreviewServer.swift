import DossierKit
import FlyingFox
import FlyingSocks
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
        case invalidHost(String)

        public var description: String {
            switch self {
            case let .cannotListen(host, port, reason): "cannot listen on \(host):\(port): \(reason)"
            case let .invalidHost(host): "invalid --host '\(host)': give an IPv4 or IPv6 address such as 127.0.0.1"
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

        let basePath = await basePath()
        let address: any SocketAddress
        do {
            address = options.host.contains(":") ? try .inet6(ip6: options.host, port: options.port) : try .inet(ip4: options.host, port: options.port)
        } catch {
            throw Failure.invalidHost(options.host)
        }
        let handler = PreviewHandler(siteFolder: output, basePath: basePath, state: state)
        let server = HTTPServer(address: address, timeout: 30, logger: .disabled, handler: handler)

        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await server.run()
                } catch let error as SocketError {
                    throw Failure.cannotListen(host: options.host, port: options.port, reason: Self.describe(error))
                }
            }
            group.addTask {
                try await server.waitUntilListening(timeout: 30)
                let port = await Self.port(of: server.listeningAddress) ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                ready("http://\(host):\(port)\(basePath)")
                for await _ in ChangeWatcher(root: options.root).changes() {
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
    /// of the few threads the HTTP server's tasks run on.
    func build() async -> BuildReport {
        var buildOptions = BuildOptions(root: options.root, output: output)
        buildOptions.includeDrafts = options.includeDrafts
        let builder = Builder(options: buildOptions)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: builder.run()) }
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

    /// The base path of `site.yml`, read the way a build reads it; `/` if it cannot be read.
    func basePath() async -> String {
        let file = options.root.appendingPathComponent("Content/site.yml")
        guard let bytes = try? Data(contentsOf: file) else { return "/" }
        let (site, _) = SiteConfigParser.parse(SourceFile(path: "Content/site.yml", bytes: bytes))
        return site.map { SiteURLs(baseURL: $0.baseURL).basePath } ?? "/"
    }

    static func port(of address: Socket.Address?) -> UInt16? {
        switch address {
        case .ip4(_, let port), .ip6(_, let port): port
        default: nil
        }
    }

    static func describe(_ error: SocketError) -> String {
        let text = "\(error)"
        if text.contains("98") || text.localizedCaseInsensitiveContains("in use") {
            return "the port is in use (choose another with --port)"
        }
        if text.contains("99") || text.localizedCaseInsensitiveContains("assign") {
            return "no such address on this machine"
        }
        if text.contains("13") { return "permission denied (ports below 1024 need privileges)" }
        return text
    }
}
