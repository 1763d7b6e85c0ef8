import Foundation
import KotaeCore
import SQLKit

/// Bulk data for `kotae bench`: many conversations and messages written directly in
/// large transactions (the ingest path is measured separately). Texts mix Japanese and
/// English shop phrases with varying order numbers so that indexes see realistic text.
public enum BenchData {
    static let phrases = [
        "注文した自転車がまだ届きません", "レインコートのサイズを交換したいです", "領収書の発行をお願いします",
        "配送状況を教えてください", "ギフト包装は可能ですか", "返品の手続きについて質問があります",
        "I ordered a green coat and got a blue one", "Where is my package", "Can I change my delivery address",
        "Do you ship to the UK", "The bell is broken", "ありがとうございました、無事に届きました",
        "ヘルメットの在庫はありますか", "ライトの電池交換の方法", "クーポンが使えませんでした",
    ]

    /// The generated data's shape; part of the cache folder's name, so a change regenerates it.
    public static let version = 4

    /// Writes `conversations` conversations with `messagesPerConversation` messages each
    /// into `inbox`, spread over the last 30 days; half open (with due times), half resolved.
    /// One in ten is a public comment; one in five carries the label 配送, one in a thousand VIP
    /// (a common and a rare label view).
    public static func generate(
        store: KotaeStore, inbox: Inbox, conversations: Int, messagesPerConversation: Int,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let now = Date().timeIntervalSince1970
        let dialect = store.dialect
        var done = 0
        while done < conversations {
            let n = min(2000, conversations - done)
            let first = done
            try await store.db.write { db in
                var contactSQL = SQLQueryString("INSERT INTO contacts (name, search_text, created_at) VALUES ")
                for i in first..<(first + n) {
                    if i > first { contactSQL.appendLiteral(", ") }
                    contactSQL.appendLiteral("(")
                    contactSQL.appendInterpolation(bind: "Customer \(i)")
                    contactSQL.appendLiteral(", ")
                    contactSQL.appendInterpolation(bind: "customer \(i)")
                    contactSQL.appendLiteral(", \(now))")
                }
                contactSQL.appendLiteral(" RETURNING id")
                let contactIds = try await db.raw(contactSQL).all().map { try $0.decode(column: "id", as: Int64.self) }

                var convSQL = SQLQueryString(
                    """
                    INSERT INTO conversations (inbox_id, contact_id, thread_key, status, is_public, needs_reply, waiting_since, first_response_due,
                      sla_due_at, sla_warn_at, sla_sort, priority, priority_sort, wait_sort, reply_failed_at, cycle_started_at, last_message_at, snippet, created_at, updated_at, resolved_at) VALUES
                    """)
                for (k, contactId) in contactIds.enumerated() {
                    let i = first + k
                    let created = now - Double.random(in: 0...(30 * 86400))
                    let open = i % 2 == 0
                    let due = created + 86400
                    if k > 0 { convSQL.appendLiteral(", ") }
                    let o = { (s: String) in open ? s : "NULL" }
                    // One in twenty is high priority, as a shop marks its urgent few; one open
                    // conversation in five hundred has a reply that failed to send.
                    let high = i % 20 == 2
                    let sort = open ? due : 1e12
                    convSQL.appendLiteral(
                        "(\(inbox.id), \(contactId), 'bench:\(i)', '\(open ? "open" : "resolved")', \(i % 10 == 3 ? 1 : 0), \(open ? 1 : 0), \(o("\(created)")), \(due), \(o("\(due)")), \(o("\(due - 21600)")), \(sort), '\(high ? "high" : "none")', \(high ? sort - 3e13 : sort), \(open ? created : 1e12), \(open && i % 1000 == 12 ? "\(created + 600)" : "NULL"), \(created), \(created), "
                    )
                    convSQL.appendInterpolation(bind: phrases[i % phrases.count])
                    convSQL.appendLiteral(", \(created), \(created), \(open ? "NULL" : "\(created + 3600)"))")
                }
                convSQL.appendLiteral(" RETURNING id, created_at")
                let convs = try await db.raw(convSQL).all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "created_at", as: Double.self))
                }

                // With the conversation's status and due time, as saveConversation keeps them.
                var labelRows: [(conv: Int64, label: String, status: String, sort: Double)] = []
                for (k, (conv, created)) in convs.enumerated() {
                    let i = first + k
                    let open = i % 2 == 0
                    let status = open ? "open" : "resolved", sort = open ? created + 86400 : 1e12
                    if i % 5 == 0 { labelRows.append((conv, "配送", status, sort)) }
                    if i % 1000 == 7 { labelRows.append((conv, "VIP", status, sort)) }
                }
                if !labelRows.isEmpty {
                    var labelSQL = SQLQueryString("INSERT INTO conversation_labels (conversation_id, label, status, sla_sort) VALUES ")
                    for (k, row) in labelRows.enumerated() {
                        if k > 0 { labelSQL.appendLiteral(", ") }
                        labelSQL.appendLiteral("(\(row.conv), ")
                        labelSQL.appendInterpolation(bind: row.label)
                        labelSQL.appendLiteral(", '\(row.status)', \(row.sort))")
                    }
                    try await db.raw(labelSQL).run()
                }

                var pending: [(conv: Int64, at: Double, kind: String, text: String)] = []
                for (conv, created) in convs {
                    for m in 0..<messagesPerConversation {
                        let text = "\(phrases.randomElement()!) 注文番号 #\(Int.random(in: 1000...99999)) \(phrases.randomElement()!)"
                        pending.append((conv, created + Double(m * 60), m % 2 == 0 ? "inbound" : "outbound", text))
                    }
                }
                for chunk in stride(from: 0, to: pending.count, by: 500) {
                    let part = pending[chunk..<min(chunk + 500, pending.count)]
                    var msgSQL = SQLQueryString(
                        "INSERT INTO messages (conversation_id, inbox_id, kind, text, delivery_state, attachments, created_at, search_text) VALUES ")
                    for (k, m) in part.enumerated() {
                        if k > 0 { msgSQL.appendLiteral(", ") }
                        msgSQL.appendLiteral("(\(m.conv), \(inbox.id), '\(m.kind)', ")
                        msgSQL.appendInterpolation(bind: m.text)
                        msgSQL.appendLiteral(", 'sent', '[]', \(m.at), ")
                        msgSQL.appendInterpolation(bind: dialect == .postgres ? SearchText.normalize(m.text) : "")
                        msgSQL.appendLiteral(")")
                    }
                    try await db.raw(msgSQL).run()  // the insert trigger indexes each message for search
                }
            }
            done += n
            progress(done)
        }
        for name in ["配送", "VIP"] {
            _ = try? await store.createLabel(name: name, color: "#0b57d0", description: "")
        }
        try await store.db.write { db in try await db.raw("ANALYZE").run() }
    }
}
