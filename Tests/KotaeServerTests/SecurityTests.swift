import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing
@testable import KotaeServer

/// Issue 10: what an attacker or a careless client tried, each refused with a clear answer.
@Suite struct SecurityTests {
    static let xSecret = XTests.secret
    static let lineSecret = LINETests.secret
    static let appSecret = FacebookTests.appSecret

    func xInbox(_ app: TestApp) async throws -> Int64 {
        try await app.makeInbox(channel: "x", settings: ["userId": "2244994945"], credentials: ["consumerSecret": Self.xSecret])
    }

    func conversations(_ app: TestApp) async throws -> [Conversation] {
        try await app.store.conversations.listConversations(
            {
                var q = ConversationQuery(); q.statuses = ConversationStatus.allCases; return q
            }()
        ).conversations
    }

    // MARK: 1. X CRC cannot sign a forged body

    @Test func theCRCEndpointCannotBeUsedToSignAForgedDM() async throws {
        try await withTestApp { app in
            let inbox = try await xInbox(app)
            let forged =
                #"{"for_user_id":"2244994945","direct_message_events":[{"type":"message_create","id":"1","created_timestamp":"1780000000000","message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"666","message_data":{"text":"refund me to this account"}}}]}"#
            let query = forged.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let crc = try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=\(query)")
            #expect(crc.status == .unprocessableContent, "a JSON body is not a CRC token")
            #expect(!String(buffer: crc.body).contains("response_token"))
            // Had the server answered, this is the signature it would have given: it must not open the door.
            var headers: HTTPFields = [:]
            headers[HTTPField.Name("x-twitter-webhooks-signature")!] = XWebhook.crcResponse(token: forged, consumerSecret: "guessed")
            let post = try await app.request(.post, "/webhooks/x/\(inbox)", body: ByteBuffer(string: forged), headers: headers)
            #expect(post.status == .unauthorized)
            #expect(try await conversations(app).isEmpty, "nothing stored")
        }
    }

