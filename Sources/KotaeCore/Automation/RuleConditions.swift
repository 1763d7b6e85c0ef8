import Foundation

/// What must hold for a rule to act. Every condition given must hold; within one, any of its
/// values will do. Nothing given: the rule acts on every event of its trigger.
public struct RuleConditions: Codable, Sendable, Equatable {
    public var channels: [ChannelKind]?
    public var inboxIds: [ID]?
    /// Any of these words in the customer's message (folded: full-width and case do not matter).
    public var textContains: [String]?
    /// `ja` or `en`, as the customer's message reads.
    public var language: String?
    public var intents: [TriageIntent]?
    public var sentiments: [TriageSentiment]?
    public var urgent: Bool?
    /// The conversation has any of these labels.
    public var labels: [String]?
    /// The contact's email address ends in one of these domains.
    public var contactEmailDomains: [String]?
    /// The conversation's status now (after a status change, the new one).
    public var statuses: [ConversationStatus]?
    /// Within (true) or outside (false) the inbox's business hours.
    public var duringBusinessHours: Bool?
    /// For a CSAT answer: its rating is one of these.
    public var ratings: [Int]?
    /// Any of the customer's orders (those beside the conversation) is in one of these states.
    public var orderStates: [RuleOrderState]?

    public init(
        channels: [ChannelKind]? = nil, inboxIds: [ID]? = nil, textContains: [String]? = nil, language: String? = nil,
        intents: [TriageIntent]? = nil, sentiments: [TriageSentiment]? = nil, urgent: Bool? = nil, labels: [String]? = nil,
        contactEmailDomains: [String]? = nil, statuses: [ConversationStatus]? = nil, duringBusinessHours: Bool? = nil, ratings: [Int]? = nil,
        orderStates: [RuleOrderState]? = nil
    ) {
        self.channels = channels
        self.inboxIds = inboxIds
        self.textContains = textContains
        self.language = language
        self.intents = intents
        self.sentiments = sentiments
        self.urgent = urgent
        self.labels = labels
        self.contactEmailDomains = contactEmailDomains
        self.statuses = statuses
        self.duringBusinessHours = duringBusinessHours
        self.ratings = ratings
        self.orderStates = orderStates
    }

    /// Whether the conditions ask about orders (they are looked up only then).
    public var needsOrders: Bool { orderStates?.isEmpty == false }

    /// Whether every condition given holds for `facts`. A condition about something the
    /// event does not have (a message's words when none set it off) does not hold.
    public func matches(_ f: RuleFacts) -> Bool {
        func any<T: Equatable>(_ wanted: [T]?, _ value: T?) -> Bool {
            guard let wanted, !wanted.isEmpty else { return true }
            return value.map(wanted.contains) ?? false
        }
        guard any(channels, f.channel), any(inboxIds, f.inboxId), any(intents, f.triage?.intent), any(sentiments, f.triage?.sentiment),
            any(statuses, f.status), any(ratings, f.rating)
        else { return false }
        if let words = textContains, !words.isEmpty {
            guard let text = f.text.map(RuleFacts.fold) else { return false }
            guard words.contains(where: { !$0.isEmpty && text.contains(RuleFacts.fold($0)) }) else { return false }
        }
        if let language, language != f.language { return false }
        if let urgent, urgent != f.triage?.urgent { return false }
        if let labels, !labels.isEmpty, Set(labels).isDisjoint(with: f.labels) { return false }
        if let domains = contactEmailDomains, !domains.isEmpty {
            guard let email = f.contactEmail?.lowercased() else { return false }
            guard domains.contains(where: { email.hasSuffix("@" + $0.lowercased()) || email.hasSuffix("." + $0.lowercased()) }) else { return false }
        }
        if let open = duringBusinessHours, open != f.inBusinessHours { return false }
        if let states = orderStates, !states.isEmpty {
            guard let have = f.orderStates, !have.isDisjoint(with: states) else { return false }
        }
        return true
    }
}

/// What a rule's conditions are checked against: the conversation as it is, and the event.
public struct RuleFacts: Sendable, Equatable {
    public var channel: ChannelKind
    public var inboxId: ID
    public var status: ConversationStatus
    public var labels: [String]
    public var contactEmail: String?
    /// The customer's message that set it off, with its triage.
    public var text: String?
    public var triage: TriageResult?
    public var rating: Int?
    /// Within the inbox's business hours now (always, for an inbox without them).
    public var inBusinessHours: Bool
    /// The states of the customer's orders; nil when they were not looked up.
    public var orderStates: Set<RuleOrderState>?

    public init(
        channel: ChannelKind, inboxId: ID, status: ConversationStatus, labels: [String] = [], contactEmail: String? = nil, text: String? = nil,
        triage: TriageResult? = nil, rating: Int? = nil, inBusinessHours: Bool = true, orderStates: Set<RuleOrderState>? = nil
    ) {
        self.channel = channel
        self.inboxId = inboxId
        self.status = status
        self.labels = labels
        self.contactEmail = contactEmail
        self.text = text
        self.triage = triage
        self.rating = rating
        self.inBusinessHours = inBusinessHours
        self.orderStates = orderStates
    }

    /// `ja` when the message has kana or kanji, else `en`; nil without a message.
    public var language: String? {
        text.map { t in t.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) } ? "ja" : "en" }
    }

    static func fold(_ s: String) -> String { s.precomposedStringWithCompatibilityMapping.lowercased() }
}
