import ArgumentParser
import Foundation

/// `--root DIR`, shared by the commands that read a briefing.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder holding Content/ and Templates/.", valueName: "DIR"))
    var root: String = "."

    var url: URL { URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL }
}
