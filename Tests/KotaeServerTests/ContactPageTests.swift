import Foundation
import HTTPTypes
import HummingbirdTesting
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// The contact page tells the truth about reply times (measured, per channel, with business
/// hours and when the next reply can come), and its form becomes an email conversation with
/// the sender's address while programs are kept out.
@Suite struct ContactPageTests {
    /// A clock a test moves by hand.
    final class Hands: Sendable {
        let now = Locked(Date())
        var clock: AppClock { AppClock(sleeper: ContinuousClock(), now: { [now] in now.withLock { $0 } }) }
        func move(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    /// `count` conversations of `inbox`, first answered `minutes[i]` minutes after they came, two days ago.
    static func answered(_ app: TestApp, inbox: Int64, minutes: [Int]) async throws {
        let target = try #require(try await app.store.inboxes.find(id: inbox))
        let start = Date().addingTimeInterval(-2 * 86_400)
        for (i, m) in minutes.enumerated() {
            guard
                case .created(_, let c, _) = try await app.store.conversations.ingest(
                    InboundMessage(identity: ("email", "c\(i)-\(inbox)@example.jp"), externalId: "m-\(inbox)-\(i)", text: "質問です", sentAt: start),
                    inbox: target, now: start)
            else { continue }
            let at = start.addingTimeInterval(Double(m) * 60)
            let (reply, _) = try await app.store.conversations.reply(conversationId: c.id, text: "お答えします", author: app.agent.id, now: at)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "out-\(reply.id)", at: at)
        }
    }

    func page(_ app: TestApp, _ path: String) async throws -> (HTTPResponse.Status, String) {
        let r = try await app.request(.get, path)
        return (r.status, String(buffer: r.body))
    }

    @Test func eachChannelShowsItsMeasuredReplyTimeAndHours() async throws {
        try await withTestApp { app in
            let mail = try await app.makeInbox(channel: "email", settings: ["address": "support@midori.example"])
            let line = try await app.makeInbox(channel: "line", credentials: ["channelSecret": "s", "channelAccessToken": "t"])
            // 10, 20, … 120 minutes: the 90th percentile (11th of 12) is 110 minutes, read as 2 hours.
            try await Self.answered(app, inbox: mail, minutes: Array(stride(from: 10, through: 120, by: 10)))
            try await Self.answered(app, inbox: line, minutes: [5, 6, 7])
            // LINE answers only tomorrow (in Tokyo) from 9:00: closed now, so the page says when.
            var tokyo = Calendar(identifier: .iso8601)
            tokyo.timeZone = TimeZone(identifier: "Asia/Tokyo")!
            let today = (tokyo.component(.weekday, from: Date()) + 5) % 7 + 1  // ISO: Monday 1 … Sunday 7
            let hours = BusinessHours(timeZone: "Asia/Tokyo", week: [today % 7 + 1: [.init(start: 9 * 60, end: 18 * 60)]])
            _ = try await app.store.inboxes.update(
                id: line, name: "LINE公式", settings: nil, credentials: nil,
                slaPolicy: SLAPolicy(firstResponse: 3600, nextResponse: 3600, businessHours: hours))
            let (status, html) = try await page(app, "/help/ja/contact")
            #expect(status == .ok)
            let cards = html.matches(of: /<article class="hc-card hc-channel">(.*?)<\/article>/.dotMatchesNewlines()).map { String($0.output.1) }
            let mailCard = try #require(cards.first { $0.contains("support@midori.example") })
            #expect(mailCard.contains("直近28日間、最初のお返事の10件中9件は2時間以内でした。"))
            #expect(mailCard.contains("常時受付") && !mailCard.contains("営業時間外"))
            let lineCard = try #require(cards.first { $0.contains("LINE公式") })
            #expect(lineCard.contains("まだ十分なお問い合わせがなく測れていません"), "three replies are not a measure")
            #expect(lineCard.contains("9:00–18:00") && lineCard.contains("ただいま営業時間外です。次のお返事は") && lineCard.contains(" 9:00 以降になります。"))
            let english = try await page(app, "/help/en/contact").1
            #expect(english.contains("9 in 10 first replies came within 2 hours"))
        }
    }

