import Clocks
import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Rules that depend on time, tested on a clock the test moves: nothing sleeps, nothing that
/// arrives is backdated.
@Suite struct TestClockTests {
    func page(_ app: TestApp, _ c: Int64) async throws -> String {
        String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
    }

    func conversation(_ app: TestApp, _ c: Int64) async throws -> [String: Any] {
        try await app.admin(.get, "/api/v1/conversations/\(c)").1["conversation"] as! [String: Any]
    }

    /// Messenger: 24 hours after the customer's message, 7 days with the Human Agent permission, then nothing.
    @Test func messengersWindowClosesAfter24HoursAnd7DaysWithTheHumanAgentPermission() async throws {
        let clock = TestClock<Duration>()
        let fb = FacebookTests()
        try await fb.withPage(humanAgent: true, clock: .test(clock)) { app, graph, inbox in
            #expect(try await fb.deliver(app, inbox, fb.messenger("6000000000000777", mid: "m_clock", text: "届きません")) == .ok)
            let c = try #require(try await fb.inbound(app).first).conversationId
            #expect(!(try await page(app, c)).contains(#"id="window-note""#))

            // A day and a second later: only the Human Agent permission lets a person answer.
            await clock.advance(by: .seconds(24 * 3600 + 1))
            #expect(!(try await page(app, c)).contains(#"id="window-note""#))
            #expect(try await app.replySent(c, ["text": "確認いたします"]) != nil)
            let tagged = try #require(graph.requests.last { $0.path == "/v21.0/\(FacebookTests.page)/messages" })
            #expect(tagged.json["messaging_type"] as? String == "MESSAGE_TAG" && tagged.json["tag"] as? String == "HUMAN_AGENT")

            // A week and a second after the customer wrote: closed, said before anyone writes, and nothing is sent.
            await clock.advance(by: .seconds(6 * 86400))
            #expect(try await page(app, c).contains(#"id="window-note""#))
            let sends = graph.requests.filter { $0.path.hasSuffix("/messages") }.count
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "まだご覧になっていますか"]))
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("24-hour window") == true)
            #expect(graph.requests.filter { $0.path.hasSuffix("/messages") }.count == sends)
        }
    }

    /// LINE: a reply token answers within its lifetime; past it, the reply is pushed.
    @Test func aLINEReplyTokenPastItsLifetimeIsNotTriedAndTheReplyIsPushed() async throws {
        let clock = TestClock<Duration>()
        let line = LINETests()
        try await line.withLINE(clock: .test(clock)) { app, fake, inbox in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let body =
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"9501","text":"在庫ありますか"},"webhookEventId":"01CLOCK9501","timestamp":\#(now),"source":{"type":"user","userId":"Uclock"},"replyToken":"token-9501","mode":"active"}]}"#
            #expect(try await line.signed(app, inbox, Data(body.utf8)) == .ok)
            let c = try #require(try await line.messages(app).first).conversationId
            await clock.advance(by: .seconds(Int64(LINEChannel.replyTokenLifetime) + 1))
            #expect(try await app.replySent(c, ["text": "ございます"]) != nil)
            #expect(!fake.requests.contains { $0.path == "/v2/bot/message/reply" }, "a token past its lifetime is not tried")
            #expect(fake.requests.filter { $0.path == "/v2/bot/message/push" }.count == 1)
        }
    }

    /// SLA: a conversation is due, then breached, as the clock passes its target; a snoozed
    /// one comes back when its time comes.
    @Test func slaStatesAndSnoozesFollowTheClock() async throws {
        let clock = TestClock<Duration>()
        try await withTestApp(clock: .test(clock)) { app in
            let inbox = try await app.makeInbox()
            // The API inbox's default first-response target.
            let target = try #require(try await app.store.inboxes.find(id: inbox)).slaPolicy.firstResponse
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "clock-1")
            let c = Int64(r["conversationId"] as! Int)
            #expect(try await conversation(app, c)["slaState"] as? String == "on_track")
            await clock.advance(by: .seconds(Int64(target) + 1))
            #expect(try await conversation(app, c)["slaState"] as? String == "breached")

            let (_, r2) = try await app.ingest(inbox: inbox, externalId: "clock-2", contact: "later@example.jp")
            let snoozed = Int64(r2["conversationId"] as! Int)
            let until = ISO8601DateFormatter().string(from: app.services.clock.now.addingTimeInterval(2 * 3600))
            #expect(try await app.admin(.post, "/api/v1/conversations/\(snoozed)/snooze", jsonString(["until": until])).0 == .ok)
            #expect(try await conversation(app, snoozed)["status"] as? String == "snoozed")
            await clock.advance(by: .seconds(2 * 3600 + 1))
            // Housekeeping looks at the clock each second.
            #expect(try await eventually { try await conversation(app, snoozed)["status"] as? String == "open" })
        }
    }
}
