/// Where actions stand "as of" the briefing itself. The reference day is the newest date the
/// content names (an action's `date`, `updated` or an actor's `updated`), never today's date,
/// so the same briefing always says the same thing about what is in force.
public enum Standing {
    public static func asOf(_ graph: BriefingGraph) -> DayDate? {
        graph.newestDate
    }

    static func newestDate(_ graph: BriefingGraph) -> DayDate? {
        var newest: DayDate?
        // Through indices: binding each action to a name would copy all of it.
        for index in graph.actions.indices {
            for date in [graph.actions[index].date, graph.actions[index].updated].compactMap({ $0 }) where newest.map({ date > $0 }) ?? true { newest = date }
        }
        for index in graph.actors.indices {
            if let date = graph.actors[index].updated, newest.map({ date > $0 }) ?? true { newest = date }
        }
        return newest
    }

    /// The status as written, except that `in-force` with an `ends` on or before `asOf` has
    /// expired.
    public static func effectiveStatus(_ action: Action, asOf: DayDate?) -> ActionStatus? {
        effectiveStatus(action.status, ends: action.ends, asOf: asOf)
    }

    /// The same from the two fields it reads.
    static func effectiveStatus(_ status: ActionStatus?, ends: DayDate?, asOf: DayDate?) -> ActionStatus? {
        if status == .inForce, let ends, let asOf, ends <= asOf { return .expired }
        return status
    }

    /// Whether `graph.actions[index]` is in force, its two fields read in place: passed as an
    /// `Action`, each of the actions naming an actor was copied whole, for its page and record.
    static func isInForce(_ index: Int, in graph: BriefingGraph, asOf: DayDate?) -> Bool {
        effectiveStatus(graph.actions[index].status, ends: graph.actions[index].ends, asOf: asOf) == .inForce
    }
}
