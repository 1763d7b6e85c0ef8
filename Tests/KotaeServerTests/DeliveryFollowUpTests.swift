import Foundation
import HTTPTypes
import KotaeCommerce
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// The message after a fix: sent when its parcel is delivered (or days after, where nothing is
/// reported), cancelled when the customer wrote first, skipped where the channel does not allow it.
@Suite struct DeliveryFollowUpTests {
    static func service(_ app: TestApp, at date: Date) -> DeliveryFollowUpService {
        DeliveryFollowUpService(
            store: app.store, channels: app.services.channels, hub: app.services.hub, clock: AppClock(sleeper: ContinuousClock(), now: { date }),
            logger: app.services.logger)
    }

    /// A fix done on a saved order of `conversation`: its follow-up waits from now.
    static func fixed(_ app: TestApp, conversation: Int64, kind: OrderActionKind) async throws -> DeliveryFollowUp {
        let store = try await app.store.commerceStores.create(platform: .file, name: "saved", settings: ["orderPrefix": "#"])
        let order = Order(
            key: OrderKey(store: store.id, id: "o-1"), number: "#7001", email: "hanako.yamada@example.jp", createdAt: Date(), updatedAt: Date())
        try await app.store.orders.save(order, keys: OrderKeys.of(order))
        let action = try await app.store.orderActions.create(
            OrderAction(
                conversationId: conversation, order: order.key, orderNumber: order.number, kind: kind, state: .manual, reason: "破損",
                requestedBy: app.agent.id, createdAt: Date(), updatedAt: Date()), actor: app.agent.id)
        _ = try await app.store.orderActions.move(id: action.id, from: [.manual], to: .done, actor: app.agent.id)
        return try #require(try await app.store.deliveryFollowUps.of(conversationId: conversation).first)
    }

