import Clocks
import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

import AsyncHTTPClient

/// SLA warnings before the due time and the alert at the breach: to the people who own the
/// conversation and to a Slack-compatible webhook, in one thread per conversation; a
/// conversation answered before its alert goes sends nothing. Time moves on a test clock.
@Suite struct SLAEscalationTests {
    /// A conversation in an inbox whose first answer is due two hours after the customer wrote.
    static func waiting(_ app: TestApp, inbox: Int64, _ who: String) async throws -> Int64 {
        let (_, out) = try await app.ingest(inbox: inbox, externalId: "sla-\(who)", contact: who, name: who, text: "注文した商品はいつ届きますか？")
        return (out["conversationId"] as! NSNumber).int64Value
    }

    /// The queued alerts, run as the runner would (a web instance has no runner: each step is
    /// the test's, so a reply can land between raising an alert and sending it).
    static func sendQueued(_ app: TestApp) async throws {
        let job = SLAAlertJob(
            store: app.store, hub: app.services.hub, http: .shared, clock: app.services.clock, baseURL: "https://desk.example.jp",
            book: app.services.automation, email: app.services.channels.email)
        for queued in try await app.store.jobs.claim(runner: "test", limit: 50) {
            // A reply's delivery is not this test's to run.
            guard queued.kind == SLAAlert.kind else { continue }
            let result = try await job.run(try queued.payload(as: SLAAlert.self))
            guard case .done = result else { Issue.record("the alert did not go: \(result)"); continue }
            try await app.store.jobs.complete(id: queued.id, attempt: queued.attempts)
        }
    }

    @Test func warnedAtEachOffsetThenAtTheBreachInOneThreadAndNothingOnceAnswered() async throws {
        let slack = await FakeSlack(givesThreads: true)
        defer { slack.stop() }
        let clock = TestClock<Duration>()
        try await withTestApp(clock: .test(clock), configure: { $0.role = .web }) { app in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            #expect(
                try await app.admin(
                    .patch, "/api/v1/inboxes/\(inbox)", #"{"slaPolicy":{"firstResponse":7200,"nextResponse":7200,"dueSoonFraction":0.25}}"#
                ).0 == .ok)
            let (saved, _) = try await app.admin(
                .patch, "/api/v1/settings/workspace", jsonString(["slaWarningMinutes": [15, 60], "slaWebhookURL": slack.url]))
            #expect(saved == .ok)
            let start = now()
            let late = try await Self.waiting(app, inbox: inbox, "高橋 一郎")
            let answered = try await Self.waiting(app, inbox: inbox, "伊藤 さくら")
            _ = try await app.admin(.post, "/api/v1/conversations/\(late)/assign", jsonString(["assigneeId": app.agent.id]))
            let escalation = SLAEscalationService(store: app.store, clock: app.services.clock, logger: app.services.logger, wake: {})

            // Nothing an hour and a minute before the due time.
            await clock.advance(by: .seconds(3600 - 60))
            #expect(try await escalation.scan(since: start, now: now()) == 0)
            // An hour before: both are warned of; one is answered before its warning goes.
            await clock.advance(by: .seconds(61))
            let hourMark = now()
            #expect(try await escalation.scan(since: start, now: hourMark) == 2)
            let (reply, _) = try await app.store.conversations.reply(conversationId: answered, text: "明日お届けします", author: app.agent.id)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "o-\(reply.id)", at: now())
            try await Self.sendQueued(app)
            #expect(slack.received.count == 1)
            let warning = try #require(slack.received.first)
            #expect((warning["text"] as? String)?.hasPrefix("対応期限まであと1時間：高橋 一郎（API）") == true, "\(warning)")
            #expect((warning["text"] as? String)?.hasSuffix("/conversations/\(late)") == true)
            let blocks = try #require(warning["blocks"] as? [[String: Any]])
            #expect(blocks.map { $0["type"] as? String } == ["section", "context"])
            #expect(((blocks[1]["elements"] as? [[String: Any]])?.first?["text"] as? String)?.contains("担当 佐藤") == true)
            #expect(warning["thread_ts"] == nil, "the first alert starts the thread")
            // The assignee is told in Kotae too, and the timeline says it was sent.
            #expect(try await app.store.notifications(userId: app.agent.id).map(\.0.kind) == [.slaWarning, .assigned])
            let activity = try await app.store.events(conversationId: late).filter { $0.type == "sla.alert" }
            #expect(activity.count == 1)
            #expect(try await app.store.events(conversationId: answered).filter { $0.type == "sla.alert" }.isEmpty)

