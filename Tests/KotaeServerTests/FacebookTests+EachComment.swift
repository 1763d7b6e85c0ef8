import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Issue 11, part 4: each of a person's public comments needs its own answer.
extension FacebookTests {
    func comment(_ id: String, post: String, text: String, from: String = "7000000000000002", at: Date = Date()) -> Data {
        let t = Int(at.timeIntervalSince1970)
        return Data(
            #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(t),"changes":[{"field":"feed","value":{"from":{"id":"\#(from)","name":"Hanako Yamada"},"post":{"permalink_url":"https://www.facebook.com/\#(Self.page)/posts/\#(post)","id":"\#(Self.page)_\#(post)"},"post_id":"\#(Self.page)_\#(post)","comment_id":"\#(post)_\#(id)","created_time":\#(t),"item":"comment","parent_id":"\#(Self.page)_\#(post)","verb":"add","message":"\#(text)"}}]}]}"#
                .utf8)
    }

    @Test func twoCommentsOnTwoPostsEachNeedAnAnswerAndTheAgentChoosesWhich() async throws {
        try await withPage { app, graph, inbox in
            let early = Date().addingTimeInterval(-3600)
            #expect(try await deliver(app, inbox, comment("111", post: "900001", text: "在庫はありますか？", at: early)) == .ok)
            #expect(try await deliver(app, inbox, comment("222", post: "900002", text: "送料はいくらですか？")) == .ok)
            let messages = try await inbound(app)
            let first = try #require(messages.first { $0.externalId == "fb:c:900001_111" })
            let second = try #require(messages.first { $0.externalId == "fb:c:900002_222" })
            #expect(first.conversationId == second.conversationId, "one person's comments are one conversation")
            #expect(first.details.postURL == "https://www.facebook.com/\(Self.page)/posts/900001")
            let c = first.conversationId
            var unanswered = ConversationQuery(); unanswered.unanswered = true; unanswered.statuses = ConversationStatus.allCases

            // A bad choice is refused before anything is stored.
            let (refused, problem) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "x", "replyTo": 999999]))
            #expect(refused == .unprocessableContent && problem["field"] as? String == "replyTo")
            #expect(try await app.store.conversations.messages(conversationId: c).filter { $0.kind == .outbound }.isEmpty)

            // The default answers the latest comment; the first is still waiting, since it was written.
            let latest = try #require(try await app.replySent(c, ["text": "送料は全国一律500円です。"]))
            #expect(latest.replyToId == second.id)
            #expect(graph.requests.contains { $0.path == "/v21.0/900002_222/comments" })
            var conversation = try #require(try await app.store.conversations.conversation(id: c))
            #expect(conversation.clock.needsReply, "one comment is still unanswered")
            #expect(abs((conversation.clock.waitingSince ?? .distantFuture).timeIntervalSince(early)) < 1)
            #expect(try await app.store.conversations.listConversations(unanswered).conversations.map(\.id) == [c])
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.adminToken).body)
            #expect(
                page.contains(#"id="reply-to""#) && page.contains(#"<option value="\#(first.id)" selected>"#), "the unanswered one is offered first")
            #expect(page.components(separatedBy: #"class="unanswered-mark""#).count - 1 == 1)
            #expect(page.contains(#"href="https://www.facebook.com/\#(Self.page)/posts/900001""#))

            // The agent answers the first comment by choosing it: now nobody waits.
            let answer = try #require(try await app.replySent(c, ["text": "在庫ございます。", "replyTo": first.id]))
            #expect(answer.replyToId == first.id)
            #expect(graph.requests.contains { $0.path == "/v21.0/900001_111/comments" })
            conversation = try #require(try await app.store.conversations.conversation(id: c))
            #expect(!conversation.clock.needsReply)
            #expect(try await app.store.conversations.listConversations(unanswered).conversations.isEmpty)

            // A third comment closed consciously (with a reason) counts as dealt with; a
            // fourth later waits on its own.
            #expect(try await deliver(app, inbox, comment("333", post: "900003", text: "👍")) == .ok)
            let (closed, _) = try await app.admin(.post, "/api/v1/conversations/\(c)/status", #"{"status":"resolved","reason":"no_answer_needed"}"#)
            #expect(closed == .ok)
            #expect(try await deliver(app, inbox, comment("444", post: "900004", text: "色は選べますか？")) == .ok)
            let fourth = try #require(try await inbound(app).first { $0.externalId == "fb:c:900004_444" })
            let reply = try #require(try await app.replySent(c, ["text": "3色からお選びいただけます。"]))
            #expect(reply.replyToId == fourth.id)
            #expect(try await app.store.conversations.conversation(id: c)?.clock.needsReply == false, "the closed comment does not wait again")
        }
    }
}