    @Test func xsOwnCRCVectorStillPassesAndChecksAreRateLimited() async throws {
        try await withTestApp { app in
            let inbox = try await xInbox(app)
            let vector = try FakeX.fixture("crc-challenge.doc-example.json")
            let token = ((vector["request"] as! [String: Any])["query"] as! [String: String])["crc_token"]!
            let ok = try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=\(token)")
            #expect(ok.status == .ok)
            #expect(TestApp.object(ok)["response_token"] as? String == "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=")
            for bad in ["", String(repeating: "a", count: 129), "a%22b", "a%7Bb", "a%3Ab", "a%20b"] {
                #expect(try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=\(bad)").status == .unprocessableContent, "\(bad)")
            }
            // 10 a minute per address: 7 used above, the 11th is refused.
            for _ in 0..<3 { #expect(try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=\(token)").status == .ok) }
            let limited = try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=\(token)")
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
        }
    }

    // MARK: 2. Extreme numbers do not trap, at parsing, in settings or in pages

    static let extremeTimes = [
        "-1e24", "1e24", "-9223372036854775808", "9223372036854775807", "1e308", "-1e308", "0", "-1",
        "4e15", "18446744073709551615",
    ]

    @Test func extremeTimestampsFromEveryPlatformAreKeptWithTheReceiveTime() async throws {
        // Profile fetches that follow go to a closed local port, not the real platforms.
        let nowhere = "http://127.0.0.1:9"
        try await withTestApp(configure: {
            $0.lineAPIBase = nowhere; $0.lineDataBase = nowhere; $0.graphAPIBase = nowhere; $0.xAPIBase = nowhere
        }) { app in
            let line = try await app.makeInbox(channel: "line", credentials: ["channelSecret": Self.lineSecret, "channelAccessToken": "t"])
            let fb = try await app.makeInbox(
                channel: "facebook", settings: ["pageId": "PAGE1"],
                credentials: ["appSecret": Self.appSecret, "verifyToken": "v", "pageAccessToken": "p"])
            let x = try await xInbox(app)
            for (i, t) in Self.extremeTimes.enumerated() {
                let lineBody =
                    #"{"destination":"U","events":[{"type":"message","message":{"type":"text","id":"L\#(i)","text":"こんにちは"},"webhookEventId":"E\#(i)","timestamp":\#(t),"source":{"type":"user","userId":"Uline\#(i)"},"replyToken":"r","mode":"active"},{"type":"postback","postback":{"data":"a"},"timestamp":\#(t),"source":{"type":"user","userId":"Uline\#(i)"},"mode":"active"},{"type":"follow","timestamp":\#(t),"source":{"type":"user","userId":"Uline\#(i)"},"mode":"active"}]}"#
                var h: HTTPFields = [:]
                h[HTTPField.Name("x-line-signature")!] = LINEWebhook.sign(body: Data(lineBody.utf8), channelSecret: Self.lineSecret)
                #expect(
                    try await app.request(.post, "/webhooks/line/\(line)", body: ByteBuffer(string: lineBody), headers: h).status == .ok, "LINE \(t)")

                let fbBody =
                    #"{"object":"page","entry":[{"id":"PAGE1","time":\#(t),"messaging":[{"sender":{"id":"PSID\#(i)"},"recipient":{"id":"PAGE1"},"timestamp":\#(t),"message":{"mid":"m\#(i)","text":"hi"}},{"sender":{"id":"PSID\#(i)"},"recipient":{"id":"PAGE1"},"timestamp":\#(t),"read":{"watermark":\#(t)}}],"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"c\#(i)","post_id":"p","from":{"id":"F\#(i)","name":"N"},"message":"ok","created_time":\#(t)}}]}]}"#
                h = [:]
                h[HTTPField.Name("X-Hub-Signature-256")!] =
                    "sha256=" + WebhookSignature.hmacSHA256Hex(secret: Self.appSecret, body: Data(fbBody.utf8))
                #expect(
                    try await app.request(.post, "/webhooks/facebook/\(fb)", body: ByteBuffer(string: fbBody), headers: h).status == .ok,
                    "Facebook \(t)")

                let xBody =
                    #"{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"t\#(i)","text":"@midori hi","user":{"id_str":"X\#(i)","screen_name":"x\#(i)"},"timestamp_ms":"\#(t)"}],"direct_message_events":[{"type":"message_create","id":"d\#(i)","created_timestamp":"\#(t)","message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"X\#(i)","message_data":{"text":"dm"}}}]}"#
                h = [:]
                h[HTTPField.Name("x-twitter-webhooks-signature")!] = XWebhook.sign(body: Data(xBody.utf8), consumerSecret: Self.xSecret)
                #expect(try await app.request(.post, "/webhooks/x/\(x)", body: ByteBuffer(string: xBody), headers: h).status == .ok, "X \(t)")
            }
            let now = Date()
            var inbound: [Message] = []
            for c in try await conversations(app) {
                inbound += try await app.store.conversations.messages(conversationId: c.id).filter { $0.kind == .inbound }
            }
            // LINE message + postback, Messenger + comment, X mention + DM, for every value.
            #expect(inbound.count == Self.extremeTimes.count * 6)
            for m in inbound {
                let sent = try #require(m.sentAt)
                #expect(abs(sent.timeIntervalSince(now)) < 300, "\(m.externalId ?? "") kept with the receive time")
                #expect(m.timeNote != nil, "\(m.externalId ?? "") says why")
            }
            // The pages an agent opens next still render: the inbox, every conversation, settings.
            #expect(try await app.request(.get, "/?view=all", token: app.agentToken).status == .ok)
            for c in try await conversations(app) {
                let page = try await app.request(.get, "/conversations/\(c.id)", token: app.agentToken)
                #expect(page.status == .ok)
            }
            #expect(try await app.request(.get, "/settings/inboxes/\(line)", token: app.adminToken).status == .ok)
        }
    }

    @Test func absurdSLATargetsAreRefusedAndStoredOnesCannotTrapAPage() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            for bad in ["1e300", "-1", "0", "31536001"] {
                let (status, problem) = try await app.admin(
                    .patch, "/api/v1/inboxes/\(inbox)",
                    #"{"slaPolicy":{"firstResponse":\#(bad),"nextResponse":60,"dueSoonFraction":0.25}}"#)
                #expect(status == .unprocessableContent && (problem["field"] as? String)?.hasPrefix("slaPolicy") == true, "\(bad)")
            }
            // Values stored before these limits existed (or by hand) still render.
            for seconds in [1e300, -1e300, .infinity, .nan, 9.3e18, -9.3e18] {
                _ = WebFormat.duration(seconds, t: WebStrings.table("en"))
                _ = SettingsPages.minutes(seconds)
                _ = SettingsPages.number(seconds)
            }
            #expect(WebFormat.duration(1e300, t: WebStrings.table("en")).hasSuffix("h"))
        }
    }

    // MARK: 3. One old date cannot stall the writer

    @Test func aMessageFromYearOneInABusinessHoursInboxIsStoredAtOnce() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox(channel: "email")
            let policy =
                #"{"slaPolicy":{"firstResponse":3600,"nextResponse":3600,"dueSoonFraction":0.25,"businessHours":{"timeZone":"Asia/Tokyo","week":{"1":[{"start":540,"end":1080}],"2":[{"start":540,"end":1080}],"3":[{"start":540,"end":1080}],"4":[{"start":540,"end":1080}],"5":[{"start":540,"end":1080}]},"japaneseHolidays":true,"closedDays":[]}}}"#
            #expect(try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", policy).0 == .ok)
            let target = try #require(try await app.store.inboxes.find(id: inbox))
            let yearOne = Date(timeIntervalSince1970: -62_135_596_800)
            let m = InboundMessage(identity: ("email", "old@example.jp"), externalId: "<old@example.jp>", text: "古いメール", sentAt: yearOne)
            let outcome = try await app.services.receive(m, inbox: target)
            let stored = outcome.message
            #expect(stored.sentAt.map { abs($0.timeIntervalSinceNow) < 60 } == true)
            #expect(stored.timeNote?.contains("0001") == true)
            let c = try #require(try await app.store.conversations.conversation(id: stored.conversationId))
            #expect(c.clock.waitingSince.map { abs($0.timeIntervalSinceNow) < 60 } == true)
            // The API channel refuses such a date with a clear error instead.
            let api = try await app.makeInbox()
            let (status, problem) = try await app.ingest(inbox: api, externalId: "y1", extra: ["sentAt": "0001-01-01T00:00:00Z"])
            #expect(status == .unprocessableContent && problem["field"] as? String == "sentAt")
        }
    }

    // MARK: 4. API tokens: named, listed, expiring, revocable; ended by a new password or disabling

    @Test func apiTokensAreListedExpireAndAreRevoked() async throws {
        try await withTestApp { app in
            let (status, created) = try await app.admin(.post, "/api/v1/auth/tokens", #"{"name":"shop sync","expiresInDays":30}"#)
            #expect(status == .created)
            let token = try #require(created["token"] as? String)
            let info = try #require(created["info"] as? [String: Any])
            #expect(info["name"] as? String == "shop sync" && info["expiresAt"] is String)
            #expect(try await app.request(.get, "/api/v1/auth/me", token: token).status == .ok)
            let (_, list) = try await app.admin(.get, "/api/v1/auth/tokens")
            let mine = (list["tokens"] as! [[String: Any]]).first { $0["id"] as? Int == info["id"] as? Int }
            #expect(mine?["lastUsedAt"] is String, "last use recorded")
            #expect(!String(buffer: try await app.request(.get, "/api/v1/auth/tokens", token: app.adminToken).body).contains(token))

            // An agent cannot revoke the admin's token; the owner can.
            #expect(try await app.request(.delete, "/api/v1/auth/tokens/\(info["id"]!)", token: app.agentToken).status == .notFound)
            #expect(try await app.request(.delete, "/api/v1/auth/tokens/\(info["id"]!)", token: app.adminToken).status == .noContent)
            #expect(try await app.request(.get, "/api/v1/auth/me", token: token).status == .unauthorized)

            // An expired token is refused.
            let (expired, _) = try await app.store.accounts.createAPIToken(
                userId: app.agent.id, name: "old", expiresAt: Date().addingTimeInterval(-1))
            #expect(try await app.request(.get, "/api/v1/auth/me", token: expired).status == .unauthorized)
            for bad in [#"{"name":""}"#, #"{"name":"   "}"#, #"{"name":"x","expiresInDays":0}"#, #"{"name":"x","expiresInDays":100000}"#] {
                #expect(try await app.admin(.post, "/api/v1/auth/tokens", bad).0 == .unprocessableContent, "\(bad)")
            }
            // The account page lists them with a revoke button.
            let page = String(buffer: try await app.request(.get, "/account", token: app.adminToken).body)
            #expect(page.contains("id=\"api-tokens\"") && page.contains("shop sync"))
        }
    }

    @Test func aNewPasswordOrDisablingRevokesEveryToken() async throws {
        try await withTestApp { app in
            let (second, _) = try await app.store.accounts.createAPIToken(userId: app.agent.id, name: "second", expiresAt: nil)
            // The agent changes their password: both tokens stop working.
            let change = try await app.request(
                .post, "/api/v1/auth/password", token: app.agentToken,
                json: #"{"currentPassword":"agent-password","newPassword":"a-new-password"}"#)
            #expect(change.status == .noContent)
            #expect(try await app.request(.get, "/api/v1/auth/me", token: app.agentToken).status == .unauthorized)
            #expect(try await app.request(.get, "/api/v1/auth/me", token: second).status == .unauthorized)

            // `kotae user reset-password` goes through the same store call.
            let (third, _) = try await app.store.accounts.createAPIToken(userId: app.agent.id, name: "third", expiresAt: nil)
            try await app.store.accounts.setPassword(userId: app.agent.id, passwordHash: try await app.services.hashPassword("reset-password-1"))
            #expect(try await app.store.accounts.userForAPIToken(third) == nil)

            // Disabling revokes; enabling again revives nothing.
            let (fourth, _) = try await app.store.accounts.createAPIToken(userId: app.agent.id, name: "fourth", expiresAt: nil)
            #expect(try await app.admin(.patch, "/api/v1/users/\(app.agent.id)", #"{"disabled":true}"#).0 == .ok)
            #expect(try await app.admin(.patch, "/api/v1/users/\(app.agent.id)", #"{"disabled":false}"#).0 == .ok)
            #expect(try await app.request(.get, "/api/v1/auth/me", token: fourth).status == .unauthorized)
            #expect(try await app.store.accounts.apiTokens(userId: app.agent.id).allSatisfy { $0.revokedAt != nil })
        }
    }

    // MARK: 5. The API channel stays in API inboxes and its own id namespace

    @Test func theAPIChannelCannotPostIntoAPlatformsInboxOrAsItsCustomers() async throws {
        try await LINETests().withLINE { app, _, line in
            let api = try await app.makeInbox()
            let intoLINE = try await app.request(
                .post, "/api/v1/inboxes/\(line)/messages", token: app.agentToken,
                json: jsonString([
                    "contact": ["channel": "api", "externalId": "U1"], "externalId": "line:9100", "text": "forged",
                ]))
            #expect(intoLINE.status == .conflict && TestApp.object(intoLINE)["code"] as? String == "not_an_api_inbox")
            let asLINECustomer = try await app.request(
                .post, "/api/v1/inboxes/\(api)/messages", token: app.agentToken,
                json: jsonString([
                    "contact": ["channel": "line", "externalId": "Ucustomer9"], "externalId": "x", "text": "forged",
                ]))
            #expect(asLINECustomer.status == .unprocessableContent && TestApp.object(asLINECustomer)["field"] as? String == "contact.channel")
            // An API message with the LINE message's id does not suppress LINE's genuine delivery.
            #expect(try await app.ingest(inbox: api, externalId: "line:9100", text: "squatting").0 == .ok)
            let body =
                #"{"destination":"U","events":[{"type":"message","message":{"type":"text","id":"9100","text":"本物です"},"webhookEventId":"E9100","timestamp":\#(Int(Date().timeIntervalSince1970 * 1000)),"source":{"type":"user","userId":"Ucustomer9"},"replyToken":"r","mode":"active"}]}"#
            var h: HTTPFields = [:]
            h[HTTPField.Name("x-line-signature")!] = LINEWebhook.sign(body: Data(body.utf8), channelSecret: Self.lineSecret)
            #expect(try await app.request(.post, "/webhooks/line/\(line)", body: ByteBuffer(string: body), headers: h).status == .ok)
            let lineConversations = try await conversations(app).filter { $0.inboxId == line }
            #expect(lineConversations.count == 1)
            let texts = try await app.store.conversations.messages(conversationId: try #require(lineConversations.first).id).map(\.text)
            #expect(texts == ["本物です"])
        }
    }

    // MARK: 6. Secure cookies follow the public URL

    @Test func theSessionCookieIsSecureBehindAnHTTPSAddress() async throws {
        try await withTestApp(configure: { $0.publicURL = "https://desk.example.jp" }) { app in
            let r = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"agent-password"}"#)
            #expect(r.status == .ok && r.headers[.setCookie]?.contains("Secure") == true)
        }
        try await withTestApp { app in
            let r = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"agent-password"}"#)
            #expect(r.status == .ok && r.headers[.setCookie]?.contains("Secure") == false)
        }
        #expect(try await KotaeConfig.load(flags: [:], environment: ["KOTAE_PUBLIC_URL": "https://desk.example.jp"], envFile: nil).secureCookies)
        #expect(
            !(try await KotaeConfig.load(
                flags: [:], environment: ["KOTAE_PUBLIC_URL": "https://d.example", "KOTAE_SECURE_COOKIES": "false"], envFile: nil
            ).secureCookies))
        #expect(try await KotaeConfig.load(flags: [:], environment: ["KOTAE_SECURE_COOKIES": "true"], envFile: nil).secureCookies)
    }

    // MARK: 7. Multi-word search as a browser's form sends it

    @Test func aFormEncodedMultiWordSearchMatches() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            try await app.ingest(inbox: inbox, externalId: "s1", text: "the blue bicycle arrived scratched")
            let (_, api) = try await app.admin(.get, "/api/v1/search?q=blue+bicycle")
            #expect((api["messages"] as? [[String: Any]])?.count == 1)
            let page = String(buffer: try await app.request(.get, "/search?q=blue+bicycle", token: app.agentToken).body)
            #expect(page.contains("arrived scratched"))
            let inboxPage = String(buffer: try await app.request(.get, "/?view=all&q=blue+bicycle", token: app.agentToken).body)
            #expect(inboxPage.contains("arrived scratched"))
        }
    }

    // MARK: 8. NUL, oversized webhooks and a full disk answer clearly

    @Test func aNulInASearchIsABadRequest() async throws {
        try await withTestApp { app in
            let r = try await app.request(.get, "/api/v1/search?q=a%00b", token: app.agentToken)
            #expect(r.status == .badRequest && TestApp.object(r)["code"] as? String == "control_character")
            let body = try await app.request(.post, "/api/v1/teams", token: app.adminToken, json: #"{"name":"a\u0000b"}"#)
            #expect(body.status == .badRequest && TestApp.object(body)["code"] as? String == "nul_character")
            // A literal backslash before "u0000" is text, not a NUL.
            #expect(try await app.admin(.post, "/api/v1/teams", #"{"name":"a\\u0000b"}"#).0 == .created)
            #expect(KotaeRequestDecoder.containsEscapedNUL(Data(#"{"a":"\\\u0000"}"#.utf8)))
            #expect(try await app.admin(.get, "/api/v1/teams").1["teams"] as? [Any] != nil)
        }
    }

    @Test func anOversizedWebhookIs413NotA500() async throws {
        try await withTestApp(configure: { $0.maxBodyBytes = 4096 }) { app in
            let line = try await app.makeInbox(channel: "line", credentials: ["channelSecret": Self.lineSecret, "channelAccessToken": "t"])
            let big = ByteBuffer(string: String(repeating: "x", count: 10_000))
            let r = try await app.request(.post, "/webhooks/line/\(line)", body: big)
            #expect(r.status == .contentTooLarge && TestApp.object(r)["code"] as? String == "body_too_large")
            let x = try await xInbox(app)
            #expect(try await app.request(.post, "/webhooks/x/\(x)", body: big).status == .contentTooLarge)
        }
    }

    @Test func aFullDiskAnswers503AndHealthSaysSo() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            #expect(try await app.request(.get, "/health").status == .ok)
            guard app.store.dialect == .sqlite else { return }  // SQLite's own page limit stands in for a full disk
            try await app.store.db.write { db in
                let pages = try await db.raw("PRAGMA page_count").first()!.decode(column: "page_count", as: Int.self)
                _ = try await db.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").all()
            }
            let big = String(repeating: "満", count: 200_000)
            var status = HTTPResponse.Status.ok, code: String?
            for i in 0..<5 where status == .ok {
                let (s, out) = try await app.ingest(inbox: inbox, externalId: "full-\(i)", text: big)
                (status, code) = (s, out["code"] as? String)
            }
            #expect(status == .serviceUnavailable && code == "storage_full")
            let health = try await app.request(.get, "/health")
            #expect(health.status == .serviceUnavailable)
            #expect((TestApp.object(health)["storage"] as? String)?.contains("storage full") == true)
            try await app.store.db.write { db in _ = try await db.raw("PRAGMA max_page_count = 1073741823").all() }
        }
    }

    // MARK: 10. Sign-in: JSON only, no timing oracle, sprays limited

    @Test func loginTakesOnlyJSON() async throws {
        try await withTestApp { app in
            var h: HTTPFields = [:]
            h[.contentType] = "text/plain"
            let r = try await app.client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: h,
                body: ByteBuffer(string: #"{"email":"agent@test.kotae","password":"agent-password"}"#))
            #expect(r.status == .unsupportedMediaType && r.headers[.setCookie] == nil)
        }
    }

    @Test func jsonMeansAJSONMediaTypeWithAnyParameters() {
        for type in ["application/json", " Application/JSON ; charset=utf-8", "application/merge-patch+json", "application/json;charset=UTF-8"] {
            #expect(KotaeRequestDecoder.isJSON(type), "\(type)")
        }
        for type in [
            nil, "", "text/plain", "application/jsonp", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=json",
        ] {
            #expect(!KotaeRequestDecoder.isJSON(type), "\(type ?? "nil")")
        }
    }

    @Test func anUnknownAddressTakesAsLongAsAWrongPassword() async throws {
        try await withTestApp(configure: { $0.bcryptCost = 9 }) { app in
            func timed(_ email: String, _ i: Int) async throws -> Double {
                let start = ContinuousClock.now
                let r = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"\#(email)","password":"wrong-\#(i)"}"#)
                #expect(r.status == .unauthorized)
                let d = ContinuousClock.now - start
                return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
            var known: [Double] = [], unknown: [Double] = []
            for i in 0..<4 {
                known.append(try await timed("agent@test.kotae", i))
                unknown.append(try await timed("nobody\(i)@test.kotae", i))
            }
            let median = { (a: [Double]) in a.sorted()[a.count / 2] }
            // bcrypt at cost 9 takes tens of milliseconds; skipping it would be ~10× faster.
            #expect(median(unknown) > median(known) * 0.5, "unknown \(unknown) vs known \(known)")
        }
    }

    @Test func sprayingPasswordsOverManyAddressesIsLimitedPerClient() async throws {
        try await withTestApp { app in
            var last = HTTPResponse.Status.ok
            for i in 0..<21 {
                last = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"user\#(i)@test.kotae","password":"Summer2026!"}"#).status
            }
            #expect(last == .tooManyRequests)
            // The real password does not get through from that client either, until the window passes.
            let r = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"agent-password"}"#)
            #expect(r.status == .tooManyRequests && r.headers[.retryAfter] != nil)
        }
        let limiter = RateLimiter(limit: 2, window: 60, maxKeys: 100)
        for i in 0..<10_000 { await limiter.record("10.0.\(i / 256).\(i % 256)") }
        #expect(await limiter.keyCount <= 100, "memory stays bounded under a flood of addresses")
    }

    // MARK: 11. The one-time set-up token creates one admin

    @Test func racingSetUpRequestsCreateOneAdmin() async throws {
        try await withTestApp(seedUsers: false) { app in
            try await app.store.setSetting("setup_token_hash", TokenHash.of("one-time-token"))
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        try await app.request(
                            .post, "/api/v1/auth/setup",
                            json: #"{"token":"one-time-token","email":"admin\#(i)@shop.jp","name":"Admin \#(i)","password":"long-enough-1"}"#
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .forbidden }.count == 7)
            #expect(try await app.store.accounts.userCount() == 1)
        }
    }

    // MARK: 12. Authenticate before reading the body

    @Test func strangersGet401BeforeAnyValidation() async throws {
        try await withTestApp { app in
            for (method, path) in [
                (HTTPRequest.Method.post, "/api/v1/conversations/1/reply"), (.post, "/api/v1/inboxes"),
                (.patch, "/api/v1/users/1"), (.post, "/api/v1/auth/tokens"), (.post, "/api/v1/inboxes/1/messages"),
            ] {
                let r = try await app.request(method, path, json: "not json at all")
                #expect(r.status == .unauthorized, "\(method) \(path)")
            }
        }
    }

    // MARK: 13. One validation for create and edit; 405 for other methods

    @Test func anInboxCannotBeRenamedToNothingAndOtherMethodsAre405() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            for bad in ["", "   ", String(repeating: "長", count: 201)] {
                let (status, problem) = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["name": bad]))
                #expect(status == .unprocessableContent && problem["field"] as? String == "name")
                #expect(try await app.admin(.post, "/api/v1/inboxes", jsonString(["name": bad, "channel": "api"])).0 == .unprocessableContent)
            }
            #expect(try await app.store.inboxes.find(id: inbox)?.name == "Test api")
            let r = try await app.request(.delete, "/api/v1/inboxes", token: app.adminToken)
            #expect(r.status == .methodNotAllowed && r.headers[.allow] == "GET, POST")
            let put = try await app.request(.put, "/api/v1/conversations/1/reply", token: app.adminToken)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "POST")
            #expect(try await app.request(.get, "/api/v1/no-such-thing", token: app.adminToken).status == .notFound)
            // The document states the same limits.
            let doc = OpenAPIDocument.json
            #expect(doc.contains(#""maxLength" : 200"#) && doc.contains(#""minLength" : 1"#))
        }
    }
}