            // The same pass again raises nothing twice.
            #expect(try await escalation.scan(since: start, now: hourMark) == 0)
            // Away from 15 minutes before until past the due time: only the breach goes, in the thread.
            await clock.advance(by: .seconds(3600 + 30))
            #expect(try await escalation.scan(since: hourMark, now: now()) == 1)
            try await Self.sendQueued(app)
            #expect(slack.received.count == 2)
            let breach = slack.received[1]
            #expect((breach["text"] as? String)?.hasPrefix("対応期限を過ぎました：高橋 一郎（API）") == true, "\(breach)")
            #expect(breach["thread_ts"] as? String == "1764650000.000101")
            #expect(try await app.store.notifications(userId: app.agent.id).map(\.0.kind) == [.slaBreach, .slaWarning, .assigned])
        }
    }

    @Test func aWarningGoesToTheAdminsWhenNobodyOwnsItAndCustomersWordsAreEscaped() async throws {
        let slack = await FakeSlack(givesThreads: false)
        defer { slack.stop() }
        let clock = TestClock<Duration>()
        try await withTestApp(clock: .test(clock), configure: { $0.role = .web }) { app in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            _ = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)", #"{"slaPolicy":{"firstResponse":1800,"nextResponse":1800,"dueSoonFraction":0.25}}"#)
            _ = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["slaWarningMinutes": [10], "slaWebhookURL": slack.url]))
            let start = now()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "sla-esc", contact: "x", name: "<@U123> & co", text: "<!channel> 至急")
            let id = (out["conversationId"] as! NSNumber).int64Value
            await clock.advance(by: .seconds(1200 + 1))
            #expect(
                try await SLAEscalationService(store: app.store, clock: app.services.clock, logger: app.services.logger, wake: {}).scan(
                    since: start, now: now()) == 1)
            try await Self.sendQueued(app)
            let post = try #require(slack.received.first)
            #expect((post["text"] as? String)?.hasPrefix("対応期限まであと10分：&lt;@U123&gt; &amp; co（API）") == true, "\(post)")
            let section = try #require((post["blocks"] as? [[String: Any]])?.first?["text"] as? [String: Any])
            #expect((section["text"] as? String)?.contains(">&lt;!channel&gt; 至急") == true, "\(section)")
            // Slack answers "ok" with no thread: none is kept.
            #expect(try await app.store.slaAlerts.thread(conversationId: id) == nil)
            let admins = try await app.store.accounts.users().filter { $0.role == .admin }.map(\.id)
            for admin in admins { #expect(try await app.store.notifications(userId: admin).map(\.0.kind) == [.slaWarning]) }
            #expect(try await app.store.notifications(userId: app.agent.id).isEmpty)
        }
    }

    /// With an email inbox chosen, each alert is also mailed to the people it is for, through
    /// that inbox's SMTP server (a real one here), from the shop's address, marked automatic.
    @Test func alertsAlsoGoByMailToThePeopleTheyAreFor() async throws {
        let clock = TestClock<Duration>()
        try await EmailReplyTests.withMail(clock: .test(clock), role: .web) { app, sink, emailInbox in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            _ = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)", #"{"slaPolicy":{"firstResponse":1800,"nextResponse":1800,"dueSoonFraction":0.25}}"#)
            // Not an email inbox: refused, nothing kept.
            let (refused, problem) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["slaEmailInboxId": inbox]))
            #expect(refused == .unprocessableContent && problem["field"] as? String == "slaEmailInboxId")
            #expect(try await EscalationSettings.load(app.store).emailInboxId == nil)
            let (saved, out) = try await app.admin(
                .patch, "/api/v1/settings/workspace", jsonString(["slaWarningMinutes": [10], "slaEmailInboxId": emailInbox]))
            #expect(saved == .ok && (out["slaEmailInboxId"] as? NSNumber)?.int64Value == emailInbox)
            let start = now()
            let late = try await Self.waiting(app, inbox: inbox, "高橋 一郎")
            _ = try await app.admin(.post, "/api/v1/conversations/\(late)/assign", jsonString(["assigneeId": app.agent.id]))
            await clock.advance(by: .seconds(1200 + 1))
            let escalation = SLAEscalationService(store: app.store, clock: app.services.clock, logger: app.services.logger, wake: {})
            #expect(try await escalation.scan(since: start, now: now()) == 1)
            try await Self.sendQueued(app)

            let received = try sink.received()
            try #require(received.count == 1)
            #expect(received[0].envelope["to"] as? [String] == [app.agent.email])
            #expect(received[0].envelope["from"] as? String == EmailIntakeTests.shop)
            let mail = try await sink.parsed(received[0].raw)
            #expect(mail["subject"] as? String == "対応期限まであと10分：高橋 一郎（API）")
            #expect(mail["auto_submitted"] as? String == "auto-generated")
            let text = try #require(mail["text"] as? String)
            #expect(text.contains("> 注文した商品はいつ届きますか？") && text.contains("担当 佐藤"), "\(text)")
            #expect(text.contains("/conversations/\(late)"))
            // The timeline says it went by mail too.
            let alert = try #require(try await app.store.events(conversationId: late).first { $0.type == "sla.alert" })
            let data = try #require(try JSONSerialization.jsonObject(with: Data(alert.data.utf8)) as? [String: Any])
            #expect(data["sentTo"] as? String == "kotae,email")
        }
    }

    @Test func alertSettingsThatCannotWorkAreRefusedWithTheirField() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let (_, defaults) = try await app.admin(.get, "/api/v1/settings/workspace")
            #expect(defaults["slaWarningMinutes"] as? [Double] == [60, 15] && defaults["slaWebhookURL"] as? String == "")
            for (body, field): ([String: Any], String) in [
                (["slaWarningMinutes": [0]], "slaWarningMinutes"), (["slaWarningMinutes": [20_000]], "slaWarningMinutes"),
                (["slaWarningMinutes": [1, 2, 3, 4, 5, 6]], "slaWarningMinutes"), (["slaWebhookURL": "hooks.slack.com/x"], "slaWebhookURL"),
                (["slaWebhookURL": "ftp://example.com/hook"], "slaWebhookURL"),
            ] {
                let (status, out) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(body))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(body): \(out)")
            }
            // No warning at all: only the breach alerts.
            let (_, none) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["slaWarningMinutes": [Double]()]))
            #expect(none["slaWarningMinutes"] as? [Double] == [])
            #expect(try await EscalationSettings.load(app.store).offsets.isEmpty)
        }
    }
}
