import Foundation

/// The files `dossier init` and `dossier new` write.
public enum Scaffold {
    public enum Failure: Error, CustomStringConvertible {
        case exists(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .exists(let path): "refusing to overwrite '\(path)': it already exists"
            case .invalid(let message): message
            }
        }
    }

    /// A new briefing in `root`: site.yml, one actor and one action. Refuses if any exists.
    public static func initBriefing(at root: URL) throws -> [String] {
        let files: [(String, String)] = [
            ("Content/site.yml", """
            title: "My briefing"
            base_url: "https://example.org/briefing/"
            description: >-
              What this briefing follows, in one paragraph.
            language: en
            author: "Your name"

            """),
            ("Content/actors/example-government.md", actor(name: "Example Government", type: .government)),
            ("Content/actors/example-person.md", actor(name: "Example Person", type: .person)),
            ("Content/actions/example-sanction.md", action(title: "Example sanction", date: "2024-01-15", type: .sanction, by: ["example-government"], targets: ["example-person"])),
        ]
        for (path, _) in files where FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
            throw Failure.exists(path)
        }
        for (path, text) in files {
            try write(text, to: root.appendingPathComponent(path))
        }
        return files.map(\.0)
    }

    /// Writes a new case file, refusing to overwrite one. Returns its path relative to `root`.
    public static func create(kind: String, slug: String, text: String, in root: URL) throws -> String {
        guard Slug.isValid(slug) else {
            throw Failure.invalid("invalid slug '\(slug)': a slug is lower-case letters and digits in words joined by single hyphens")
        }
        let path = "Content/\(kind)/\(slug).md"
        for other in ["actors", "actions", "pages"] {
            let existing = "Content/\(other)/\(slug).md"
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(existing).path) { throw Failure.exists(existing) }
        }
        try write(text, to: root.appendingPathComponent(path))
        return path
    }

    public static func actor(name: String, type: ActorType) -> String {
        """
        ---
        name: \(quoted(name))
        type: \(type.rawValue)
        aliases: []
        summary: "One sentence on who this is."
        ---

        Who \(name) is, and why they matter to this briefing. Link other case files with `[[slug]]`.

        """
    }

    public static func action(title: String, date: String, type: ActionType, by: [String], targets: [String] = []) -> String {
        """
        ---
        title: \(quoted(title))
        date: \(date)
        type: \(type.rawValue)
        by: [\(by.joined(separator: ", "))]
        targets: [\(targets.joined(separator: ", "))]
        summary: "One sentence on what was done."
        sources:
          - title: "Where this is documented"
            url: "https://example.org/"
        ---

        What happened, who did it and to whom. Link actors and actions with `[[slug]]`.

        """
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += "\\x" + String(format: "%02X", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    private static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .withoutOverwriting)
    }
}
