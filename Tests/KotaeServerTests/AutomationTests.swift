import Clocks
import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// Automation rules: each trigger sets off its rules, each action is done and audited with
/// the rule's name, rules never run on what rules did and stop at a cap, and a dry run shows
/// what a rule would have matched without doing it. Jobs are run by the test, one step at a time.
@Suite struct AutomationTests {
    /// Runs the queued automation jobs as the runner would, until none is left.
    static func runRules(_ app: TestApp) async throws {
        while true {
            let queued = try await app.store.jobs.claim(runner: "test-\(UUID().uuidString)", limit: 100).filter { $0.kind == RunAutomation.kind }
            if queued.isEmpty { return }
            for job in queued {
                let result = try await app.services.automationEngine.run(try job.payload(as: RunAutomation.self))
                guard case .done = result else { Issue.record("the rules did not run: \(result)"); continue }
                try await app.store.jobs.complete(id: job.id, attempt: job.attempts)
            }
        }
    }

    static func rule(_ app: TestApp, _ body: [String: Any]) async throws -> Int64 {
        let (status, out) = try await app.admin(.post, "/api/v1/automation/rules", jsonString(body))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    static func message(_ app: TestApp, inbox: Int64, _ who: String, _ text: String) async throws -> Int64 {
        let (_, out) = try await app.ingest(inbox: inbox, externalId: UUID().uuidString, contact: who, name: who, text: text)
        return (out["conversationId"] as! NSNumber).int64Value
    }

    static func applied(_ app: TestApp, _ conversation: Int64) async throws -> [String] {
        try await app.store.events(conversationId: conversation).filter { $0.type == "automation.applied" }.map { event in
            let data = try JSONDecoder().decode([String: String].self, from: Data(event.data.utf8))
            return data["rule"] ?? ""
        }
    }

    @Test func aMatchingRuleDoesEachOfItsActionsInItsName() async throws {
        let slack = await FakeSlack(givesThreads: false)
        defer { slack.stop() }
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            let (_, team) = try await app.admin(.post, "/api/v1/teams", jsonString(["name": "品質", "memberIds": [app.agent.id]]))
            let teamId = (team["id"] as! NSNumber).int64Value
            let canned = try await app.store.createCannedResponse(
                shortcut: "broken", title: "破損", body: "{contact.name} 様、ご不便をおかけし申し訳ございません。交換品を手配いたします。")
            _ = try await Self.rule(
                app,
                [
                    "name": "破損の連絡", "trigger": "message_received", "conditions": ["intents": ["defect"]],
                    "actions": [
                        "assignTo": app.agent.id, "team": teamId, "addLabels": ["破損"], "priority": "high", "note": "写真を確認してから交換を手配してください",
                        "cannedResponseId": canned.id, "webhookURL": slack.url,
                    ],
                ])
            let broken = try await Self.message(app, inbox: inbox, "山田 花子", "届いたカップが割れていました。")
            let question = try await Self.message(app, inbox: inbox, "佐藤 一郎", "送料はいくらですか？")
            try await Self.runRules(app)

            let c = try #require(try await app.store.conversations.conversation(id: broken))
            #expect(c.assigneeId == app.agent.id && c.teamId == teamId && c.labels == ["破損"] && c.priority == .high)
            let messages = try await app.store.conversations.messages(conversationId: broken)
            let note = try #require(messages.first { $0.kind == .note })
            #expect(note.text == "写真を確認してから交換を手配してください" && note.authorUserId == nil)
            let reply = try #require(messages.first { $0.kind == .automated })
            #expect(reply.text == "山田 花子 様、ご不便をおかけし申し訳ございません。交換品を手配いたします。" && reply.details.kotae == "automation")
            #expect(slack.received.count == 1)
            #expect((slack.received.first?["text"] as? String)?.hasPrefix("ルール「破損の連絡」: 山田 花子（API）") == true)
            #expect(try await Self.applied(app, broken) == ["破損の連絡"])
            let page = String(buffer: try await app.request(.get, "/conversations/\(broken)", token: app.adminToken).body)
            #expect(page.contains("ルール「破損の連絡」: 担当を割り当て、チームを設定、ラベルを追加、優先度を設定、メモを追加、定型文を自動送信"))

            // A question matches nothing: untouched.
            let other = try #require(try await app.store.conversations.conversation(id: question))
            #expect(other.assigneeId == nil && other.labels.isEmpty && other.priority == .none)
            #expect(try await Self.applied(app, question).isEmpty)
        }
    }

