import Foundation

/// Where the change log's state lives between builds: `.<output name>.dossier-state.json` beside
/// the output folder (`.Site.dossier-state.json` next to `Site/`). Beside rather than inside,
/// because the output folder is replaced whole by each build and is what gets published; the
/// state is the build's memory, not part of the site. Only `Builder` reads and writes it, and
/// only after a build that wrote the site.
public struct ChangeLogStore: Sendable {
    public let file: URL

    public init(output: URL) {
        let output = output.standardizedFileURL
        file = output.deletingLastPathComponent().appendingPathComponent("." + output.lastPathComponent + ".dossier-state.json")
    }

    /// The last published log; nil when there is none yet. A file that cannot be read is
    /// reported, and the log starts again.
    public func read() -> (ChangeLog?, Diagnostic?) {
        guard let data = try? Data(contentsOf: file) else { return (nil, nil) }
        guard let log = ChangeLog(stateJSON: data) else {
            return (nil, .warning("the change log's state file is not one this version of dossier wrote: the change log starts again", at: SourceLocation(path: file.path)))
        }
        return (log, nil)
    }

    /// Written through a temporary file and a rename, so a killed build leaves the old state.
    public func write(_ log: ChangeLog) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".tmp-\(getpid())")
        try Data(log.stateJSON.utf8).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }
}
