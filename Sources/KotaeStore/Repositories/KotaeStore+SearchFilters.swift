import Foundation
import KotaeCore
import SQLKit

/// The search page's filters over message hits.
public struct MessageSearchFilter: Sendable, Equatable {
    public var kinds: [MessageKind] = []
    public var channel: ChannelKind?
    public var statuses: [ConversationStatus] = []
    public var since: Date?
    public var until: Date?
    public init() {}

    public var isEmpty: Bool { kinds.isEmpty && channel == nil && statuses.isEmpty && since == nil && until == nil }
}

extension KotaeStore {
    /// A message hit with what a results list shows beside it.
    public struct SearchRow: Sendable {
        public var hit: MessageHit
        public var contactName: String
        public var channel: ChannelKind
        public var status: ConversationStatus
    }

    /// Messages matching `text` and the filters, newest first. The filters apply to the newest
    /// `window` matches of the text: a filter that keeps few of a very common word's matches
    /// may show fewer than `limit` (the page says how far back it looked).
    public func searchMessages(_ text: String, filter: MessageSearchFilter, limit: Int = 50, window: Int = 2000) async throws -> [SearchRow] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        var sql = SQLQueryString(
            """
            SELECT m.id, m.conversation_id, m.kind, m.text, m.created_at, ct.name AS contact_name, c.status, i.channel
            FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id JOIN inboxes i ON i.id = m.inbox_id
            WHERE m.kind != 'system' AND m.id IN (
            """)
        sql.appendInterpolation(Self.searchSubquery(text, limit: filter.isEmpty ? limit : window, dialect: dialect))
        sql.appendLiteral(")")
        if !filter.kinds.isEmpty {
            sql.appendLiteral(" AND m.kind IN ")
            sql.appendBoundList(filter.kinds.map(\.rawValue))
        }
        if !filter.statuses.isEmpty {
            sql.appendLiteral(" AND c.status IN ")
            sql.appendBoundList(filter.statuses.map(\.rawValue))
        }
        if let channel = filter.channel { sql.appendLiteral(" AND i.channel = "); sql.appendInterpolation(bind: channel.rawValue) }
        if let since = filter.since { sql.appendLiteral(" AND m.created_at >= "); sql.appendInterpolation(bind: since.epoch) }
        if let until = filter.until { sql.appendLiteral(" AND m.created_at < "); sql.appendInterpolation(bind: until.epoch) }
        sql.appendLiteral(" ORDER BY m.id DESC LIMIT ")
        sql.appendInterpolation(bind: limit)
        let finalSQL = sql
        return try await db.read { db in
            try await db.raw(finalSQL).all().map {
                SearchRow(
                    hit: try Self.messageHit($0), contactName: try $0.string("contact_name"),
                    channel: try $0.enumValue("channel", ChannelKind.self), status: try $0.enumValue("status", ConversationStatus.self))
            }
        }
    }
}
