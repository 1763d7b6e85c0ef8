import Foundation
import KotaeCore
import KotaeStore

/// The demo's cases a support lead must not miss: a reply that never arrived, an
/// auto-responder that answered no one, and one customer's two comments, one answered.
extension DemoShop {
    /// The platform ids public items carry, so the demo's comments behave as real ones.
    static func demoExternalId(_ channel: ChannelKind, isPublic: Bool, _ i: Int) -> String {
        guard isPublic else { return "demo-\(i)" }
        switch channel {
        case .facebook: return ExternalIDKind.facebookComment.id("demo_\(i)")
        case .instagram: return ExternalIDKind.instagramComment.id("demo_\(i)")
        case .x: return ExternalIDKind.xPost.id("demo\(i)")
        default: return "demo-\(i)"
        }
    }

    static func loadWhatNeedsAttention(
        _ store: KotaeStore, inboxes: [ChannelKind: Inbox], agent: User,
        ago: (Double) -> Date
    ) async throws {
        // 送信失敗: the LINE inbox has no access token yet; the customer still waits, with the clock it had.
        let failed = InboundMessage(
            identity: ("line", "U4af4980629000000000000000000003"), contactName: "渡辺 陽菜", externalId: "demo-failed",
            text: "注文した子ども用ヘルメットのサイズを変えられますか？", sentAt: ago(95))
        if case .created(_, let c, _) = try await store.conversations.ingest(failed, inbox: inboxes[.line]!, now: ago(95)) {
            _ = try await store.conversations.change(conversationId: c.id, .assign(userId: agent.id), actor: nil, now: ago(94))
            let (m, _) = try await store.conversations.reply(
                conversationId: c.id, text: "渡辺様、サイズ変更を承ります。ご希望のサイズを教えてください。",
                author: agent.id, now: ago(80))
            try await store.conversations.setDelivery(
                messageId: m.id, state: .failed,
                error: "this LINE inbox has no channel access token; set one in the inbox settings", externalId: nil, at: ago(80))
        }
        // An auto-responder on the page answered at once; the customer still waits for a person.
        let psid = "6123450077"
        let asked = InboundMessage(
            identity: ("facebook", psid), contactName: "中村 さくら", externalId: ExternalIDKind.messengerMessage.id("demo-dm-1"),
            threadKey: ThreadKind.messenger.key(psid), text: "配送先を実家に変更できますか？", sentAt: ago(50))
        if case .created = try await store.conversations.ingest(asked, inbox: inboxes[.facebook]!, now: ago(50)) {
            _ = try await store.conversations.recordEcho(
                inbox: inboxes[.facebook]!, identity: ContactIdentity(channel: "facebook", externalId: psid),
                threadKey: ThreadKind.messenger.key(psid), externalId: ExternalIDKind.messengerMessage.id("demo-bot-1"),
                text: "自動応答: お問い合わせありがとうございます。営業時間内に担当者よりご連絡します。",
                automated: true, at: ago(50), now: ago(50))
        }
        // Olivia's second comment, on another post: her first was answered, this one waits.
        var second = InboundMessage(
            identity: ("facebook", "6123450001"), contactName: "Olivia Brown", externalId: ExternalIDKind.facebookComment.id("demo_second"),
            threadKey: ThreadKind.comments.key("6123450001"), text: "Also, does the coat come in XL?", isPublic: true, sentAt: ago(45))
        second.details.postURL = "https://www.facebook.com/midoricycles/posts/demo-xl"
        if case .created(_, let c, _) = try await store.conversations.ingest(second, inbox: inboxes[.facebook]!, now: ago(45)),
            let first = try await store.conversations.publicItems(conversationId: c.id).last
        {
            let (m, _) = try await store.conversations.reply(
                conversationId: c.id, text: "So sorry, Olivia! A green coat is on its way today.",
                author: agent.id, replyTo: first.id, now: ago(40))
            try await store.conversations.setDelivery(
                messageId: m.id, state: .sent, error: nil, externalId: ExternalIDKind.facebookComment.id("demo_answer"), at: ago(40))
        }
    }
}
