import Foundation
import KotaeCore
import KotaeStore

extension DemoShop {
    /// Four weeks of answered conversations before today, written through the same paths as real
    /// ones (each with its own times), so the reports page shows the shop's medians, how far it
    /// meets what customers expect per channel, its busy hours and its survey answers at once.
    /// All are resolved: the queues stay as the rest of the demo sets them.
    static func loadHistory(_ store: KotaeStore, inboxes: [ChannelKind: Inbox], agents: [User], now: Date) async throws {
        let questions = [
            "注文した自転車はいつ届きますか？", "サイズ交換をお願いできますか", "ライトが点きません", "領収書を発行してほしいです",
            "When will my order ship?", "ギフト包装はできますか", "届いたベルに傷がありました", "配送先を変更したいです",
        ]
        // Typical first answers per channel, in minutes (chat fast, email within the day).
        let channels: [(ChannelKind, [Double])] = [
            (.chat, [2, 4, 6, 9, 14, 25, 45]), (.email, [20, 50, 90, 180, 300, 600, 1500]), (.line, [8, 15, 30, 60, 120, 240]),
            (.instagram, [30, 90, 240, 600, 1440]), (.facebook, [15, 60, 180, 900]),
        ]
        var n = 0
        for daysAgo in stride(from: 28, through: 1, by: -1) {
            for slot in 0..<(3 + daysAgo % 3) {
                n += 1
                let (kind, delays) = channels[(n * 7 + slot) % channels.count]
                guard let inbox = inboxes[kind] else { continue }
                let agent = agents[n % agents.count]
                let hour = [10, 13, 15, 20, 11, 22][(n + slot) % 6]
                let asked = now.addingTimeInterval(-Double(daysAgo) * 86_400).addingTimeInterval(Double(hour - 12) * 3600 + Double(n % 50) * 60)
                let name = ["山田 太郎", "鈴木 花子", "高橋 健", "Olivia Brown", "伊藤 さくら", "渡辺 翔"][n % 6]
                let m = InboundMessage(
                    identity: (kind.rawValue, "history-\(n)"), contactName: name, externalId: "history-\(n)", threadKey: "history-\(n)",
                    text: questions[n % questions.count], sentAt: asked)
                guard case .created(_, let c, _) = try await store.conversations.ingest(m, inbox: inbox, now: asked) else { continue }
                if n % 4 == 0 {
                    _ = try await store.conversations.change(
                        conversationId: c.id, .labels(add: [n % 8 == 0 ? "返品" : "配送"], remove: []), actor: agent.id, now: asked)
                }
                let answered = asked.addingTimeInterval(delays[n % delays.count] * 60)
                try await deliveredReply(store, c.id, "お問い合わせありがとうございます。確認いたしました。", by: agent, at: answered)
                var resolvedAt = answered.addingTimeInterval(Double(10 + n % 120) * 60)
                if n % 3 == 0 {
                    // A second question, answered in turn.
                    let again = answered.addingTimeInterval(Double(20 + n % 90) * 60)
                    let more = InboundMessage(
                        identity: (kind.rawValue, "history-\(n)"), contactName: name, externalId: "history-\(n)-2", threadKey: "history-\(n)",
                        text: "ありがとうございます。もう一つ質問があります", sentAt: again)
                    _ = try await store.conversations.ingest(more, inbox: inbox, now: again)
                    let second = again.addingTimeInterval(delays[(n + 2) % delays.count] * 60)
                    try await deliveredReply(store, c.id, "ご質問ありがとうございます。", by: agent, at: second)
                    resolvedAt = second.addingTimeInterval(30 * 60)
                }
                guard resolvedAt < now else { continue }
                _ = try await store.conversations.change(conversationId: c.id, .status(.resolved, reason: nil), actor: agent.id, now: resolvedAt)
                // Its survey: answered by some customers, left alone (not sent again today) for the rest.
                guard let survey = try await store.surveys.of(conversationId: c.id).first(where: { $0.state == .scheduled }) else { continue }
                let sentAt = resolvedAt.addingTimeInterval(3600)
                if n % 3 != 1, sentAt < now, try await store.surveys.send(survey, text: "今回の対応はいかがでしたか？ {link}", now: sentAt) {
                    for message in try await store.conversations.messages(conversationId: c.id)
                    where message.kind == .automated && message.deliveryState == .queued {
                        try await store.conversations.setDelivery(messageId: message.id, state: .sent, error: nil, externalId: nil, at: sentAt)
                    }
                    _ = try await store.surveys.answer(
                        id: survey.id, rating: [5, 4, 5, 3, 5, 4, 2][n % 7], comment: nil, now: sentAt.addingTimeInterval(900))
                } else {
                    _ = try await store.surveys.close(survey, .skipped, note: "demo history")
                }
            }
        }
    }

    private static func deliveredReply(_ store: KotaeStore, _ conversation: ID, _ text: String, by agent: User, at: Date) async throws {
        let (m, _) = try await store.conversations.reply(conversationId: conversation, text: text, author: agent.id, now: at.addingTimeInterval(-20))
        try await store.conversations.setDelivery(messageId: m.id, state: .sent, error: nil, externalId: nil, at: at)
    }
}
