/// What kind of actor a case file describes.
public enum ActorType: String, CaseIterable, Sendable {
    case person, organization, government, other

    public var label: String {
        switch self {
        case .person: "Person"
        case .organization: "Organization"
        case .government: "Government"
        case .other: "Other"
        }
    }

    /// The heading of the group on the actors list.
    public var pluralLabel: String {
        switch self {
        case .person: "People"
        case .organization: "Organizations"
        case .government: "Governments"
        case .other: "Others"
        }
    }
}

/// What kind of action a case file describes.
public enum ActionType: String, CaseIterable, Sendable {
    case sanction
    case counterSanction = "counter-sanction"
    case statement
    case legalProceeding = "legal-proceeding"
    case diplomatic
    case other

    public var label: String {
        switch self {
        case .sanction: "Sanction"
        case .counterSanction: "Counter-sanction"
        case .statement: "Statement"
        case .legalProceeding: "Legal proceeding"
        case .diplomatic: "Diplomatic"
        case .other: "Other"
        }
    }
}

/// Where an action stands.
public enum ActionStatus: String, CaseIterable, Sendable {
    case announced
    case inForce = "in-force"
    case suspended, lifted, expired

    public var label: String {
        switch self {
        case .announced: "Announced"
        case .inForce: "In force"
        case .suspended: "Suspended"
        case .lifted: "Lifted"
        case .expired: "Expired"
        }
    }
}

/// The three ways an actor takes part in an action.
public enum Role: String, CaseIterable, Sendable {
    case by, targets, involves

    /// How the action page heads the actors in this role.
    public var label: String {
        switch self {
        case .by: "Taken by"
        case .targets: "Aimed at"
        case .involves: "Involving"
        }
    }
}
