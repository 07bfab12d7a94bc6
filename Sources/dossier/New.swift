import ArgumentParser
import DossierKit
import Foundation

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new case file from a template.",
        subcommands: [NewActor.self, NewAction.self]
    )
}

struct NewActor: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "actor", abstract: "A new actor: Content/actors/SLUG.md")

    @OptionGroup var root: RootOptions
    @Argument(help: "The slug, e.g. wang-junzheng.") var slug: String
    @Option(help: "The actor's name.") var name: String
    @Option(help: "person, organization, government or other.") var type: String

    func validate() throws {
        guard ActorType(rawValue: type) != nil else {
            throw ValidationError("invalid actor type '\(type)': expected one of \(ActorType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Slug.isValid(slug) else { throw ValidationError("invalid slug '\(slug)': use lower-case letters and digits joined by single hyphens") }
    }

    func run() throws {
        try create(kind: "actors", slug: slug, text: Scaffold.actor(name: name, type: ActorType(rawValue: type)!), root: root.url)
    }
}

struct NewAction: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "action", abstract: "A new action: Content/actions/SLUG.md")

    @OptionGroup var root: RootOptions
    @Argument(help: "The slug, e.g. eu-xinjiang-sanctions.") var slug: String
    @Option(help: "The action's title.") var title: String
    @Option(help: "The date, YYYY-MM-DD.") var date: String
    @Option(help: "sanction, counter-sanction, statement, legal-proceeding, diplomatic or other.") var type: String
    @Option(help: "The slug of the actor who took it (repeat for more).") var by: [String]

    func validate() throws {
        guard ActionType(rawValue: type) != nil else {
            throw ValidationError("invalid action type '\(type)': expected one of \(ActionType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard DayDate(date) != nil else { throw ValidationError("invalid date '\(date)': expected YYYY-MM-DD") }
        guard Slug.isValid(slug) else { throw ValidationError("invalid slug '\(slug)': use lower-case letters and digits joined by single hyphens") }
        for actor in by where !Slug.isValid(actor) { throw ValidationError("invalid actor slug '\(actor)' in --by") }
    }

    func run() throws {
        try create(kind: "actions", slug: slug, text: Scaffold.action(title: title, date: date, type: ActionType(rawValue: type)!, by: by), root: root.url)
    }
}

private func create(kind: String, slug: String, text: String, root: URL) throws {
    do {
        let path = try Scaffold.create(kind: kind, slug: slug, text: text, in: root)
        print("created \(path)")
    } catch let failure as Scaffold.Failure {
        Terminal.error(failure.description)
        throw ExitCode.failure
    }
}
