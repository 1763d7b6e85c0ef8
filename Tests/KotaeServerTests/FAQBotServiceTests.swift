import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// The FAQ bot on a LINE inbox that turned it on: it answers with the article's own words and
/// its link, asks whether that solved it, hands off to a person when asked, when upset, about
/// an order, or when the customer writes again, and never speaks once a person has.
@Suite struct FAQBotServiceTests {
    func withBot(on: Bool = true, _ body: @escaping @Sendable (TestApp, Int64, FAQBotJob) async throws -> Void) async throws {
        try await withTestApp(configure: {
            $0.role = .web; $0.publicURL = "https://help.midori.example"
        }) { app in
            var settings: [String: String] = [:]
            if on { settings["faqBot"] = "true" }
            let inbox = try await app.makeInbox(channel: "line", settings: settings, credentials: ["channelSecret": "s", "channelAccessToken": "t"])
            _ = try await HelpCenterTests.create(
                app, "articles",
                [
                    "locale": "ja", "title": "送料はいくらですか?", "status": "published", "body": "全国一律**660円**です。税込11,000円以上で送料無料です。",
                    "synonyms": ["配送料"],
                ])
            _ = try await HelpCenterTests.create(
                app, "articles", ["locale": "ja", "title": "返品はできますか?", "status": "published", "body": "商品到着後30日以内、未使用のものに限り返品を承ります。"])
            let job = FAQBotJob(
                store: app.store, help: app.services.help, hub: app.services.hub, clock: .system, publicURL: "https://help.midori.example")
            try await body(app, inbox, job)
        }
    }

    /// A customer's message, and the bot's turn on it (queued with the message, run here).
    @discardableResult
    func say(_ app: TestApp, _ inbox: Int64, _ job: FAQBotJob, _ text: String, user: String = "Ucustomer") async throws -> Int64 {
        let (_, out) = try await app.ingest(inbox: inbox, externalId: UUID().uuidString, contact: user, text: text)
        let conversation = (out["conversationId"] as! NSNumber).int64Value, message = (out["messageId"] as! NSNumber).int64Value
        let queued = try await app.store.jobs.list(state: .queued).filter { $0.kind == AnswerFromFAQ.kind }
        #expect(!queued.isEmpty, "the bot's turn is written with the message")
        _ = try await job.run(AnswerFromFAQ(conversationId: conversation, messageId: message))
        return conversation
    }

    func botMessages(_ app: TestApp, _ c: Int64) async throws -> [Message] {
        try await app.store.conversations.messages(conversationId: c).filter { $0.details.bot != nil }
    }

    func steps(_ app: TestApp, _ c: Int64, _ type: String) async throws -> [String] {
        try await app.store.events(conversationId: c).filter { $0.type == type }.map(\.data)
    }

    @Test func aQuestionTheFAQAnswersGetsTheArticlesOwnWordsAndTheCustomerStillWaitsForAPerson() async throws {
        try await withBot { app, inbox, job in
            let c = try await say(app, inbox, job, "送料っていくらかかりますか?")
            let answer = try #require(try await botMessages(app, c).first)
            #expect(answer.kind == .automated && answer.deliveryState == .queued)
            #expect(answer.text.hasPrefix("全国一律660円です。税込11,000円以上で送料無料です。"))
            #expect(answer.text.contains("https://help.midori.example/help/ja/articles/"))
            #expect(answer.text.hasSuffix("（自動応答）これで解決しましたか？「はい」か「いいえ」でお知らせください。"))
            let conversation = try #require(try await app.store.conversations.conversation(id: c))
            #expect(conversation.status == .open && conversation.clock.firstRespondedAt == nil, "the bot is not a person's answer")
            // The agent sees it as the bot's, from Kotae, not another app's.
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(page.contains("<span class=\"author\">Kotae</span><span class=\"kind\">FAQボットの回答</span>"))
            // "Solved": recorded, nothing more said.
            _ = try await say(app, inbox, job, "はい、ありがとうございます")
            #expect(try await botMessages(app, c).count == 1)
            #expect(try await steps(app, c, "bot.feedback").first?.contains("\"solved\":\"true\"") == true)
            #expect(try await steps(app, c, "bot.handOff").isEmpty)
        }
    }

    @Test func writingAgainAfterAnAnswerGoesToAPerson() async throws {
        try await withBot { app, inbox, job in
            let c = try await say(app, inbox, job, "送料はいくらですか")
            _ = try await say(app, inbox, job, "沖縄の場合はどうなりますか")
            #expect(try await botMessages(app, c).count == 1, "the bot does not answer again")
            #expect(try await steps(app, c, "bot.handOff").first?.contains("askedAgain") == true)
        }
    }

    @Test(arguments: [("人と話したいです", "askedForPerson"), ("返品の対応が最悪です", "upset"), ("注文番号 #1042 の送料は?", "aboutAnOrder"), ("明日の天気は?", "notInFAQ")])
    func handsOffWithoutAWordOfItsOwn(text: String, reason: String) async throws {
        try await withBot { app, inbox, job in
            let c = try await say(app, inbox, job, text)
            #expect(try await botMessages(app, c).isEmpty)
            #expect(try await steps(app, c, "bot.handOff").first?.contains(reason) == true)
        }
    }

    @Test func onceAPersonAnswersTheBotStaysOut() async throws {
        try await withBot { app, inbox, job in
            let c = try await say(app, inbox, job, "こんにちは")
            _ = try await app.store.conversations.reply(conversationId: c, text: "いらっしゃいませ", author: app.agent.id)
            _ = try await say(app, inbox, job, "送料はいくらですか")
            #expect(try await botMessages(app, c).isEmpty)
        }
    }

    @Test func anInboxWithoutTheBotGetsNoBotTurn() async throws {
        try await withBot(on: false) { app, inbox, _ in
            _ = try await app.ingest(inbox: inbox, externalId: "m1", contact: "U1", text: "送料はいくらですか")
            #expect(try await app.store.jobs.list(state: .queued).allSatisfy { $0.kind != AnswerFromFAQ.kind })
        }
    }
}
