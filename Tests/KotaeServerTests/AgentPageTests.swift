import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Settings are for admins; search, notifications and the account page for everyone.
@Suite struct AgentPageTests {
    @Test func settingsPagesAreForAdminsOnly() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            for path in [
                "/settings/users", "/settings/teams", "/settings/inboxes", "/settings/inboxes/\(inbox)", "/settings/canned", "/settings/labels",
            ] {
                let admin = try await app.request(.get, path, token: app.adminToken)
                #expect(admin.status == .ok, "\(path)")
                let agent = try await app.request(.get, path, token: app.agentToken)
                #expect(agent.status == .seeOther && agent.headers[.location] == "/", "\(path)")
            }
            for path in ["/search?q=x", "/notifications", "/account"] {
                #expect(try await app.request(.get, path, token: app.agentToken).status == .ok, "\(path)")
            }
        }
    }

    @Test func searchFiltersByKindChannelStatusAndDay() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "s1", text: "緑のコートが届きません")
            let c = (out["conversationId"] as! NSNumber).int64Value
            _ = try await app.admin(.post, "/api/v1/conversations/\(c)/notes", jsonString(["text": "コートの在庫を確認"]))
            func hits(_ query: String) async throws -> Int {
                let page = String(buffer: try await app.request(.get, "/search?q=" + query, token: app.agentToken).body)
                return page.components(separatedBy: "href=\"/conversations/\(c)#m").count - 1
            }
            let coat = "%E3%82%B3%E3%83%BC%E3%83%88"  // コート
            #expect(try await hits(coat) == 2)
            #expect(try await hits(coat + "&kind=note") == 1)
            #expect(try await hits(coat + "&kind=inbound&channel=api&status=open") == 1)
            #expect(try await hits(coat + "&channel=line") == 0)
            #expect(try await hits(coat + "&status=resolved") == 0)
            #expect(try await hits(coat + "&since=2000-01-01&until=2000-01-02") == 0)
            let page = String(buffer: try await app.request(.get, "/search?q=%3Cscript%3E", token: app.agentToken).body)
            #expect(!page.contains("<script>") && page.contains("&lt;script&gt;"), "the query is escaped back into the page")
        }
    }

    @Test func inboxShowsLabelAndPublicCommentViews() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, pub) = try await app.ingest(inbox: inbox, externalId: "v1", contact: "pub", extra: ["isPublic": true])
            let (_, dm) = try await app.ingest(inbox: inbox, externalId: "v2", contact: "dm")
            let p = (pub["conversationId"] as! NSNumber).int64Value, d = (dm["conversationId"] as! NSNumber).int64Value
            _ = try await app.admin(.post, "/api/v1/conversations/\(d)/labels", jsonString(["add": ["VIP"]]))
            let comments = String(buffer: try await app.request(.get, "/?view=unansweredPublic", token: app.agentToken).body)
            #expect(comments.contains("data-id=\"\(p)\"") && !comments.contains("data-id=\"\(d)\""))
            let vip = String(buffer: try await app.request(.get, "/?label=VIP", token: app.agentToken).body)
            #expect(vip.contains("data-id=\"\(d)\"") && !vip.contains("data-id=\"\(p)\""))
            #expect(vip.contains("id=\"label-views\""))
        }
    }
}

@Suite struct AgentTimeZoneTests {
    /// Times on a page are the agent's own: the same message reads 9 hours apart in Tokyo and London in winter.
    /// Issue 11, part 11: what happened to a conversation is in its timeline, in order.
    @Test func theTimelineShowsTheConversationsActivityQuietlyInOrder() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1", text: "サイズ交換できますか")
            let id = r["conversationId"] as! Int
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/assign", jsonString(["assigneeId": app.agent.id]))
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/priority", #"{"priority":"high"}"#)
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/labels", #"{"add":["交換"]}"#)
            let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 86400))
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/snooze", jsonString(["until": until]))
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved","reason":"duplicate"}"#)
            let page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            let expected = [
                "サイズ交換できますか", "Admin さんが担当を 佐藤 さんにしました", "Admin さんが優先度を「高」にしました",
                "Admin さんがラベル「交換」を付けました", "Admin さんが", "までスヌーズしました",
                "Admin さんが返信せずに閉じました（理由: 重複）",
            ]
            var at = page.startIndex
            for text in expected {
                let found = page.range(of: text, range: at..<page.endIndex)
                #expect(found != nil, "\(text) after the entries before it")
                if let found { at = found.upperBound }
            }
            #expect(page.components(separatedBy: #"<li class="activity""#).count - 1 == 5)
        }
    }

    @Test func timesFollowTheAgentsTimeZone() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "tz", extra: ["sentAt": "2026-01-15T00:30:00Z"])
            let c = (out["conversationId"] as! NSNumber).int64Value
            func page() async throws -> String { String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body) }
            _ = try await app.request(.patch, "/api/v1/users/\(app.agent.id)", token: app.agentToken, json: #"{"timeZone":"Asia/Tokyo"}"#)
            #expect(try await page().contains("2026-01-15 09:30"))
            _ = try await app.request(.patch, "/api/v1/users/\(app.agent.id)", token: app.agentToken, json: #"{"timeZone":"Europe/London"}"#)
            #expect(try await page().contains("2026-01-15 00:30"))
            let bad = try await app.request(.patch, "/api/v1/users/\(app.agent.id)", token: app.agentToken, json: #"{"timeZone":"Mars/Olympus"}"#)
            #expect(bad.status == .unprocessableContent)
        }
    }
}
