/// What happened to a case file between two published builds.
public enum ChangeKind: String, CaseIterable, Sendable {
    case newAction = "new-action"
    case statusChanged = "status-changed"
    case editedAction = "edited-action"
    case removedAction = "removed-action"
    case newActor = "new-actor"
    case editedActor = "edited-actor"
    case removedActor = "removed-actor"

    /// The order of `allCases`, which orders entries of one day.
    var rank: Int {
        switch self {
        case .newAction: 0
        case .statusChanged: 1
        case .editedAction: 2
        case .removedAction: 3
        case .newActor: 4
        case .editedActor: 5
        case .removedActor: 6
        }
    }

    public var label: String {
        switch self {
        case .newAction: "New action"
        case .statusChanged: "Status changed"
        case .editedAction: "Action edited"
        case .removedAction: "Action removed"
        case .newActor: "New actor"
        case .editedActor: "Actor edited"
        case .removedActor: "Actor removed"
        }
    }

    var isAction: Bool { [.newAction, .statusChanged, .editedAction, .removedAction].contains(self) }
}