    /// A rule on the customer's orders (those beside the conversation, from the cache): a
    /// parcel in trouble sets it off, a delivered one or no order does not; it mails the
    /// warehouse from the shop's email inbox, through a real SMTP server.
    @Test func aRuleOnTheOrdersStateMailsTheWarehouse() async throws {
        // No job runner: the test runs the rules itself, then reads the mailbox.
        try await EmailReplyTests.withMail(role: .web) { app, sink, emailInbox in
            let saved = try await app.store.commerceStores.create(platform: .file, name: "saved")
            for (id, email, parcel) in [("8001", "late@example.jp", ShipmentStatus.delayed), ("8002", "fine@example.jp", .delivered)] {
                let order = Order(
                    key: OrderKey(store: saved.id, id: id), number: "#\(id)", email: email, createdAt: Date(), updatedAt: Date(), payment: .paid,
                    fulfilment: .fulfilled, shipments: [Shipment(id: "s-\(id)", status: parcel)])
                try await app.store.orders.save(order, keys: OrderKeys.of(order))
            }
            _ = try await Self.rule(
                app,
                [
                    "name": "配送トラブルは倉庫へ", "trigger": "message_received", "conditions": ["orderStates": ["delivery_problem"]],
                    "actions": ["addLabels": ["配送"], "emailTo": ["warehouse@linen-shop.example.jp"], "emailInboxId": emailInbox],
                ])
            let late = try await OrdersPanelTests.mail(app, "荷物はいつ届きますか", from: "late@example.jp")
            let fine = try await OrdersPanelTests.mail(app, "届きました、ありがとうございます", from: "fine@example.jp")
            let none = try await OrdersPanelTests.mail(app, "在庫はありますか", from: "nobody@example.jp")
            try await Self.runRules(app)
            #expect(try await Self.applied(app, late) == ["配送トラブルは倉庫へ"])
            #expect(try await Self.applied(app, fine).isEmpty)
            #expect(try await Self.applied(app, none).isEmpty)

            let received = try sink.received()
            try #require(received.count == 1)
            #expect(received[0].envelope["to"] as? [String] == ["warehouse@linen-shop.example.jp"])
            let mail = try await sink.parsed(received[0].raw)
            #expect((mail["subject"] as? String)?.hasPrefix("ルール「配送トラブルは倉庫へ」: 山田 花子") == true, "\(mail)")
            #expect((mail["text"] as? String)?.contains("/conversations/\(late)") == true)
            #expect(mail["auto_submitted"] as? String == "auto-generated")
            // The rules page says it in words.
            let page = String(buffer: try await app.request(.get, "/settings/automation", token: app.adminToken).body)
            #expect(page.contains("お客様の注文の状態（いずれか）: 配送トラブル（遅延・不在・未着）") && page.contains("メール: warehouse@linen-shop.example.jp"))
        }
    }

