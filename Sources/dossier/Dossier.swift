import ArgumentParser
import DossierKit

/// Not an `AsyncParsableCommand`: an async command's `run` is called on one of Dispatch's worker
/// threads, of which Linux keeps one per core whether or not they wait. A build waits for the
/// work it hands to the others, so run on a worker it left a core idle each time: `build` and
/// `check` run on the main thread, and `serve` waits there for its tasks (dossier/Serve.swift).
@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds a briefing site from Markdown case files.",
        version: DossierVersion.current,
        subcommands: [Build.self, Check.self, Serve.self, Init.self, New.self]
    )
}
