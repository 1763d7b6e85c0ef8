import Foundation
import KotaeCore
import KotaeStore

/// The demo shop's help center, so `/help/ja` shows a bicycle shop's FAQ at once: delivery,
/// returns and payment in Japanese, two articles in English, one draft.
extension DemoShop {
    static func loadHelpCenter(_ store: KotaeStore, now: Date) async throws {
        // The contact form writes into the shop's mail inbox, answered by email.
        let mail = try await store.inboxes.all().first { $0.channel == .email }
        try await HelpCenterSettings(
            shopName: "みどりサイクル", color: "#2f6f4f", supportEmail: "support@midori-cycles.jp", phone: "03-1234-5678",
            returnPolicyURL: "https://midori-cycles.jp/returns", contactInboxId: mail?.id
        ).save(store)
        let help = store.help
        let delivery = try await help.create(HelpCategory(locale: .ja, name: "配送について", description: "発送の目安、送料、配送業者", position: 1, createdAt: now))
        let returns = try await help.create(HelpCategory(locale: .ja, name: "返品・交換", description: "返品と交換、不良品", position: 2, createdAt: now))
        let payment = try await help.create(HelpCategory(locale: .ja, name: "お支払い", position: 3, createdAt: now))
        let deliveryEN = try await help.create(
            HelpCategory(locale: .en, translationKey: delivery.translationKey, name: "Delivery", position: 1, createdAt: now))
        let returnsEN = try await help.create(
            HelpCategory(locale: .en, translationKey: returns.translationKey, name: "Returns", position: 2, createdAt: now))
        let articles: [(HelpCategory, String, String, [String], [String])] = [
            (
                delivery, "注文してから何日で届きますか?",
                "在庫のある自転車は、ご注文の確認後 **2〜4営業日** で発送します。土日祝日は発送をお休みしています。\n\n発送後、本州・四国は翌日〜2日、北海道・九州・沖縄は2〜4日でお届けします。",
                ["いつ届く", "発送までの日数"], ["発送", "お届け", "日数"]
            ),
            (
                delivery, "送料はいくらですか?",
                "自転車は全国一律 **2,200円**、パーツ・アクセサリーは **660円** です。税込11,000円以上のパーツのご注文は送料無料です。",
                [], ["送料無料", "配送料"]
            ),
            (
                delivery, "配送状況を確認するには?", "発送メールに記載の伝票番号で、[ヤマト運輸の荷物お問い合わせ](https://toi.kuronekoyamato.co.jp/cgi-bin/tneko)から確認できます。",
                ["追跡番号はどこ"], ["追跡", "伝票番号"]
            ),
            (
                returns, "返品はできますか?", "商品到着後 **8日以内**、未使用のものに限り返品を承ります。お客様都合の返品は、返送料をご負担ください。",
                ["いらなくなったので返したい"], ["返品", "返送"]
            ),
            (
                returns, "届いた自転車に傷や不具合がありました", "お手数ですが、到着から7日以内に写真を添えてご連絡ください。交換または修理を当店負担で手配します。",
                ["壊れていた", "初期不良"], ["不良品", "破損"]
            ),
            (payment, "どの支払い方法が使えますか?", "クレジットカード、コンビニ払い、代金引換（手数料330円）、Amazon Pay がご利用いただけます。", [], ["決済", "支払い"]),
        ]
        var made: [String: HelpArticle] = [:]
        for (i, (category, title, body, alternatives, synonyms)) in articles.enumerated() {
            made[title] = try await help.create(
                HelpArticle(
                    locale: .ja, categoryId: category.id, title: title, body: body, alternatives: alternatives, synonyms: synonyms,
                    status: .published, position: i), now: now)
        }
        _ = try await help.create(
            HelpArticle(
                locale: .en, translationKey: made["送料はいくらですか?"]!.translationKey, categoryId: deliveryEN.id,
                title: "How much is shipping?", body: "Bicycles ship for **¥2,200** anywhere in Japan, parts for ¥660 (free from ¥11,000).",
                synonyms: ["shipping fee", "delivery cost"], status: .published), now: now)
        _ = try await help.create(
            HelpArticle(
                locale: .en, translationKey: made["返品はできますか?"]!.translationKey, categoryId: returnsEN.id, title: "Can I return an item?",
                body: "Unused items can be returned within **8 days** of delivery.", synonyms: ["return", "refund"], status: .published), now: now)
        _ = try await help.create(
            HelpArticle(locale: .ja, categoryId: payment.id, title: "分割払いはできますか?（準備中）", body: "準備中です。", status: .draft), now: now)
    }

    /// The FAQ bot on, on the shop's LINE: one customer's question it answered from the FAQ
    /// (still in the queue for a person to see), so a newcomer sees what it says and when.
    static func loadBotExample(_ app: AppServices, inbox: Inbox, now: Date) async throws {
        let store = app.store
        var settings = inbox.settings
        settings[FAQBotRule.setting] = "true"
        let line = try await store.inboxes.update(id: inbox.id, name: nil, settings: settings, credentials: nil, slaPolicy: nil)
        let asked = now.addingTimeInterval(-12 * 60)
        guard
            case .created(let m, let c, _) = try await store.conversations.ingest(
                InboundMessage(
                    identity: ("line", "Udemo-bot-1"), contactName: "LINE 次郎", externalId: ExternalIDKind.line.id("demo-bot-1"),
                    text: "自転車の送料はいくらですか？", sentAt: asked), inbox: line, now: asked)
        else { return }
        let job = FAQBotJob(
            store: store, help: app.help, hub: app.hub, clock: AppClock(sleeper: ContinuousClock(), now: { asked }), publicURL: app.config.publicURL)
        _ = try await job.run(AnswerFromFAQ(conversationId: c.id, messageId: m.id))
        for reply in try await store.conversations.messages(conversationId: c.id) where reply.details.bot != nil {
            try await store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "demo-bot-out", at: asked)
        }
    }
}