    @Test func eachTriggerSetsOffItsOwnRules() async throws {
        let clock = TestClock<Duration>()
        try await withTestApp(
            clock: .test(clock),
            configure: {
                $0.role = .web; $0.publicURL = "https://kotae.test"
            }
        ) { app in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            #expect(
                try await app.admin(
                    .patch, "/api/v1/inboxes/\(inbox)", #"{"slaPolicy":{"firstResponse":7200,"nextResponse":7200,"dueSoonFraction":0.25}}"#
                ).0 == .ok)
            _ = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["slaWarningMinutes": [60]]))
            for (name, trigger, extra) in [
                ("新規", "conversation_created", [:]), ("受信", "message_received", [:]), ("期限注意", "sla_warning", [:]),
                ("30分待ち", "customer_waiting", ["afterMinutes": 30]), ("保留へ", "status_changed", ["conditions": ["statuses": ["pending"]]]),
            ] as [(String, String, [String: Any])] {
                _ = try await Self.rule(app, ["name": name, "trigger": trigger, "actions": ["addLabels": [name]]].merging(extra) { a, _ in a })
            }
            _ = try await Self.rule(app, ["name": "返事なし", "trigger": "customer_silent", "afterMinutes": 120, "actions": ["resolve": true]])
            let start = now()
            let id = try await Self.message(app, inbox: inbox, "高橋 一郎", "注文した商品はいつ届きますか？")
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: id)?.labels.sorted() == ["受信", "新規"])
            // A second message is received, not created.
            _ = try await Self.message(app, inbox: inbox, "高橋 一郎", "至急お願いします")
            try await Self.runRules(app)
            #expect(try await Self.applied(app, id).sorted() == ["受信", "受信", "新規"])

            // Half an hour of waiting.
            let timed = AutomationClock(
                store: app.store, book: app.services.automation, clock: app.services.clock, logger: app.services.logger, wake: {})
            await clock.advance(by: .seconds(29 * 60))
            #expect(try await timed.pass(since: start, now: now()) == 0)
            await clock.advance(by: .seconds(2 * 60))
            let halfHour = now()
            #expect(try await timed.pass(since: start, now: halfHour) == 1)
            #expect(try await timed.pass(since: start, now: halfHour) == 0, "once per wait")
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: id)?.labels.contains("30分待ち") == true)

            // An hour before the due time: the SLA warning's rules run with the alert.
            await clock.advance(by: .seconds(30 * 60))
            let escalation = SLAEscalationService(store: app.store, clock: app.services.clock, logger: app.services.logger, wake: {})
            #expect(try await escalation.scan(since: halfHour, now: now()) == 1)
            try await SLAEscalationTests.sendQueued(app)
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: id)?.labels.contains("期限注意") == true)

            // An agent answers and sets it to pending: the status rule runs; two quiet hours later the silent rule resolves it.
            let (reply, _) = try await app.store.conversations.reply(conversationId: id, text: "本日発送いたしました", author: app.agent.id)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "o-\(reply.id)", at: now())
            #expect(try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"pending"}"#).0 == .ok)
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: id)?.labels.contains("保留へ") == true)
            let answered = now()
            await clock.advance(by: .seconds(121 * 60))
            #expect(try await timed.pass(since: answered, now: now()) == 1)
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: id)?.status == .resolved)
        }
    }

    @Test func aPoorRatingSetsOffTheCSATRules() async throws {
        try await withTestApp(configure: {
            $0.role = .web; $0.publicURL = "https://kotae.test"
        }) { app in
            _ = try await Self.rule(
                app, ["name": "低評価", "trigger": "csat_received", "conditions": ["ratings": [1, 2]], "actions": ["priority": "urgent"]])
            let surveys = SurveyTests()
            let conversation = try await surveys.resolved(app)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
                .sendDue()
            let answered = try await surveys.answer(app, try await surveys.link(app, conversation), "rating=1")
            #expect(answered.status == .ok)
            try await Self.runRules(app)
            #expect(try await app.store.conversations.conversation(id: conversation)?.priority == .urgent)
            #expect(try await Self.applied(app, conversation) == ["低評価"])
        }
    }

    @Test func rulesNeverRunOnWhatRulesDidAndStopAtTheCap() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            // One rule sets each new message's conversation to pending; another would reopen on any status change.
            _ = try await Self.rule(app, ["name": "保留にする", "trigger": "message_received", "actions": ["snoozeMinutes": 5]])
            _ = try await Self.rule(app, ["name": "状態が変わったら", "trigger": "status_changed", "actions": ["addLabels": ["変化"]]])
            let id = try await Self.message(app, inbox: inbox, "loop", "1")
            for n in 2...12 { _ = try await Self.message(app, inbox: inbox, "loop", "\(n)") }
            try await Self.runRules(app)
            // The snoozes changed the status, but no status rule ran on them.
            #expect(try await app.store.conversations.conversation(id: id)?.labels.isEmpty == true)
            // Twelve messages, ten runs in the hour, then the cap, said once.
            #expect(try await Self.applied(app, id).count == AutomationEngine.cap)
            let capped = try await app.store.events(conversationId: id).filter { $0.type == "automation.capped" }
            #expect(capped.count == 1)
            let page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            #expect(page.contains("ルールの実行が1時間に10回を超えたため、ルール「保留にする」を止めました"))
        }
    }

    @Test func aDryRunShowsWhatARuleWouldHaveMatchedAndDoesNothing() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            let broken = try await Self.message(app, inbox: inbox, "山田 花子", "届いたお皿が欠けていました")
            _ = try await Self.message(app, inbox: inbox, "佐藤 一郎", "営業時間を教えてください")
            let (status, out) = try await app.admin(
                .post, "/api/v1/automation/rules/dry-run",
                jsonString(["name": "試し", "trigger": "message_received", "conditions": ["intents": ["defect"]], "actions": ["addLabels": ["破損"]]]))
            #expect(status == .ok, "\(out)")
            #expect(out["checked"] as? Int == 2)
            let matches = try #require(out["matches"] as? [[String: Any]])
            #expect(matches.map { ($0["conversationId"] as! NSNumber).int64Value } == [broken])
            #expect(try await app.store.conversations.conversation(id: broken)?.labels.isEmpty == true, "a dry run does nothing")
            #expect(try await app.store.automation.all().isEmpty, "nor keeps the rule")
        }
    }

    @Test func aRuleThatCannotWorkIsRefusedWithItsFieldAndNothingIsKept() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let ok: [String: Any] = ["name": "r", "trigger": "message_received", "actions": ["addLabels": ["x"]]]
            for (change, field): ([String: Any], String) in [
                (["name": " "], "name"), (["trigger": "customer_waiting"], "afterMinutes"), (["actions": [String: Any]()], "actions"),
                (["actions": ["assignTo": 999]], "actions.assignTo"), (["actions": ["team": 999]], "actions.team"),
                (["actions": ["cannedResponseId": 999]], "actions.cannedResponseId"),
                (["actions": ["webhookURL": "hooks.slack.com/x"]], "actions.webhookURL"),
                (["actions": ["snoozeMinutes": 5, "resolve": true]], "actions.resolve"), (["conditions": ["language": "fr"]], "conditions.language"),
                (["conditions": ["ratings": [6]]], "conditions.ratings"),
                (["actions": ["emailTo": ["warehouse"]]], "actions.emailTo"),
                (["actions": ["emailTo": ["warehouse@example.jp"]]], "actions.emailInboxId"),
            ] {
                let body = ok.merging(change) { _, new in new }
                let (status, out) = try await app.admin(.post, "/api/v1/automation/rules", jsonString(body))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(change): \(out)")
            }
            #expect(try await app.store.automation.all().isEmpty)
            let r = try await app.request(.post, "/api/v1/automation/rules", token: app.agentToken, json: jsonString(ok))
            #expect(r.status == .forbidden)
            // Made, changed, turned off, deleted.
            let id = try await Self.rule(app, ok)
            let (patched, rule) = try await app.admin(
                .patch, "/api/v1/automation/rules/\(id)", jsonString(ok.merging(["enabled": false, "name": "r2"]) { _, n in n }))
            #expect(patched == .ok && rule["enabled"] as? Bool == false && rule["name"] as? String == "r2")
            #expect(app.services.automation.has(.messageReceived) == false, "a rule turned off is out of the book at once")
            #expect(try await app.admin(.delete, "/api/v1/automation/rules/\(id)").0 == .noContent)
            #expect(try await app.admin(.delete, "/api/v1/automation/rules/\(id)").0 == .notFound)
        }
    }
}
