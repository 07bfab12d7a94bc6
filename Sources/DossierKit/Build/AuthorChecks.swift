/// Warnings `dossier check` adds about what is valid but likely a mistake: an action no reader
/// can verify (no sources), an actor no action names (an orphan page), and two actors that share
/// a name or alias (likely one actor written twice). Warnings, not errors: each can be intended.
public enum AuthorChecks {
    public static func warnings(_ graph: BriefingGraph) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        for action in graph.actions where action.sources.isEmpty {
            warnings.append(.warning("the action has no sources: add one under 'sources' so readers can check it", at: SourceLocation(path: action.path)))
        }
        for actor in graph.actors where Role.allCases.allSatisfy({ (graph.actionsOfActor[actor.slug]?[$0] ?? []).isEmpty }) {
            warnings.append(.warning("no action names '\(actor.slug)' in 'by', 'targets' or 'involves'", at: SourceLocation(path: actor.path)))
        }
        // Names compare as slugs without hyphens: case, accents, spacing and punctuation aside,
        // so "EU", "E.U." and "eu" are one name.
        var firstOwner: [String: (actor: Actor, written: String)] = [:]
        var reported = Set<[String]>()
        for actor in graph.actors {
            for written in [actor.name] + actor.aliases {
                let key = Slug.make(from: written).replacingOccurrences(of: "-", with: "")
                guard !key.isEmpty else { continue }
                if let owner = firstOwner[key], owner.actor.slug != actor.slug {
                    if reported.insert([owner.actor.slug, actor.slug]).inserted {
                        warnings.append(.warning("'\(actor.slug)' shares the name or alias '\(written)' with '\(owner.actor.slug)' (\(owner.actor.path)): likely the same actor twice", at: SourceLocation(path: actor.path)))
                    }
                } else if firstOwner[key] == nil {
                    firstOwner[key] = (actor, written)
                }
            }
        }
        return warnings
    }
}