    @Test func aFixWithoutAParcelIsFollowedUpDaysLaterOnceOnTheCustomersChannel() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let conversation = try await OrdersPanelTests.mail(app, "返金をお願いします")
            let f = try await Self.fixed(app, conversation: conversation, kind: .refund)
            #expect(f.state == .waiting)
            try await Self.service(app, at: Date().addingTimeInterval(4 * 86_400)).sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .waiting)
            let later = Self.service(app, at: Date().addingTimeInterval(5 * 86_400 + 60))
            try await later.sendDue()
            try await later.sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .sent)
            let sent = try await app.store.conversations.messages(conversationId: conversation).filter { $0.kind == .automated }
            #expect(sent.map(\.text) == ["山田 花子 様、その後、ご注文 #7001 について何か問題はございませんか？お気づきの点があれば、このままご返信ください。"])
            #expect(try await app.store.jobs.list(state: .queued).contains { $0.kind == DeliverMessage.kind })
            let steps = try await app.store.events(conversationId: conversation).filter { $0.type == "order.followUp" }
            #expect(steps.count == 1)
        }
    }

    @Test func aReplacementIsFollowedUpWhenShopifySaysItWasDelivered() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp(configure: { $0.role = .web }) { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await OrdersPanelTests.mail(app, "#1042 のソックスが破れていました")
            _ = try await OrdersPanelTests.panel(app, conversation)
            let (status, action) = try await app.admin(
                .post, "/api/v1/conversations/\(conversation)/order-actions",
                jsonString([
                    "store": store, "orderId": "gid://shopify/Order/5829416312932", "kind": "reship", "reason": "破損",
                    "lines": [["lineId": "gid://shopify/LineItem/14000000000002", "quantity": 1]],
                ]))
            try #require(status == .created)
            let id = (action["id"] as! NSNumber).int64Value
            let job = SubmitOrderActionJob(store: app.store, connections: app.services.commerce, hub: app.services.hub, clock: .system)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            let replacement = try #require(try await fake.made().drafts.first?.order)
            #expect(try await app.store.orderActions.find(id: id)?.watch?.id != nil)
            // Ten days on and Shopify has said nothing of the replacement: it is waited for.
            try await Self.service(app, at: Date().addingTimeInterval(10 * 86_400)).sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .waiting)
            // Shopify's webhooks: the replacement order, then its parcel delivered.
            let number = Int64(replacement.name.dropFirst())!
            let gid = try #require(try await app.store.orderActions.find(id: id)?.watch?.id)
            try await ShopifyWebhookRouteTests.replacementDelivered(app, store: store, gid: gid, name: "#\(number)")
            try await Self.service(app, at: Date()).sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .sent)
            #expect(
                try await app.store.conversations.messages(conversationId: conversation).contains {
                    $0.kind == .automated && $0.text.contains("#1042")
                })
        }
    }

    @Test func noFollowUpWhenTheCustomerWroteFirst() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let conversation = try await OrdersPanelTests.mail(app, "返金をお願いします")
            let f = try await Self.fixed(app, conversation: conversation, kind: .coupon)
            let inbox = try #require(try await app.store.conversations.conversation(id: conversation)).inboxId
            _ = try await app.ingest(inbox: inbox, externalId: "<again@example.jp>", contact: "hanako.yamada@example.jp", text: "クーポン使えました！")
            try await Self.service(app, at: Date().addingTimeInterval(10 * 86_400)).sendDue()
            let settled = try await app.store.deliveryFollowUps.of(conversationId: conversation).first
            #expect(settled?.id == f.id && settled?.state == .cancelled)
            #expect(try await app.store.conversations.messages(conversationId: conversation).allSatisfy { $0.kind != .automated })
        }
    }

    /// An agent resolves after the fix (the follow-up still waits), then reopens: the
    /// conversation goes on, and the question whether all is well is not sent into it.
    @Test func reopeningTheConversationCancelsIt() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let conversation = try await OrdersPanelTests.mail(app, "返金をお願いします")
            let f = try await Self.fixed(app, conversation: conversation, kind: .refund)
            let answered = try await app.admin(.post, "/api/v1/conversations/\(conversation)/reply", jsonString(["text": "返金いたしました。"]))
            #expect(answered.0 == .created)
            #expect(try await app.admin(.post, "/api/v1/conversations/\(conversation)/status", #"{"status":"resolved"}"#).0 == .ok)
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .waiting, "resolving keeps it")
            #expect(try await app.admin(.post, "/api/v1/conversations/\(conversation)/status", #"{"status":"open"}"#).0 == .ok)
            let settled = try await app.store.deliveryFollowUps.of(conversationId: conversation).first
            #expect(settled?.id == f.id && settled?.state == .cancelled && settled?.note == "the conversation was reopened")
            try await Self.service(app, at: Date().addingTimeInterval(10 * 86_400)).sendDue()
            #expect(try await app.store.conversations.messages(conversationId: conversation).allSatisfy { $0.kind != .automated })
            let steps = try await app.store.events(conversationId: conversation).filter { $0.type == "order.followUp" }
            #expect(steps.count == 1 && steps.first?.data.contains("the conversation was reopened") == true)
        }
    }

    /// Days after the last message, LINE can only push, and pushes draw on the plan's month:
    /// with the month nearly used up, neither the follow-up nor the survey takes the last
    /// pushes agents need, and each says why; with room left, they go.
    @Test func linesMonthlyPushesNearlyUsedUpSkipFollowUpsAndSurveysAndSayWhy() async throws {
        let fake = FakeLINE()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: {
            $0.role = .web; $0.lineAPIBase = base; $0.lineDataBase = base; $0.publicURL = "https://kotae.test"
        }) { app in
            let inbox = try await app.makeInbox(channel: "line", credentials: ["channelSecret": "s", "channelAccessToken": fake.accessToken])
            func conversation(_ user: String) async throws -> Int64 {
                let (_, out) = try await app.ingest(inbox: inbox, externalId: "line-\(user)", contact: user, text: "商品が届きません")
                return (out["conversationId"] as! NSNumber).int64Value
            }
            fake.plan(limit: 200, used: 185)
            let tight = try await conversation("Utight")
            _ = try await Self.fixed(app, conversation: tight, kind: .refund)
            try await Self.service(app, at: Date().addingTimeInterval(5 * 86_400 + 60)).sendDue()
            let skipped = try await app.store.deliveryFollowUps.of(conversationId: tight).first
            #expect(skipped?.state == .skipped)
            #expect(skipped?.note == "LINE's monthly messages are nearly used up (185 of 200); the last 20 are kept for agents' replies")
            // The survey after a resolution meets the same month.
            _ = try await app.store.conversations.reply(conversationId: tight, text: "返金しました", author: app.agent.id)
            #expect(try await app.admin(.post, "/api/v1/conversations/\(tight)/status", #"{"status":"resolved"}"#).0 == .ok)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(2 * 3600) }))
                .sendDue()
            let survey = try await app.store.surveys.of(conversationId: tight).first
            #expect(survey?.state == .skipped && survey?.note?.contains("185 of 200") == true)
            #expect(try await app.store.conversations.messages(conversationId: tight).allSatisfy { $0.kind != .automated })
            #expect(!fake.requests.contains { $0.path == "/v2/bot/message/push" })

            fake.plan(limit: 200, used: 100)
            let roomy = try await conversation("Uroomy")
            _ = try await Self.fixed(app, conversation: roomy, kind: .refund)
            try await Self.service(app, at: Date().addingTimeInterval(5 * 86_400 + 60)).sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: roomy).first?.state == .sent)
            #expect(try await app.store.conversations.messages(conversationId: roomy).contains { $0.kind == .automated })
        }
    }

    @Test func messengersClosedWindowSkipsItAndSaysWhy() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox(
                channel: "facebook", settings: ["pageId": "105000000000001"],
                credentials: ["appSecret": "s", "verifyToken": "v", "pageAccessToken": "t"])
            let sentAt = ISO8601DateFormatter().string(from: Date())
            let (_, out) = try await app.ingest(
                inbox: inbox, externalId: "m_follow_1", contact: "6100099", text: "商品が壊れていました", extra: ["sentAt": sentAt])
            let conversation = (out["conversationId"] as! NSNumber).int64Value
            _ = try await Self.fixed(app, conversation: conversation, kind: .refund)
            // Five days later Meta's 24-hour window has long closed.
            try await Self.service(app, at: Date().addingTimeInterval(5 * 86_400 + 60)).sendDue()
            let settled = try await app.store.deliveryFollowUps.of(conversationId: conversation).first
            #expect(settled?.state == .skipped && settled?.note == "the platform's messaging window is closed")
            #expect(try await app.store.conversations.messages(conversationId: conversation).allSatisfy { $0.kind != .automated })
        }
    }
}
