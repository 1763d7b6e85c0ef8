import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// What agents do to each other and to the catalog: mentions and assignments that notify,
/// labels, teams, files on replies and notes, private answers to public comments.
@Suite struct TeamworkTests {
    func int(_ v: Any?) -> Int64 { (v as! NSNumber).int64Value }

    @Test func aMentionNotifiesTheColleagueOnceAndOpeningReadsIt() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "m1")
            let c = int(out["conversationId"])
            let (status, _) = try await app.admin(
                .post, "/api/v1/conversations/\(c)/notes",
                jsonString(["text": "@agent please look", "mentions": [app.agent.id, app.admin.id]]))
            #expect(status == .created)
            let mine = TestApp.object(try await app.request(.get, "/api/v1/notifications", token: app.agentToken))
            #expect(mine["unread"] as? Int == 1)
            let first = try #require((mine["notifications"] as? [[String: Any]])?.first)
            #expect((first["notification"] as? [String: Any])?["kind"] as? String == "mention")
            #expect(first["snippet"] as? String == "@agent please look")
            // The author mentioning themselves is not told about their own note.
            #expect(TestApp.object(try await app.request(.get, "/api/v1/notifications", token: app.adminToken))["unread"] as? Int == 0)
            _ = try await app.request(.get, "/conversations/\(c)", token: app.agentToken)
            #expect(TestApp.object(try await app.request(.get, "/api/v1/notifications", token: app.agentToken))["unread"] as? Int == 0)
        }
    }

    @Test func aMentionOfNobodyStoresNothing() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "m2")
            let c = int(out["conversationId"])
            let before = try await app.store.conversations.messages(conversationId: c).count
            let (status, problem) = try await app.admin(.post, "/api/v1/conversations/\(c)/notes", jsonString(["text": "hi", "mentions": [9999]]))
            #expect(status == .unprocessableContent)
            #expect(problem["field"] as? String == "mentions")
            #expect(try await app.store.conversations.messages(conversationId: c).count == before, "no note without its notifications")
            let reply = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "hi", "mentions": [app.agent.id]]))
            #expect(reply.0 == .unprocessableContent && reply.1["field"] as? String == "mentions")
        }
    }

    @Test func assigningSomeoneElseNotifiesThemAndATeamAloneKeepsTheAssignee() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "a1")
            let c = int(out["conversationId"])
            _ = try await app.admin(.post, "/api/v1/conversations/\(c)/assign", jsonString(["assigneeId": app.agent.id]))
            let list = TestApp.object(try await app.request(.get, "/api/v1/notifications", token: app.agentToken))
            #expect(((list["notifications"] as? [[String: Any]])?.first?["notification"] as? [String: Any])?["kind"] as? String == "assigned")
            let (_, team) = try await app.admin(.post, "/api/v1/teams", jsonString(["name": "Support", "memberIds": [app.agent.id]]))
            let (status, conv) = try await app.admin(.post, "/api/v1/conversations/\(c)/assign", jsonString(["teamId": int(team["id"])]))
            #expect(status == .ok)
            #expect(int(conv["assigneeId"]) == app.agent.id, "a team change leaves the agent")
            #expect(int(conv["teamId"]) == int(team["id"]))
            let cleared = try await app.admin(.post, "/api/v1/conversations/\(c)/assign", #"{"assigneeId":null}"#)
            #expect(cleared.0 == .ok)
            let after = try await app.store.conversations.conversation(id: c)
            #expect(after?.assigneeId == nil && after?.teamId == int(team["id"]), "null clears the agent, the team stays")
            let empty = try await app.admin(.post, "/api/v1/conversations/\(c)/assign", "{}")
            #expect(empty.0 == .unprocessableContent)
            // Teams: rename and replace members.
            let (_, edited) = try await app.admin(
                .patch, "/api/v1/teams/\(int(team["id"]))", jsonString(["name": "配送", "memberIds": [app.admin.id]]))
            #expect(edited["name"] as? String == "配送")
            #expect((edited["memberIds"] as? [NSNumber])?.map(\.int64Value) == [app.admin.id])
            let bad = try await app.admin(.patch, "/api/v1/teams/\(int(team["id"]))", jsonString(["memberIds": [12345]]))
            #expect(bad.0 == .unprocessableContent)
            #expect(try await app.store.teams.all().first?.memberIds == [app.admin.id], "a bad member list changes nothing")
        }
    }

    @Test func labelsFormACatalogThatRenamesAndDeletesEverywhere() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "l1")
            let c = int(out["conversationId"])
            _ = try await app.admin(.post, "/api/v1/conversations/\(c)/labels", jsonString(["add": ["配送"]]))
            var catalog = try await app.store.labels()
            #expect(catalog.map(\.name) == ["配送"], "a label put on a conversation joins the catalog")
            let (status, created) = try await app.admin(.post, "/api/v1/labels", jsonString(["name": "返品", "color": "#aa0000"]))
            #expect(status == .created)
            #expect(try await app.admin(.post, "/api/v1/labels", jsonString(["name": "返品"])).0 == .conflict)
            #expect(try await app.admin(.post, "/api/v1/labels", jsonString(["name": "x", "color": "red"])).0 == .unprocessableContent)
            #expect(try await app.admin(.post, "/api/v1/labels", jsonString(["name": "a,b"])).0 == .unprocessableContent)
            let agentTry = try await app.request(.post, "/api/v1/labels", token: app.agentToken, json: jsonString(["name": "agent"]))
            #expect(agentTry.status == .forbidden)
            catalog = try await app.store.labels()
            let delivery = try #require(catalog.first { $0.name == "配送" })
            _ = try await app.admin(.patch, "/api/v1/labels/\(delivery.id)", jsonString(["name": "配送遅延"]))
            #expect(try await app.store.conversations.conversation(id: c)?.labels == ["配送遅延"])
            _ = try await app.admin(.post, "/api/v1/conversations/\(c)/labels", jsonString(["add": ["返品"]]))
            _ = try await app.request(.delete, "/api/v1/labels/\(int(created["id"]))", token: app.adminToken)
            #expect(try await app.store.conversations.conversation(id: c)?.labels == ["配送遅延"])
            var q = ConversationQuery(); q.label = "配送遅延"
            #expect(try await app.store.conversations.listConversations(q).conversations.map(\.id) == [c])
        }
    }

    /// A label view reads the label's rows, which must follow their conversation's status
    /// and due time through every change.
    @Test func aLabelViewFollowsStatusAndDueOrder() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let now = Date()
            func iso(_ minutesAgo: Double) -> String { ISO8601DateFormatter().string(from: now.addingTimeInterval(-minutesAgo * 60)) }
            let (_, older) = try await app.ingest(inbox: inbox, externalId: "o", contact: "o", extra: ["sentAt": iso(120)])
            let (_, newer) = try await app.ingest(inbox: inbox, externalId: "n", contact: "n", extra: ["sentAt": iso(5)])
            let o = int(older["conversationId"]), n = int(newer["conversationId"])
            for id in [n, o] { _ = try await app.admin(.post, "/api/v1/conversations/\(id)/labels", jsonString(["add": ["VIP"]])) }
            var q = ConversationQuery(); q.label = "VIP"
            #expect(try await app.store.conversations.listConversations(q).conversations.map(\.id) == [o, n], "due order, not label order")
            #expect(try await app.store.conversations.countConversations(q) == 2)
            q.limit = 1
            let first = try await app.store.conversations.listConversations(q)
            q.cursor = first.nextCursor
            #expect(try await app.store.conversations.listConversations(q).conversations.map(\.id) == [n], "the cursor pages on")
            q.limit = 50; q.cursor = nil
            _ = try await app.admin(.post, "/api/v1/conversations/\(o)/status", jsonString(["status": "resolved", "reason": "answered_elsewhere"]))
            #expect(try await app.store.conversations.listConversations(q).conversations.map(\.id) == [n])
            q.statuses = [.resolved]
            #expect(try await app.store.conversations.listConversations(q).conversations.map(\.id) == [o])
            // The customer writes again: the conversation reopens and is back in the view.
            _ = try await app.ingest(inbox: inbox, externalId: "o2", contact: "o")
            q.statuses = [.open]
            #expect(Set(try await app.store.conversations.listConversations(q).conversations.map(\.id)) == [o, n])
            #expect(try await app.store.conversations.countConversations(q) == 2)
        }
    }

    @Test func repliesAndNotesCarryFilesAndABadFileStoresNothing() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "f1")
            let c = int(out["conversationId"])
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).base64EncodedString()
            let file: [String: Any] = ["filename": "screenshot.png", "contentType": "image/png", "dataBase64": png]
            let (status, note) = try await app.admin(.post, "/api/v1/conversations/\(c)/notes", jsonString(["text": "", "attachments": [file]]))
            #expect(status == .created, "a pasted screenshot alone is a note")
            let stored = try #require((note["attachments"] as? [[String: Any]])?.first)
            #expect(stored["filename"] as? String == "screenshot.png")
            let download = try await app.request(.get, "/api/v1/attachments/\(stored["sha256"] as! String)", token: app.adminToken)
            #expect(Data(buffer: download.body).base64EncodedString() == png)
            let before = try await app.store.conversations.messages(conversationId: c).count
            for bad in [
                ["filename": "a.png", "contentType": "image/png", "dataBase64": "***"],
                ["filename": "../etc/passwd", "contentType": "text/plain", "dataBase64": png],
            ] {
                let r = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "see file", "attachments": [bad]]))
                #expect(r.0 == .unprocessableContent)
            }
            #expect(try await app.store.conversations.messages(conversationId: c).count == before)
        }
    }

    @Test func onlyAPublicConversationHasAPrivateReply() async throws {
        try await withTestApp { app in
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { receiver.stop() }
            let inbox = try await app.makeInbox(settings: ["webhookUrl": receiver.url])
            let (_, publicOut) = try await app.ingest(inbox: inbox, externalId: "p1", contact: "pub", extra: ["isPublic": true])
            let (_, privateOut) = try await app.ingest(inbox: inbox, externalId: "p2", contact: "dm")
            let (status, reply) = try await app.admin(
                .post, "/api/v1/conversations/\(int(publicOut["conversationId"]))/reply",
                jsonString(["text": "DM で詳細を送ります", "private": true]))
            #expect(status == .created)
            #expect((reply["message"] as? [String: Any])?["privateReply"] as? Bool == true)
            try await receiver.wait(for: 1)
            let sent = try JSONSerialization.jsonObject(with: receiver.received[0].body) as! [String: Any]
            #expect(sent["visibility"] as? String == "private")
            let refused = try await app.admin(
                .post, "/api/v1/conversations/\(int(privateOut["conversationId"]))/reply",
                jsonString(["text": "x", "private": true]))
            #expect(refused.0 == .unprocessableContent)
        }
    }

    @Test func inboxSecretsMergeKeyByKeyAndNeverComeBack() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox(
                channel: "line", settings: ["channelId": "123"], credentials: ["channelSecret": "s1", "channelAccessToken": "t1"])
            _ = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["channelAccessToken": "t2"], "settings": ["channelId": "456"]]))
            #expect(try await app.store.inboxes.credentials(id: inbox) == ["channelSecret": "s1", "channelAccessToken": "t2"])
            #expect(try await app.store.inboxes.find(id: inbox)?.settings == ["channelId": "456"])
            // A key LINE does not have is refused, not stored beside the others.
            #expect(try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["note": "x"]])).0 == .unprocessableContent)
            #expect(try await app.store.inboxes.find(id: inbox)?.settings == ["channelId": "456"])
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["channelSecret": "", "channelAccessToken": ""]]))
            #expect(try await app.store.inboxes.credentials(id: inbox) == [:])
            #expect(try await app.store.inboxes.find(id: inbox)?.hasCredentials == false)
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["channelSecret": "hidden-secret"]]))
            let page = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(page.contains("cred-channelSecret"))
            #expect(!page.contains("hidden-secret"))
        }
    }
}
