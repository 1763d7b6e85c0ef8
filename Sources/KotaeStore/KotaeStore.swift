import Foundation
import KotaeCore
import Logging
import SQLKit

/// The database, as one repository per aggregate (`conversations`, `contacts`, `inboxes`,
/// `teams`, `accounts`, `channelState`, `jobs`) and a few small concerns of its own (labels,
/// notifications, search, the audit log, canned responses, settings; `KotaeStore+X.swift`).
public final class KotaeStore: Sendable {
    public let db: KotaeDatabase
    public let secrets: SecretBox
    let inboxCache = InboxCache()

    public init(db: KotaeDatabase, secrets: SecretBox) {
        self.db = db
        self.secrets = secrets
    }

    public var dialect: SQLDialectKind { db.dialect }

    /// Inboxes, their credentials and SLA policies.
    public var inboxes: Inboxes { Inboxes(db: db, secrets: secrets, cache: inboxCache) }
    /// Reply tokens, read receipts, sent parts, follows and blocks, thread links.
    public var channelState: ChannelState { ChannelState(db: db) }
    /// Conversations and their messages.
    public var conversations: Conversations { Conversations(db: db) }
    /// Customers, their identities and merges.
    public var contacts: Contacts { Contacts(db: db) }
    /// Teams of agents.
    public var teams: Teams { Teams(db: db) }
    /// Users, sessions and API tokens.
    public var accounts: Accounts { Accounts(db: db) }
    /// Where reading each IMAP mailbox got to, and which worker reads it.
    public var mailCursors: MailCursors { MailCursors(db: db) }
    /// Connected shop systems.
    public var commerceStores: CommerceStores { CommerceStores(db: db, secrets: secrets) }
    /// Their orders, cached.
    public var orders: CommerceOrders { CommerceOrders(db: db) }
    /// Fixes on orders, with their states.
    public var orderActions: OrderActions { OrderActions(db: db, secrets: secrets) }
    /// The messages after fixes, asking whether all is now well.
    public var deliveryFollowUps: DeliveryFollowUps { DeliveryFollowUps(db: db) }
    /// Satisfaction surveys, one per resolution.
    public var surveys: CSATSurveys { CSATSurveys(db: db) }
    public var reports: Reports { Reports(db: db) }
    public var slaAlerts: SLAAlerts { SLAAlerts(db: db) }
    public var automation: AutomationRules { AutomationRules(db: db) }
    public var assignments: Assignments { Assignments(db: db) }
    /// The public help center's articles and categories.
    public var help: HelpCenter { HelpCenter(db: db) }
    public var chatVisitors: ChatVisitors { ChatVisitors(db: db) }
}

/// Errors the store reports as known outcomes, not crashes.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case conflict
        case invalid
    }
    public let code: Code
    public let message: String

    public static func notFound(_ what: String) -> StoreError { .init(code: .notFound, message: "\(what) not found") }
    public static func conflict(_ message: String) -> StoreError { .init(code: .conflict, message: message) }
    public static func invalid(_ message: String) -> StoreError { .init(code: .invalid, message: message) }
    public var description: String { message }
}

/// Inboxes are read on every ingest; they change rarely. Cached per process for a few seconds,
/// dropped at once when this process changes one.
final class InboxCache: Sendable {
    private let entries = Locked<[ID: (inbox: Inbox, at: Date)]>([:])
    private let ttl: TimeInterval = 5

    func get(_ id: ID) -> Inbox? {
        guard let entry = entries.withLock({ $0[id] }), Date().timeIntervalSince(entry.at) < ttl else { return nil }
        return entry.inbox
    }

    func put(_ inbox: Inbox) {
        entries.withLock { $0[inbox.id] = (inbox, Date()) }
    }

    func drop(_ id: ID) {
        entries.withLock { $0[id] = nil }
    }
}
