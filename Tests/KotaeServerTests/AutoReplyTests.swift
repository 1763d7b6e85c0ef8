import Clocks
import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing

@testable import KotaeServer

/// The email autoresponder: an honest expected reply time from the inbox's own record, once
/// a day per conversation and a few at most, never to programs or old mail, never counted
/// as the shop's answer.
@Suite(.serialized) struct AutoReplyTests {
    static func mail(_ id: String, from: String = "Taro <taro@example.jp>", date: Date, references: String? = nil, extra: String = "") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return """
            From: \(from)
            To: \(EmailIntakeTests.shop)
            Subject: Order 1042
            Date: \(f.string(from: date))
            Message-ID: <\(id)@example.jp>
            \(references.map { "References: <\($0)@example.jp>\n" } ?? "")\(extra)Content-Type: text/plain; charset=utf-8

            Where is my order?
            """
    }

    static func automated(_ app: TestApp, _ cid: Int64) async throws -> [Message] {
        try await app.store.conversations.messages(conversationId: cid).filter { $0.kind == .automated }
    }

    @Test func aPersonsNewMailIsAnsweredOnceADayAtMostThreeTimesAndNeverCountsAsTheReply() async throws {
        let clock = TestClock<Duration>()
        try await EmailReplyTests.withMail(settings: ["autoReply": "true"], clock: .test(clock)) { app, sink, inbox in
            let now = { app.services.clock.now }
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.mail("a1", date: now()))
            let cid = try #require(EmailIntakeTests.conversation(first))
            let answer = try #require(try await Self.automated(app, cid).first)
            #expect(try await eventually { try await app.store.conversations.message(id: answer.id)?.deliveryState == .sent })
            let received = try sink.received()
            try #require(received.count == 1)
            let raw = String(decoding: received[0].raw, as: UTF8.self)
            #expect(raw.contains("Auto-Submitted: auto-generated"))
            let parsed = try await sink.parsed(received[0].raw)
            #expect(parsed["in_reply_to"] as? String == "<a1@example.jp>")
            let text = try #require(parsed["text"] as? String)
            // Fewer than ten measured first replies: no figure is promised.
            #expect(text.contains("自動でお送りしています") && text.contains("担当者が内容を確認してお返事します"))
            #expect(!text.contains("10件中9件"))
            // The customer still waits for a person.
            let c = try #require(try await app.store.conversations.conversation(id: cid))
            #expect(c.clock.needsReply && c.clock.firstRespondedAt == nil)
            let page = String(buffer: try await app.request(.get, "/conversations/\(cid)", token: app.agentToken).body)
            #expect(page.contains("自動応答（返信には数えません）"))

            // Their next mail the same day: no second automatic answer.
            _ = try await EmailIntakeTests.post(app, inbox, Self.mail("a2", date: now(), references: "a1"))
            #expect(try await Self.automated(app, cid).count == 1)
            // A day later: one more; and never more than three in the conversation.
            for (n, expected) in [(3, 2), (4, 3), (5, 3)] {
                await clock.advance(by: .seconds(86_400 + 60))
                _ = try await EmailIntakeTests.post(app, inbox, Self.mail("a\(n)", date: now(), references: "a1"))
                #expect(try await Self.automated(app, cid).count == expected, "mail \(n)")
            }
        }
    }

    @Test func programsOldMailAndImportsAreNeverAnswered() async throws {
        try await EmailReplyTests.withMail(settings: ["autoReply": "true"]) { app, sink, inbox in
            let outOfOffice = Self.mail("ooo", from: "Hanako <hanako@example.jp>", date: Date(), extra: "Auto-Submitted: auto-replied\n")
            let ooo = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, outOfOffice).1))
            #expect(try await Self.automated(app, ooo).isEmpty)
            let list = Self.mail("list", from: "News <news@example.jp>", date: Date(), extra: "Precedence: bulk\n")
            let bulk = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, list).1))
            #expect(try await Self.automated(app, bulk).isEmpty)
            // Three days old (a folder read for the first time): kept, not answered.
            let old = Self.mail("old", from: "Jiro <jiro@example.jp>", date: Date().addingTimeInterval(-3 * 86_400))
            let stale = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, old).1))
            #expect(try await Self.automated(app, stale).isEmpty)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try sink.received().isEmpty)
        }
    }

    @Test func theExpectedTimeIsTheNinetiethPercentileOfTheInboxsOwnFirstReplies() async throws {
        try await EmailReplyTests.withMail(settings: ["autoReply": "true", "fromName": "みどり自転車店"]) { app, sink, inbox in
            // Ten conversations answered in 1 … 10 business hours over the last weeks.
            for n in 1...10 {
                let raw = Self.mail("m\(n)", from: "C\(n) <c\(n)@example.jp>", date: Date().addingTimeInterval(-5 * 86_400))
                let cid = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, raw).1))
                try await app.store.db.write { db in
                    try await db.raw(
                        """
                        UPDATE conversations SET first_response_seconds = \(bind: Double(n) * 3600),
                        first_responded_at = \(bind: Date().addingTimeInterval(-86_400).timeIntervalSince1970) WHERE id = \(bind: cid)
                        """
                    ).run()
                }
            }
            let cid = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, Self.mail("new", date: Date())).1))
            let answer = try #require(try await Self.automated(app, cid).first)
            #expect(answer.text.hasPrefix("みどり自転車店へのお問い合わせを受け付けました。"))
            // This inbox counts calendar time (no business hours set).
            #expect(answer.text.contains("直近28日間、最初のお返事の10件中9件は9時間以内でした。"))
            #expect(answer.text.contains("9 in 10 first replies came within 9 hours."))
        }
        #expect(MeasuredReplyTime.p90(Array(repeating: 60, count: 9)) == nil)
        #expect(MeasuredReplyTime.p90((1...20).map { Double($0) }) == 18)
        #expect(MeasuredReplyTime.words(30).ja == "1分" && MeasuredReplyTime.words(3 * 86_400).en == "3 days")
        // On a Saturday at noon in Tokyo, a weekday shop says when it opens again.
        let saturday = try Date("2026-12-05T03:00:00Z", strategy: .iso8601)
        let closed = AutoReply.text(shop: "みどり自転車店", p90: 7200, hours: .weekdays(from: 9, to: 18), now: saturday)
        #expect(closed.contains("10件中9件は2時間以内（営業時間内で）でした。"))
        #expect(closed.contains("ただいま営業時間外です。次の営業開始は12月7日(月) 9:00です。"))
        #expect(closed.contains("we open again on Mon 7 Dec, 09:00 (Asia/Tokyo)"))
    }
}
