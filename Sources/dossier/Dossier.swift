import ArgumentParser
import DossierKit

@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds a briefing site from Markdown case files.",
        version: DossierVersion.current,
        subcommands: [Build.self, Check.self, Init.self, New.self]
    )
}
