import Foundation
import HTTPTypes
import HummingbirdTesting
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// Satisfaction surveys: one per resolution, sent after its delay on the customer's channel
/// with a signed link, answered once by the customer (never by an agent), CSAT as the share of
/// 4s and 5s credited to the agent who resolved; a poor rating reopens the conversation.
@Suite struct SurveyTests {
    func resolved(_ app: TestApp) async throws -> Int64 {
        let conversation = try await OrdersPanelTests.mail(app, "ありがとうございました")
        // Answered (as delivered as the demo's replies are), then resolved by the agent.
        let (reply, _) = try await app.store.conversations.reply(conversationId: conversation, text: "どういたしまして", author: app.agent.id)
        try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "out-\(reply.id)", at: Date())
        let r = try await app.request(
            .post, "/api/v1/conversations/\(conversation)/status", token: app.agentToken, json: jsonString(["status": "resolved"]))
        try #require(r.status == .ok, "\(String(buffer: r.body))")
        return conversation
    }

    func link(_ app: TestApp, _ conversation: Int64) async throws -> String {
        let text = try #require(try await app.store.conversations.messages(conversationId: conversation).first { $0.kind == .automated }?.text)
        let url = try #require(text.split(separator: " ").last.map(String.init))
        #expect(url.hasPrefix("https://kotae.test/survey/"))
        return String(url.dropFirst("https://kotae.test".count))
    }

    func answer(_ app: TestApp, _ path: String, _ form: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await app.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    @Test func aResolutionIsSurveyedOnceAfterItsDelayAndAnsweredOnce() async throws {
        try await withTestApp(configure: {
            $0.role = .web; $0.publicURL = "https://kotae.test"
        }) { app in
            let conversation = try await resolved(app)
            let survey = try #require(try await app.store.surveys.of(conversationId: conversation).first)
            #expect(survey.state == .scheduled && survey.resolvedBy == app.agent.id)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(50 * 60) }))
                .sendDue()
            #expect(try await app.store.surveys.find(id: survey.id)?.state == .scheduled, "sent before its hour")
            let due = SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
            try await due.sendDue()
            try await due.sendDue()
            #expect(try await app.store.conversations.messages(conversationId: conversation).filter { $0.kind == .automated }.count == 1)
            let path = try await link(app, conversation)

            let page = try await app.client.execute(uri: path, method: .get, headers: [.acceptLanguage: "ja"], body: nil)
            #expect(page.status == .ok && String(buffer: page.body).contains("今回のお問い合わせへの対応はいかがでしたか？"))
            // Signed in to Kotae: not the customer.
            #expect(try await answer(app, path, "rating=1", token: app.agentToken).status == .forbidden)
            // A number changed in the link: no such survey.
            let forged = path.replacingOccurrences(of: "/survey/\(survey.id).", with: "/survey/\(survey.id + 1).")
            #expect(try await answer(app, forged, "rating=5").status == .notFound)
            #expect(try await answer(app, path, "rating=9").status == .unprocessableContent)
            let first = try await answer(app, path, "rating=5&comment=%E5%8A%A9%E3%81%8B%E3%82%8A%E3%81%BE%E3%81%97%E3%81%9F")
            #expect(first.status == .ok && String(buffer: first.body).contains("ご回答ありがとうございました"))
            #expect(try await answer(app, path, "rating=1").status == .conflict)
            let answered = try #require(try await app.store.surveys.find(id: survey.id))
            #expect(answered.rating == 5 && answered.comment == "助かりました")

            let (_, stats) = try await app.admin(.get, "/api/v1/stats/csat")
            #expect(stats["sent"] as? Int == 1 && stats["answered"] as? Int == 1 && stats["score"] as? Double == 1)
            #expect(((stats["byAgent"] as? [[String: Any]])?.first?["userId"] as? Int) == Int(app.agent.id))
        }
    }

    @Test func aPoorRatingBringsTheConversationBack() async throws {
        try await withTestApp(configure: {
            $0.role = .web; $0.publicURL = "https://kotae.test"
        }) { app in
            let conversation = try await resolved(app)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
                .sendDue()
            #expect(try await answer(app, try await link(app, conversation), "rating=2").status == .ok)
            #expect(try await app.store.conversations.conversation(id: conversation)?.status == .open)
        }
    }

    @Test func noSurveyForSpamForAReopenedConversationOrWithoutAPublicAddress() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            // Closed as spam: nobody to ask.
            let spam = try await OrdersPanelTests.mail(app, "広告です")
            _ = try await app.request(
                .post, "/api/v1/conversations/\(spam)/status", token: app.agentToken, json: jsonString(["status": "resolved", "reason": "spam"]))
            #expect(try await app.store.surveys.of(conversationId: spam).isEmpty)
            // Reopened before its hour: cancelled.
            let reopened = try await resolved(app)
            _ = try await app.request(.post, "/api/v1/conversations/\(reopened)/status", token: app.agentToken, json: jsonString(["status": "open"]))
            // No public address: a customer could not open the link, so it is not sent.
            let noAddress = try await resolved(app)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
                .sendDue()
            #expect(try await app.store.surveys.of(conversationId: reopened).first?.state == .cancelled)
            let skipped = try #require(try await app.store.surveys.of(conversationId: noAddress).first)
            #expect(skipped.state == .skipped && skipped.note?.contains("KOTAE_PUBLIC_URL") == true)
        }
    }
}
