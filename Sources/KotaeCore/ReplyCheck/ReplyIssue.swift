import Foundation

/// Something the reply checker would say about a draft before it is sent. Each explains itself
/// with the words it found; all but a forbidden word can be overridden by the agent.
public struct ReplyIssue: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A hedged promise about when something will happen (たぶん…と思います, "should probably").
        case vaguePromise = "vague_promise"
        /// The customer complains and the reply does not apologise.
        case noApology = "no_apology"
        /// Longer than the situation needs, or than the channel takes.
        case tooLong = "too_long"
        /// Says or implies the problem is the customer's fault.
        case blamesCustomer = "blames_customer"
        /// Sends the customer to the telephone instead of answering here.
        case phoneOnly = "asks_to_call_phone_only"
        /// Greets another name than the customer's (山田様 to 佐藤 さん).
        case wrongName = "wrong_name"
        /// An email that greets no one by name, where the contact's name is known.
        case noNamedGreeting = "no_named_greeting"
        /// A day promised for the parcel that the order data does not give.
        case unsourcedDate = "unsourced_date"
        /// Mentions an attachment (添付, attached) that is not there.
        case missingAttachment = "missing_attachment"
        /// A word the shop forbids: it blocks sending.
        case forbiddenWord = "forbidden_word"
    }

    public let kind: Kind
    /// The words that raised it, as written in the draft.
    public let evidence: String
    /// Whether sending is blocked (only the shop's forbidden words).
    public var blocks: Bool { kind == .forbiddenWord }

    public init(_ kind: Kind, evidence: String) {
        self.kind = kind
        self.evidence = evidence
    }
}
