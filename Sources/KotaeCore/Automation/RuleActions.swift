import Foundation

/// What a rule does, in this order: assign, team, labels, priority, note, canned reply,
/// snooze or resolve, then the webhook and the mail. Each is audited with the rule's name.
public struct RuleActions: Codable, Sendable, Equatable {
    public var assignTo: ID?
    public var team: ID?
    public var addLabels: [String]?
    public var priority: Priority?
    /// A private note for the agents (Kotae's, not a person's).
    public var note: String?
    /// A canned response sent to the customer as Kotae's automatic message.
    public var cannedResponseId: ID?
    public var snoozeMinutes: Double?
    public var resolve: Bool?
    /// A Slack-compatible incoming webhook told of the conversation.
    public var webhookURL: String?
    /// A mail about the conversation to these addresses (the shop's people, a warehouse),
    /// sent from the email inbox `emailInboxId`.
    public var emailTo: [String]?
    public var emailInboxId: ID?

    public init(
        assignTo: ID? = nil, team: ID? = nil, addLabels: [String]? = nil, priority: Priority? = nil, note: String? = nil,
        cannedResponseId: ID? = nil, snoozeMinutes: Double? = nil, resolve: Bool? = nil, webhookURL: String? = nil,
        emailTo: [String]? = nil, emailInboxId: ID? = nil
    ) {
        self.assignTo = assignTo
        self.team = team
        self.addLabels = addLabels
        self.priority = priority
        self.note = note
        self.cannedResponseId = cannedResponseId
        self.snoozeMinutes = snoozeMinutes
        self.resolve = resolve
        self.webhookURL = webhookURL
        self.emailTo = emailTo
        self.emailInboxId = emailInboxId
    }

    /// The names of what it does, for the audit row and the timeline.
    public var names: [String] {
        [
            assignTo.map { _ in "assign" }, team.map { _ in "team" }, addLabels?.isEmpty == false ? "labels" : nil, priority.map { _ in "priority" },
            note.map { _ in "note" }, cannedResponseId.map { _ in "reply" }, snoozeMinutes.map { _ in "snooze" }, resolve == true ? "resolve" : nil,
            webhookURL.map { _ in "webhook" }, emailTo?.isEmpty == false ? "email" : nil,
        ].compactMap { $0 }
    }

    public var isEmpty: Bool { names.isEmpty }
}
