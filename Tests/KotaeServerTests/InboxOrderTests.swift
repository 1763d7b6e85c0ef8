import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Issue 11, parts 9 and 10: due times follow the shop's policy, and a lead can order and
/// filter the inbox by what matters.
@Suite struct InboxOrderTests {
    private func ids(_ app: TestApp, _ query: String) async throws -> [Int] {
        let (status, list) = try await app.admin(.get, "/api/v1/conversations?\(query)")
        #expect(status == .ok, "\(list)")
        return (list["conversations"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func changingTheTargetsMovesOpenDueTimesAndLeavesResolvedOnes() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, a) = try await app.ingest(inbox: inbox, externalId: "a", contact: "a")
            let (_, b) = try await app.ingest(inbox: inbox, externalId: "b", contact: "b")
            let open = Int64(a["conversationId"] as! Int), closed = Int64(b["conversationId"] as! Int)
            _ = try await app.admin(.post, "/api/v1/conversations/\(closed)/status", #"{"status":"resolved","reason":"duplicate"}"#)
            let before = try #require(try await app.store.conversations.conversation(id: open)).clock
            let closedBefore = try #require(try await app.store.conversations.conversation(id: closed)).clock
            let waiting = try #require(before.waitingSince)
            #expect(before.firstResponseDue == waiting.addingTimeInterval(86_400))

            let (status, _) = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)",
                #"{"slaPolicy":{"firstResponse":600,"nextResponse":1200,"resolution":7200,"dueSoonFraction":0.25}}"#)
            #expect(status == .ok)
            let after = try #require(try await app.store.conversations.conversation(id: open)).clock
            #expect(after.firstResponseDue == waiting.addingTimeInterval(600), "counted again from when the customer wrote")
            #expect(after.resolutionDue == before.cycleStartedAt.addingTimeInterval(7200))
            #expect(after.slaDueAt == waiting.addingTimeInterval(600) && after.slaWarnAt == waiting.addingTimeInterval(450))
            #expect(after.waitingSince == waiting)
            #expect(try await app.store.conversations.conversation(id: closed)?.clock == closedBefore, "a resolved conversation keeps its history")
            // The list's due order and the Due soon view see the new time at once.
            #expect(try await ids(app, "sla=due_soon").isEmpty)
            let page = String(buffer: try await app.request(.get, "/?view=allOpen", token: app.adminToken).body)
            #expect(page.contains("期限 ") && page.contains("残り"), "the due time is on the row")
            let settings = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(settings.contains(#"id="sla-applies""#), "the settings page says it does")
        }
    }

    @Test func theInboxSortsByPriorityWaitingAndNewestAndFiltersByPriority() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let now = Date()
            func iso(_ hoursAgo: Double) -> String { ISO8601DateFormatter().string(from: now.addingTimeInterval(-hoursAgo * 3600)) }
            // 山田 has waited 30 hours at high priority; others are newer or lower.
            var id: [String: Int] = [:]
            for (name, hoursAgo) in [("山田", 30.0), ("佐藤", 2.0), ("鈴木", 5.0), ("高橋", 1.0)] {
                let (_, r) = try await app.ingest(inbox: inbox, externalId: name, contact: name, extra: ["sentAt": iso(hoursAgo)])
                id[name] = r["conversationId"] as? Int
            }
            for (name, p) in [("山田", "high"), ("高橋", "urgent"), ("鈴木", "low")] {
                _ = try await app.admin(.post, "/api/v1/conversations/\(id[name]!)/priority", jsonString(["priority": p]))
            }
            #expect(try await ids(app, "sort=priority") == [id["高橋"]!, id["山田"]!, id["鈴木"]!, id["佐藤"]!])
            #expect(try await ids(app, "sort=waiting") == [id["山田"]!, id["鈴木"]!, id["佐藤"]!, id["高橋"]!])
            #expect(try await ids(app, "sort=newest") == [id["高橋"]!, id["佐藤"]!, id["鈴木"]!, id["山田"]!])
            #expect(try await ids(app, "") == [id["山田"]!, id["鈴木"]!, id["佐藤"]!, id["高橋"]!], "due first by default")
            #expect(try await ids(app, "priority=high,urgent&sort=priority") == [id["高橋"]!, id["山田"]!])
            // The cursor pages on in priority order.
            let (_, first) = try await app.admin(.get, "/api/v1/conversations?sort=priority&limit=2")
            let cursor = try #require(first["nextCursor"] as? String)
            #expect(try await ids(app, "sort=priority&limit=2&cursor=\(cursor)") == [id["鈴木"]!, id["佐藤"]!])
            // A priority change moves the row; within one priority, the earlier due comes first.
            _ = try await app.admin(.post, "/api/v1/conversations/\(id["佐藤"]!)/priority", #"{"priority":"urgent"}"#)
            #expect(try await ids(app, "sort=priority") == [id["佐藤"]!, id["高橋"]!, id["山田"]!, id["鈴木"]!])
            // One person's list in each order (their own index, then sorted).
            for name in ["鈴木", "山田"] {
                _ = try await app.admin(.post, "/api/v1/conversations/\(id[name]!)/assign", jsonString(["assigneeId": app.admin.id]))
            }
            #expect(try await ids(app, "assignee=me&sort=waiting") == [id["山田"]!, id["鈴木"]!])
            #expect(try await ids(app, "assignee=me&sort=newest") == [id["鈴木"]!, id["山田"]!])
            #expect(try await ids(app, "assignee=me&sort=priority") == [id["山田"]!, id["鈴木"]!])
            let (bad, problem) = try await app.admin(.get, "/api/v1/conversations?priority=soon")
            #expect(bad == .unprocessableContent && problem["field"] as? String == "priority")
            // The row shows the priority, and the page offers the sorts and the filter.
            let page = String(buffer: try await app.request(.get, "/?sort=priority&priority=high", token: app.adminToken).body)
            #expect(page.contains(#"class="priority priority-high">高<"#))
            #expect(page.contains(#"<option value="priority" selected>"#))
            #expect(!page.contains("高橋"), "filtered to high")
        }
    }
}