    @Test func theFormBecomesAnEmailConversationAndKeepsProgramsOut() async throws {
        let hands = Hands()
        try await withTestApp(clock: hands.clock) { app in
            let mail = try await app.makeInbox(channel: "email", settings: ["address": "support@midori.example"])
            #expect(
                try await app.admin(.put, "/api/v1/help/settings", jsonString(["shopName": "みどり", "color": "#2f6f4f", "contactInboxId": mail])).0
                    == .ok)
            func stamp() async throws -> String {
                let html = try await page(app, "/help/ja/contact").1
                return try #require(html.firstMatch(of: /name="stamp" value="([^"]+)"/)).output.1.description
            }
            func send(_ fields: [String: String]) async throws -> TestResponse {
                let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
                return try await app.client.execute(
                    uri: "/help/ja/contact", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
            }
            func listed() async throws -> [Conversation] {
                var q = ConversationQuery()
                q.inboxId = mail
                return try await app.store.conversations.listConversations(q).conversations
            }
            func conversations() async throws -> Int { try await listed().count }

            let fresh = try await stamp()
            // Sent back at once: faster than a person writes.
            let fast = try await send(["email": "hanako@example.jp", "message": "サイズ交換できますか", "stamp": fresh])
            #expect(fast.status == .unprocessableContent && String(buffer: fast.body).contains("もう一度送信してください"))
            hands.move(20)
            // The field people never see, filled: thanked, nothing stored.
            let bot = try await send(["email": "bot@spam.example", "message": "BUY NOW", "stamp": fresh, "website": "http://spam.example"])
            #expect(bot.status == .seeOther)
            #expect(try await send(["email": "hanako@example.jp", "message": "x", "stamp": "1700000000.forged"]).status == .unprocessableContent)
            #expect(try await conversations() == 0, "nothing stored for programs")

            let sent = try await send([
                "name": "山田 花子", "email": "Hanako@Example.jp", "message": "サイズ交換はできますか?<script>alert(1)</script>", "stamp": fresh,
            ])
            #expect(sent.status == .seeOther && sent.headers[.location] == "/help/ja/contact?sent=1")
            let list = try await listed()
            #expect(list.count == 1)
            let c = try #require(list.first)
            let contact = try #require(try await app.store.contacts.contact(id: c.contactId))
            #expect(contact.name == "山田 花子" && contact.email == "hanako@example.jp")
            let message = try #require(try await app.store.conversations.messages(conversationId: c.id).first)
            #expect(message.text == "サイズ交換はできますか?<script>alert(1)</script>", "kept as the customer wrote it, shown as text")
            #expect(message.details.email?.subject == "お問い合わせフォームから" && message.details.email?.to == ["support@midori.example"])
            // A flood from one address is stopped (5 an hour per network address).
            #expect(try await send(["email": "hanako@example.jp", "message": "もう一件", "stamp": fresh]).status == .seeOther)
            #expect(try await send(["email": "hanako@example.jp", "message": "さらに", "stamp": fresh]).status == .tooManyRequests)
            #expect(try await conversations() == 2)
        }
    }

    @Test func badInputIsRefusedWithWhatToFixAndNothingStored() async throws {
        let hands = Hands()
        try await withTestApp(clock: hands.clock) { app in
            let mail = try await app.makeInbox(channel: "email", settings: ["address": "support@midori.example"])
            _ = try await app.admin(.put, "/api/v1/help/settings", jsonString(["shopName": "みどり", "color": "#2f6f4f", "contactInboxId": mail]))
            let html = try await page(app, "/help/ja/contact").1
            let stamp = try #require(html.firstMatch(of: /name="stamp" value="([^"]+)"/)).output.1.description
            hands.move(30)
            for (fields, words) in [
                (["email": "not-an-address", "message": "質問"], "メールアドレスをご確認ください"),
                (["email": "a@example.jp", "message": "   "], "お問い合わせ内容をご記入ください"),
                (["email": "a@example.jp", "message": String(repeating: "長", count: 5_001)], "お問い合わせ内容をご記入ください"),
                (["email": "<b>@x.jp", "message": "<script>alert(1)</script>"], "メールアドレスをご確認ください"),
            ] {
                var all = fields
                all["stamp"] = stamp
                let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
                let r = try await app.client.execute(
                    uri: "/help/ja/contact", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
                let page = String(buffer: r.body)
                #expect(r.status == .unprocessableContent && page.contains(words), "\(fields)")
                #expect(!page.contains("<script>alert(1)</script>") && !page.contains("<b>@x.jp"), "what was written comes back as text")
            }
            var q = ConversationQuery()
            q.inboxId = mail
            #expect(try await app.store.conversations.listConversations(q).conversations.isEmpty)
            // Settings that name no email inbox are refused.
            let (status, out) = try await app.admin(
                .put, "/api/v1/help/settings", jsonString(["shopName": "みどり", "color": "#2f6f4f", "contactInboxId": 999]))
            #expect(status == .unprocessableContent && out["field"] as? String == "contactInboxId")
        }
    }
}
