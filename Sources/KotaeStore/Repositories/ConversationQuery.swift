import Foundation
import KotaeCore

/// What the inbox list asks for: filters, a sort and a cursor.
public struct ConversationQuery: Sendable, Equatable {
    public enum AssigneeFilter: Sendable, Equatable {
        case user(ID)
        case unassigned
    }
    public enum SLAFilter: String, Sendable, Equatable {
        case dueSoon = "due_soon"
        case breached
    }
    public enum Sort: String, Sendable, Equatable, CaseIterable {
        /// Earliest due time first (the default): the customer closest to being failed.
        case slaDue = "sla"
        case newest
        /// Customers waiting longest first.
        case longestWaiting = "waiting"
        /// Highest priority first, then earliest due.
        case priority
    }

    public var statuses: [ConversationStatus] = [.open]
    public var inboxId: ID?
    public var channel: ChannelKind?
    public var assignee: AssigneeFilter?
    public var teamId: ID?
    public var label: String?
    public var sla: SLAFilter?
    public var unanswered: Bool = false
    /// Only these priorities (empty: any).
    public var priorities: [Priority] = []
    /// What triage read in the customer's latest message: any of these intents.
    public var intents: [TriageIntent] = []
    /// Only those triage read as urgent.
    public var urgentOnly: Bool = false
    /// Only those with a reply waiting for a supervisor's approval.
    public var awaitingApproval: Bool = false
    /// Only conversations whose last reply could not be delivered (「送信失敗」).
    public var sendFailed: Bool = false
    /// Only public conversations (comments on posts, mentions).
    public var publicOnly: Bool = false
    public var text: String?
    public var sort: Sort = .slaDue
    public var limit: Int = 50
    public var cursor: Cursor?

    public init() {}

    /// Position after the last row of a page: the sort value and the id.
    public struct Cursor: Sendable, Equatable {
        public var value: Double
        public var id: ID
        public init(value: Double, id: ID) {
            self.value = value
            self.id = id
        }

        /// Opaque form for URLs.
        public var token: String {
            Data("\(value):\(id)".utf8).base64EncodedString()
        }

        public init?(token: String) {
            guard let data = Data(base64Encoded: token) else { return nil }
            let parts = String(decoding: data, as: UTF8.self).split(separator: ":")
            guard parts.count == 2, let v = Double(parts[0]), let id = ID(parts[1]) else { return nil }
            self.init(value: v, id: id)
        }
    }
}

public struct ConversationPage: Sendable {
    public var conversations: [Conversation]
    public var nextCursor: ConversationQuery.Cursor?
}
