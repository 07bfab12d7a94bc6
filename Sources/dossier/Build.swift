import ArgumentParser
import DossierKit
import Foundation

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into Site/ (or --output).")

    @OptionGroup var root: RootOptions

    @Option(help: ArgumentHelp("Where to write the site (default: Site/ in the root).", valueName: "DIR"))
    var output: String?

    @Flag(help: "Publish drafts too.")
    var drafts = false

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Publish under this URL instead of site.yml's base_url.", valueName: "URL"))
    var baseURL: String?

    @Flag(help: "Print how long each stage took.")
    var timings = false

    @Flag(help: "Write every file anew; by default a file whose bytes did not change keeps its modification time.")
    var clean = false

    func run() throws {
        MallocTuning.apply()
        var options = BuildOptions(root: root.url, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) })
        options.includeDrafts = drafts
        options.baseURL = baseURL
        options.clean = clean
        options.freesMemory = false
        let report = Builder(options: options).run(progress: Terminal.progress())
        Terminal.clearProgress()
        Terminal.printDiagnostics(report.diagnostics)
        guard report.succeeded else {
            Terminal.error("build failed with \(Terminal.plural(report.diagnostics.errorCount, "error")); \(displayPath(options.output)) was left as it was")
            throw ExitCode.failure
        }
        if timings {
            for (index, stage) in report.stageTimes.enumerated() {
                let peak = index < report.stagePeakMemory.count ? "   peak \(report.stagePeakMemory[index]) MB" : ""
                print(stage.name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%8.3f s", stage.seconds) + peak)
            }
            if let reason = report.patchDeclined { print("not patched: \(reason)") }
            // Part of "pages"; the search benchmark reads these two lines.
            print(String(format: "search index wall %.3f s", report.searchIndexSeconds.wall))
            print(String(format: "search index cpu %.3f s", report.searchIndexSeconds.cpu))
        }
        let unchanged = report.upToDate ? " (nothing changed)" : ""
        print("Built \(Terminal.plural(report.pageCount, "page")) (\(Terminal.plural(report.fileCount, "file"))) into \(displayPath(options.output)) in \(String(format: "%.2f", report.seconds)) s\(unchanged), \(Terminal.plural(report.diagnostics.warningCount, "warning")).")
    }

    private func displayPath(_ url: URL) -> String {
        let current = FileManager.default.currentDirectoryPath
        return url.path.hasPrefix(current + "/") ? String(url.path.dropFirst(current.count + 1)) + "/" : url.path + "/"
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the briefing as a build would, writing nothing.")

    @OptionGroup var root: RootOptions

    @Flag(help: "Check drafts as if they were published.")
    var drafts = false

    @Flag(help: "Also build into a temporary folder and verify every internal link and anchor.")
    var links = false

    func run() throws {
        MallocTuning.apply()
        var options = BuildOptions(root: root.url)
        options.writes = false
        options.includeDrafts = drafts
        options.freesMemory = false
        // With --links the one build goes into a temporary folder, whose pages are then checked.
        let report = links ? LinkChecker.check(options) : Builder(options: options).run(progress: Terminal.progress())
        Terminal.clearProgress()
        Terminal.printDiagnostics(report.diagnostics)
        let summary = "\(Terminal.plural(report.diagnostics.errorCount, "error")), \(Terminal.plural(report.diagnostics.warningCount, "warning"))"
        guard report.succeeded else {
            Terminal.error("check failed: \(summary)")
            throw ExitCode.failure
        }
        print("Checked \(Terminal.plural(report.pageCount, "page")): \(summary).")
    }
}
