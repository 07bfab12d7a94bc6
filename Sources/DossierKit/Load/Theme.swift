import Foundation

/// The templates and theme assets a build uses: the built-in theme, with every file of the
/// briefing's `Templates/` replacing the built-in file of the same path.
public struct Theme: Sendable {
    public struct File: Sendable, Hashable {
        /// Path relative to the root, as messages show it (`Templates/actor.mustache`).
        public var path: String
        public var bytes: Data
        /// True for a file the binary carries rather than one the briefing has.
        public var isBuiltIn: Bool
    }

    /// By path below `Templates/` (`actor.mustache`, `partials/head.mustache`, `assets/style.css`).
    public var files: [String: File]

    /// The theme the binary carries.
    public static let builtIn: Theme = {
        var files: [String: File] = [:]
        for entry in EmbeddedTheme.base64Files {
            files[entry.path] = File(path: "Templates/\(entry.path)", bytes: Data(base64Encoded: entry.base64) ?? Data(), isBuiltIn: true)
        }
        return Theme(files: files)
    }()

    /// The built-in theme with `overrides` (files under `Templates/`) laid over it.
    public static func withOverrides(_ overrides: [SourceFile]) -> Theme {
        var theme = builtIn
        for file in overrides {
            let relative = String(file.path.dropFirst("Templates/".count))
            theme.files[relative] = File(path: file.path, bytes: file.bytes, isBuiltIn: false)
        }
        return theme
    }

    /// `name` (path without `.mustache`) -> file, for every template.
    public var templates: [String: File] {
        var templates: [String: File] = [:]
        for (path, file) in files where path.hasSuffix(".mustache") {
            templates[String(path.dropLast(".mustache".count))] = file
        }
        return templates
    }

    /// Files under `assets/`, by path below it, sorted.
    public var assets: [(path: String, bytes: Data)] {
        files.filter { $0.key.hasPrefix("assets/") }
            .map { (String($0.key.dropFirst("assets/".count)), $0.value.bytes) }
            .sorted { $0.0 < $1.0 }
    }
}
