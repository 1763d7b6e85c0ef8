import Foundation
import KotaeCore
import KotaeStore

/// A small living shop for newcomers: 「みどり自転車店」 (Midori Cycles), selling bicycles
/// and rain gear in Japan and abroad, with customers on every channel — some answered,
/// some waiting, some already late.
enum DemoShop {
    static let adminEmail = "admin@demo.kotae"
    static let adminPassword = "kotae-demo"

    static func load(into app: AppServices) async throws {
        let store = app.store
        if try await store.accounts.userForLogin(email: adminEmail) == nil {
            _ = try await store.accounts.createUser(
                email: adminEmail, name: "店長 緑川", role: .admin,
                passwordHash: try await app.hashPassword(adminPassword))
        }
        let agent = try await store.accounts.createUser(
            email: "sato@demo.kotae", name: "佐藤 花子", role: .agent,
            passwordHash: try await app.hashPassword(adminPassword), locale: "ja")
        let agent2 = try await store.accounts.createUser(
            email: "emma@demo.kotae", name: "Emma Clarke", role: .agent,
            passwordHash: try await app.hashPassword(adminPassword), locale: "en", timeZone: "Europe/London")
        _ = try await store.teams.create(name: "サポート", memberIds: [agent.id, agent2.id])

        var email = SLAPolicy.defaults(for: .email)
        email.businessHours = .weekdays(from: 9, to: 18)
        let inboxes: [ChannelKind: Inbox] = [
            // A Microsoft 365 mailbox, to be connected by the device sign-in on its settings page.
            .email: try await store.inboxes.create(
                name: "support@midori-cycles.jp", channel: .email,
                settings: [
                    "address": "support@midori-cycles.jp", "smtpHost": "smtp.office365.com", "smtpPort": "587", "smtpSecurity": "starttls",
                    "signIn": "oauth2", "oauthProvider": "microsoft",
                ], slaPolicy: email),
            .chat: try await store.inboxes.create(name: "サイト内チャット", channel: .chat),
            .facebook: try await store.inboxes.create(name: "Facebook: Midori Cycles", channel: .facebook),
            .instagram: try await store.inboxes.create(name: "Instagram: @midoricycles", channel: .instagram),
            .x: try await store.inboxes.create(name: "X: @midori_cycles", channel: .x),
            .line: try await store.inboxes.create(name: "LINE公式アカウント", channel: .line),
            .api: try await store.inboxes.create(name: "Shop API", channel: .api),
        ]

        _ = try await store.createCannedResponse(
            shortcut: "thanks", title: "お問い合わせのお礼",
            body: "{contact.name} 様\n\nお問い合わせありがとうございます。みどり自転車店の{agent.name}です。確認のうえ、本日中にご連絡いたします。")
        _ = try await store.createCannedResponse(
            shortcut: "wrong-item", title: "Wrong item (EN)",
            body:
                "Hi {contact.name}, I'm so sorry we sent the wrong item. I've arranged a replacement today — you don't need to send anything back. — {agent.name}"
        )
        _ = try await store.createCannedResponse(
            shortcut: "tracking", title: "配送状況のご案内",
            body: "{contact.name} 様、ご注文の配送状況をお調べしました。お荷物は現在配送中です。")

        let now = Date()
        func ago(_ minutes: Double) -> Date { now.addingTimeInterval(-minutes * 60) }
        struct Seed {
            let channel: ChannelKind
            let identity: String
            let name: String
            let text: String
            let minutesAgo: Double
            var isPublic = false
            var reply: String? = nil
            var resolve = false
            var labels: [String] = []
            var assign: Int64? = nil
            var priority: Priority = .none
        }
        let seeds: [Seed] = [
            Seed(
                channel: .email, identity: "yamada.taro@example.jp", name: "山田 太郎",
                text: "まだ?\n先週注文した折りたたみ自転車がまだ届きません。注文番号 #1042 です。", minutesAgo: 60 * 30,
                labels: ["配送"], priority: .high),
            Seed(
                channel: .chat, identity: "visitor-8841", name: "鈴木 花",
                text: "レインコートのサイズ交換はできますか？Mを買ったのですが小さかったです。", minutesAgo: 25, labels: ["交換"]),
            Seed(
                channel: .facebook, identity: "6123450001", name: "Olivia Brown",
                text: "I ordered a green coat and got a blue one. Not happy.", minutesAgo: 60 * 5, isPublic: true,
                labels: ["wrong-item"], priority: .urgent),
            Seed(
                channel: .facebook, identity: "6123450002", name: "Ken Watanabe",
                text: "Happy holidays everyone! 🎄", minutesAgo: 60 * 2, isPublic: true),
            Seed(
                channel: .instagram, identity: "17841400000000001", name: "mika_rides",
                text: "雨の日に転んだけど、みどりの自転車は無傷でした😂 ありがとう！", minutesAgo: 90, isPublic: true),
            Seed(
                channel: .x, identity: "1452000000000000001", name: "@tokyo_commuter",
                text: "@midori_cycles 電動アシストのバッテリーの保証期間は何年ですか？", minutesAgo: 60 * 26, isPublic: true),
            Seed(
                channel: .line, identity: "U4af4980629000000000000000000001", name: "高橋 美咲",
                text: "注文のキャンセルをお願いしたいです。", minutesAgo: 12, assign: agent.id),
            Seed(
                channel: .line, identity: "U4af4980629000000000000000000002", name: "伊藤 健",
                text: "ライトの電池交換の方法を教えてください", minutesAgo: 60 * 20, reply: "伊藤様、ライト裏側のネジを外すと電池を交換できます。説明書の8ページもご覧ください。", resolve: true),
            Seed(
                channel: .email, identity: "j.miller@example.com", name: "James Miller",
                text: "Do you ship to the UK? I'd like to order two helmets.", minutesAgo: 60 * 3,
                reply: "Hi James, yes — we ship to the UK in 5–7 days by EMS. Shipping for two helmets is ¥3,200.", assign: agent2.id),
            Seed(
                channel: .chat, identity: "visitor-9120", name: "Sophie Martin",
                text: "Is the city bike available in 26 inch?", minutesAgo: 60 * 48,
                reply: "Yes, the City 26 is in stock in green and white.", resolve: true),
            Seed(
                channel: .email, identity: "kobayashi@example.co.jp", name: "小林 誠",
                text: "領収書の発行をお願いできますか。宛名は株式会社コバヤシでお願いします。", minutesAgo: 60 * 4, assign: agent.id),
            Seed(
                channel: .api, identity: "order-form-5521", name: "中村 陽子",
                text: "ギフト包装を追加したいのですが、まだ間に合いますか？", minutesAgo: 40),
        ]
        for (i, s) in seeds.enumerated() {
            var message = InboundMessage(
                identity: (s.channel.rawValue, s.identity), contactName: s.name,
                contactEmail: s.channel == .email ? s.identity : nil,
                externalId: demoExternalId(s.channel, isPublic: s.isPublic, i),
                threadKey: s.isPublic ? (s.channel == .x ? ThreadKind.mentions : .comments).key(s.identity) : nil, text: s.text,
                isPublic: s.isPublic, sentAt: ago(s.minutesAgo))
            if s.channel == .email {
                message.details.email = EmailHeaders(
                    subject: String(s.text.split(whereSeparator: \.isNewline).first ?? "").prefix(40).description,
                    from: "\(s.name) <\(s.identity)>", to: ["support@midori-cycles.jp"])
            }
            if s.isPublic && s.channel == .facebook { message.details.postURL = "https://www.facebook.com/midoricycles/posts/demo\(i)" }
            guard case .created(_, let c, _) = try await store.conversations.ingest(message, inbox: inboxes[s.channel]!, now: ago(s.minutesAgo))
            else { continue }
            if let reply = s.reply {
                let (m, _) = try await store.conversations.reply(
                    conversationId: c.id, text: reply, author: s.assign ?? agent.id, now: ago(s.minutesAgo - 8))
                try await store.conversations.setDelivery(
                    messageId: m.id, state: .sent, error: nil, externalId: "demo-out-\(i)", at: ago(s.minutesAgo - 8))
            }
            if !s.labels.isEmpty { _ = try await store.conversations.change(conversationId: c.id, .labels(add: s.labels, remove: []), actor: nil) }
            if let a = s.assign { _ = try await store.conversations.change(conversationId: c.id, .assign(userId: a), actor: nil) }
            if s.priority != .none { _ = try await store.conversations.change(conversationId: c.id, .priority(s.priority), actor: nil) }
            if s.resolve {
                _ = try await store.conversations.change(
                    conversationId: c.id, .status(.resolved, reason: nil), actor: nil, now: ago(s.minutesAgo - 10))
            }
        }
        try await loadHistory(store, inboxes: inboxes, agents: [agent, agent2], now: now)
        try await loadWhatNeedsAttention(store, inboxes: inboxes, agent: agent, ago: ago)
        try await loadMail(app, inbox: inboxes[.email]!, now: now)
        try await loadOrders(store, now: now)
        try await loadHelpCenter(store, now: now)
        try await loadBotExample(app, inbox: inboxes[.line]!, now: now)
        // The widget on /demo/shop answers from the FAQ too.
        var chat = inboxes[.chat]!.settings
        chat[FAQBotRule.setting] = "true"
        _ = try await store.inboxes.update(id: inboxes[.chat]!.id, name: nil, settings: chat, credentials: nil, slaPolicy: nil)
        // Two rules a shop starts with: a broken or wrong item goes up the queue, and a customer
        // left three days without writing back is resolved.
        _ = try await store.automation.create(
            AutomationRule(
                name: "破損・商品違いは優先", trigger: .messageReceived, conditions: RuleConditions(intents: [.defect, .wrongItem]),
                actions: RuleActions(addLabels: ["要対応"], priority: .high)), now: now)
        _ = try await store.automation.create(
            AutomationRule(name: "3日間返信がなければ対応済み", trigger: .customerSilent, afterMinutes: 3 * 24 * 60, actions: RuleActions(resolve: true)), now: now
        )
        // The reply checker refuses what this shop never says (「絶対」 promises what no one can).
        try await store.setSetting(ReplyCheckService.forbiddenSetting, "絶対\n100%保証")
        // Demo replies were delivered already; nothing to send.
        for job in try await store.jobs.list(state: .queued) { try await store.jobs.complete(id: job.id, attempt: 0) }
        try await store.setSetting("demo_loaded", ISO8601DateFormatter().string(from: now))
        app.logger.notice("loaded the demo shop", metadata: ["admin": "\(adminEmail)", "password": "\(adminPassword)"])
        print("\n  Kotae demo shop: sign in as \(adminEmail) / \(adminPassword)\n")
    }
}
