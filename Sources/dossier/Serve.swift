import ArgumentParser
import DossierKit
import DossierServe
import Foundation
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site locally, rebuild on every change and reload open pages."
    )

    @OptionGroup var root: RootOptions

    @Option(help: "The address to listen on. Anything but loopback exposes the preview to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 8000

    @Flag(help: "Publish drafts too.")
    var drafts = false

    func run() throws {
        Self.raiseOpenFileLimit()
        MallocTuning.apply()
        var options = PreviewServer.Options(root: root.url)
        options.host = host
        options.port = port
        options.includeDrafts = drafts
        let server = PreviewServer(options: options) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        // The server's tasks run on Swift's own threads; the main thread waits for them to end.
        let ended = DispatchSemaphore(value: 0)
        let outcome = Mutex<Error?>(nil)
        let task = Task {
            defer { ended.signal() }
            do {
                try await server.run { url in
                    // Written unbuffered, so a script reading the output sees the URL at once.
                    FileHandle.standardOutput.write(Data("Serving at \(url) (Ctrl-C to stop)\n".utf8))
                }
            } catch {
                outcome.withLock { $0 = error }
            }
        }
        // Ctrl-C (and a polite kill) stop the server cleanly: the task is cancelled, the
        // listening socket closed and the preview folder removed. Not on the main queue, which
        // nothing drains while the main thread waits.
        let signalQueue = DispatchQueue(label: "dossier.signals")
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        ended.wait()
        switch outcome.withLock({ $0 }) {
        case let failure as PreviewServer.Failure:
            Terminal.error(failure.description)
            throw ExitCode.failure
        case is CancellationError, nil:
            break
        case let error?:
            throw error
        }
        print("Stopped.")
    }

    /// A browser opens several connections a page, and each is a file descriptor: the default
    /// limit of 1,024 would refuse clients long before the machine is busy.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 65_536)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
