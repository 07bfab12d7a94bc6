import ArgumentParser
import DossierKit
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a new briefing: Content/site.yml, an example actor and action.")

    @Argument(help: ArgumentHelp("The folder to start it in (default: the current folder).", valueName: "DIR"))
    var directory: String = "."

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            let written = try Scaffold.initBriefing(at: root)
            for path in written { print("created \(path)") }
            print("Next: edit Content/site.yml, then run 'dossier build'.")
        } catch let failure as Scaffold.Failure {
            Terminal.error(failure.description)
            throw ExitCode.failure
        }
    }
}
