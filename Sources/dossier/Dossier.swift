import ArgumentParser
import DossierKit

@main
struct Dossier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds a briefing site from Markdown case files.",
        version: DossierVersion.current,
        subcommands: [Build.self, Check.self, Serve.self, Init.self, New.self]
    )
}
