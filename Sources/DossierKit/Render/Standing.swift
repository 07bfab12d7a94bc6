/// Where actions stand "as of" the briefing itself. The reference day is the newest date the
/// content names (an action's `date`, `updated` or an actor's `updated`), never today's date,
/// so the same briefing always says the same thing about what is in force.
public enum Standing {
    public static func asOf(_ graph: BriefingGraph) -> DayDate? {
        let dates = graph.actions.flatMap { [$0.date] + ($0.updated.map { [$0] } ?? []) } + graph.actors.compactMap(\.updated)
        return dates.max()
    }

    /// The status as written, except that `in-force` with an `ends` on or before `asOf` has
    /// expired.
    public static func effectiveStatus(_ action: Action, asOf: DayDate?) -> ActionStatus? {
        if action.status == .inForce, let ends = action.ends, let asOf, ends <= asOf { return .expired }
        return action.status
    }

    public static func isInForce(_ action: Action, asOf: DayDate?) -> Bool {
        effectiveStatus(action, asOf: asOf) == .inForce
    }
}
