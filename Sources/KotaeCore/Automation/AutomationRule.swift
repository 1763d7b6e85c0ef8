import Foundation

/// A shop's rule: when something happens to a conversation (`trigger`) and every condition
/// holds, Kotae does the actions, in the rule's name. Rules never run on what rules did.
public struct AutomationRule: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var enabled: Bool
    public var trigger: AutomationTrigger
    /// For the time triggers: how long the customer (or the answer) has waited.
    public var afterMinutes: Double?
    public var conditions: RuleConditions
    public var actions: RuleActions
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID = 0, name: String, enabled: Bool = true, trigger: AutomationTrigger, afterMinutes: Double? = nil,
        conditions: RuleConditions = RuleConditions(), actions: RuleActions, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.enabled = enabled
        self.trigger = trigger
        self.afterMinutes = afterMinutes
        self.conditions = conditions
        self.actions = actions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What sets a rule off.
public enum AutomationTrigger: String, Codable, Sendable, CaseIterable {
    case conversationCreated = "conversation_created"
    case messageReceived = "message_received"
    case statusChanged = "status_changed"
    case slaWarning = "sla_warning"
    case slaBreach = "sla_breach"
    case csatReceived = "csat_received"
    /// The customer has waited `afterMinutes` since their message with no answer.
    case customerWaiting = "customer_waiting"
    /// The customer has not written for `afterMinutes` since the last answer.
    case customerSilent = "customer_silent"

    /// Set off by time passing rather than by an event.
    public var isTimed: Bool { self == .customerWaiting || self == .customerSilent }
}

/// Run the rules of `trigger` on one conversation (or, with `ruleId`, that rule alone: a
/// timed rule whose time came).
public struct RunAutomation: JobPayload, Equatable {
    public static let kind = "automation.run"
    public var trigger: AutomationTrigger
    public var conversationId: ID
    /// The customer's message that set it off (created, received).
    public var messageId: ID?
    public var ruleId: ID?
    /// The rating that set it off (CSAT received).
    public var rating: Int?

    public init(trigger: AutomationTrigger, conversationId: ID, messageId: ID? = nil, ruleId: ID? = nil, rating: Int? = nil) {
        self.trigger = trigger
        self.conversationId = conversationId
        self.messageId = messageId
        self.ruleId = ruleId
        self.rating = rating
    }
}
