import Foundation
import PackagePlugin

/// Embeds every file under the package's `Templates/` folder into the target as generated Swift,
/// so `dossier` carries its default theme inside the binary.
@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let themeDirectory = context.package.directoryURL.appending(path: "Templates")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTheme.swift")
        return [
            .buildCommand(
                displayName: "Embedding the default theme from Templates/",
                executable: try context.tool(named: "embed-theme").url,
                arguments: [themeDirectory.path, output.path],
                inputFiles: Self.files(under: themeDirectory),
                outputFiles: [output]
            )
        ]
    }

    /// Every regular file below `directory`, so that editing any theme file re-runs the command.
    static func files(under directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isRegularFileKey]
        ) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
