import DossierKit
import Foundation

/// Printing for the commands: diagnostics to standard error, one a line, and a progress line
/// that updates in place when standard error is a terminal.
enum Terminal {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func printDiagnostics(_ diagnostics: Diagnostics) {
        var text = ""
        for diagnostic in diagnostics.sorted { text += diagnostic.description + "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// A progress callback that rewrites one line, or nil when nobody is watching.
    static func progress() -> (@Sendable (String) -> Void)? {
        guard isInteractive else { return nil }
        return { stage in
            FileHandle.standardError.write(Data("\r\u{1B}[K[dossier] \(stage)…".utf8))
        }
    }

    static func clearProgress() {
        if isInteractive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
