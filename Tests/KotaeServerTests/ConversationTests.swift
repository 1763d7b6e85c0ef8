import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@Suite struct ConversationTests {
    func ids(_ list: [String: Any]) -> [Int] {
        (list["conversations"] as? [[String: Any]] ?? []).map { $0["id"] as! Int }
    }

    @Test func inboxIsSortedByDueTimeAndFiltersWork() async throws {
        try await withTestApp { app in
            let chat = try await app.makeInbox(channel: "chat")
            let email = try await app.makeInbox(channel: "email")
            let now = Date()
            func iso(_ minutesAgo: Double) -> String { ISO8601DateFormatter().string(from: now.addingTimeInterval(-minutesAgo * 60)) }
            // chat target 30 min, email 1 day.
            let (_, late) = try await app.ingest(inbox: chat, externalId: "1", contact: "a", extra: ["sentAt": iso(45)])
            let (_, soon) = try await app.ingest(inbox: chat, externalId: "2", contact: "b", extra: ["sentAt": iso(25)])
            let (_, fresh) = try await app.ingest(inbox: chat, externalId: "3", contact: "c", extra: ["sentAt": iso(1)])
            let (_, mail) = try await app.ingest(inbox: email, externalId: "4", contact: "d", extra: ["sentAt": iso(60)])
            let l = late["conversationId"] as! Int, s = soon["conversationId"] as! Int
            let f = fresh["conversationId"] as! Int, m = mail["conversationId"] as! Int

            let (_, all) = try await app.admin(.get, "/api/v1/conversations")
            #expect(ids(all) == [l, s, f, m])
            let states = (all["conversations"] as! [[String: Any]]).map { $0["slaState"] as! String }
            #expect(states == ["breached", "due_soon", "on_track", "on_track"])

            #expect(ids(try await app.admin(.get, "/api/v1/conversations?sla=breached").1) == [l])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?sla=due_soon").1) == [s])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?channel=email").1) == [m])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?inbox=\(chat)").1) == [l, s, f])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?sort=newest").1) == [f, s, l, m])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?sort=waiting").1) == [m, l, s, f])

            // A bad team leaves the assignment untouched too: both or neither.
            let badTeam = try await app.admin(.post, "/api/v1/conversations/\(s)/assign", #"{"assigneeId":\#(app.agent.id),"teamId":999}"#)
            #expect(badTeam.0 == .unprocessableContent && badTeam.1["field"] as? String == "teamId")
            #expect(try await app.store.conversations.conversation(id: Int64(s))?.assigneeId == nil)
            _ = try await app.admin(.post, "/api/v1/conversations/\(s)/assign", #"{"assigneeId":\#(app.agent.id)}"#)
            let mine = try await app.request(.get, "/api/v1/conversations?assignee=me", token: app.agentToken)
            #expect(ids(TestApp.object(mine)) == [s])
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?assignee=unassigned").1) == [l, f, m])

            _ = try await app.admin(.post, "/api/v1/conversations/\(f)/labels", #"{"add":["配送","vip"]}"#)
            let labelled = try await app.admin(.get, "/api/v1/conversations?label=%E9%85%8D%E9%80%81").1
            #expect(ids(labelled) == [f])
            #expect((labelled["conversations"] as! [[String: Any]])[0]["labels"] as? [String] == ["vip", "配送"])

            let bad = try await app.admin(.get, "/api/v1/conversations?sla=late")
            #expect(bad.0 == .unprocessableContent && bad.1["field"] as? String == "sla")
        }
    }

    @Test func cursorPaginationVisitsEveryConversationOnce() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            for i in 0..<23 { _ = try await app.ingest(inbox: inbox, externalId: "m\(i)", contact: "c\(i)") }
            var seen: [Int] = []
            var cursor: String?
            repeat {
                let path =
                    "/api/v1/conversations?limit=5"
                    + (cursor.map { "&cursor=" + $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? "")
                let (_, page) = try await app.admin(.get, path)
                seen += ids(page)
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == 23)
            #expect(Set(seen).count == 23)
            let bad = try await app.admin(.get, "/api/v1/conversations?cursor=zzz")
            #expect(bad.1["field"] as? String == "cursor")
        }
    }

    @Test func nobodyIgnoredClosingAWaitingCustomerNeedsAReason() async throws {
        try await withTestApp { app in
            let fb = try await app.makeInbox(channel: "facebook")
            let (_, r) = try await app.ingest(inbox: fb, externalId: "c1", text: "Happy holidays everyone!", extra: ["isPublic": true])
            let id = r["conversationId"] as! Int
            var (_, stats) = try await app.admin(.get, "/api/v1/stats/unanswered")
            #expect(stats["total"] as? Int == 1)
            #expect((stats["byChannel"] as! [String: Int])["facebook"] == 1)

            let (status, problem) = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved"}"#)
            #expect(status == .unprocessableContent)
            #expect(problem["code"] as? String == "reason_required")
            #expect(try await app.admin(.get, "/api/v1/conversations?unanswered=true").1["conversations"] as? [Any] != nil)
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?unanswered=true").1) == [id])
            let pending = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"pending"}"#)
            #expect(pending.1["code"] as? String == "reason_required")

            let (ok, c) = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved","reason":"no_answer_needed"}"#)
            #expect(ok == .ok)
            #expect(c["noReplyReason"] as? String == "no_answer_needed")
            (_, stats) = try await app.admin(.get, "/api/v1/stats/unanswered")
            #expect(stats["total"] as? Int == 0)
            let events = try await app.store.events(conversationId: Int64(id))
            #expect(events.contains { $0.type == "conversation.status" && $0.data.contains("no_answer_needed") })

            // Spam is closed without a reply, and says why.
            let (_, s) = try await app.ingest(inbox: fb, externalId: "c2", contact: "spammer", text: "激安ブランド品はこちら", extra: ["isPublic": true])
            let spam = s["conversationId"] as! Int
            let (closed, sc) = try await app.admin(.post, "/api/v1/conversations/\(spam)/status", #"{"status":"resolved","reason":"spam"}"#)
            #expect(closed == .ok && sc["noReplyReason"] as? String == "spam")
            #expect(try await app.store.conversations.messages(conversationId: Int64(spam)).allSatisfy { $0.kind != .outbound }, "nothing was sent")
            (_, stats) = try await app.admin(.get, "/api/v1/stats/unanswered")
            #expect(stats["total"] as? Int == 0)
        }
    }

    @Test func replyThenResolveAndTheCustomerReopens() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        try await withTestApp { app in
            let inbox = try await app.makeInbox(settings: ["webhookUrl": hook.url])
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1")
            let id = r["conversationId"] as! Int
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/reply", #"{"text":"done"}"#)
            #expect(try await eventually { try await app.store.conversations.conversation(id: Int64(id))?.clock.needsReply == false })
            let (s, resolved) = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved"}"#)
            #expect(s == .ok && resolved["status"] as? String == "resolved")
            #expect(resolved["resolutionSeconds"] is Double)
            #expect(ids(try await app.admin(.get, "/api/v1/conversations").1).isEmpty)
            #expect(ids(try await app.admin(.get, "/api/v1/conversations?status=resolved").1) == [id])
            _ = try await app.ingest(inbox: inbox, externalId: "2", text: "まだ?")
            let (_, detail) = try await app.admin(.get, "/api/v1/conversations/\(id)")
            let c = detail["conversation"] as! [String: Any]
            #expect(c["status"] as? String == "open")
            #expect(c["needsReply"] as? Bool == true)
            #expect(c["nextResponseDue"] is String)
        }
    }

    @Test func notesPriorityAndSnooze() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1")
            let id = r["conversationId"] as! Int
            let note = try await app.request(
                .post, "/api/v1/conversations/\(id)/notes", token: app.agentToken, json: #"{"text":"@Admin 返金の確認をお願いします"}"#)
            #expect(note.status == .created)
            #expect(TestApp.object(note)["kind"] as? String == "note")
            let (_, detail) = try await app.admin(.get, "/api/v1/conversations/\(id)")
            #expect((detail["conversation"] as! [String: Any])["needsReply"] as? Bool == true)  // a note is not an answer

            #expect(
                try await app.admin(.post, "/api/v1/conversations/\(id)/priority", #"{"priority":"urgent"}"#).1["priority"] as? String == "urgent")
            #expect(try await app.admin(.post, "/api/v1/conversations/\(id)/priority", #"{"priority":"asap"}"#).0 == .unprocessableContent)

            let past = try await app.admin(.post, "/api/v1/conversations/\(id)/snooze", #"{"until":"2001-01-01T00:00:00Z"}"#)
            #expect(past.1["field"] as? String == "until")
            let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            let (_, snoozed) = try await app.admin(.post, "/api/v1/conversations/\(id)/snooze", #"{"until":"\#(until)"}"#)
            #expect(snoozed["status"] as? String == "snoozed")
            // Housekeeping wakes it when the time comes.
            #expect(try await eventually { try await app.store.conversations.conversation(id: Int64(id))?.status == .open })
        }
    }

    @Test func cannedResponsesAreFilledForTheConversation() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1", contact: "yamada")
            let (s, canned) = try await app.admin(
                .post, "/api/v1/canned-responses",
                #"{"shortcut":"thanks","title":"お礼","body":"{contact.name} 様、{agent.name}です。{order.number}"}"#)
            #expect(s == .created)
            let cid = canned["id"] as! Int
            let rendered = try await app.request(
                .post, "/api/v1/canned-responses/\(cid)/render", token: app.agentToken,
                json: #"{"conversationId":\#(r["conversationId"]!)}"#)
            let out = TestApp.object(rendered)
            #expect(out["text"] as? String == "Customer yamada 様、佐藤です。{order.number}")
            #expect(out["unfilled"] as? [String] == ["order.number"])
            let dup = try await app.admin(.post, "/api/v1/canned-responses", #"{"shortcut":"thanks","title":"x","body":"y"}"#)
            #expect(dup.0 == .conflict)
        }
    }
}
