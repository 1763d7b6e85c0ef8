import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Instagram @mentions: someone names the shop's account in a comment or a caption on their
/// own media. The webhook carries ids only; Kotae reads the text through Graph afterwards
/// and keeps it as a public mention conversation that waits for an answer.
extension FacebookTests {
    static let igAccount = "17841400000000001"

    func mentionWebhook(media: String, comment: String?) -> Data {
        var value = ["media_id": media]
        value["comment_id"] = comment
        let body: [String: Any] = [
            "object": "instagram",
            "entry": [
                [
                    "id": Self.igAccount, "time": Int(Date().timeIntervalSince1970),
                    "changes": [["field": "mentions", "value": value]],
                ]
            ],
        ]
        return try! JSONSerialization.data(withJSONObject: body)
    }

    func mentionsIn(_ app: TestApp) async throws -> [Message] {
        try await inbound(app).filter { $0.externalId?.hasPrefix("ig:mention:") == true }
    }

    @Test func aCommentMentionBecomesAPublicConversationAnsweredUnderIt() async throws {
        try await withInstagram { app, graph, inbox in
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["keywords": "みどり自転車"]]))
            try graph.mention(
                commentId: "17894227972186120", text: "雨の日に転んだけど @midori.cycles の自転車は無傷でした",
                username: "rainy.rider", timestamp: "2026-11-23T09:15:00+0000")
            let hook = mentionWebhook(media: "17918195224117851", comment: "17894227972186120")
            #expect(try await deliver(app, inbox, hook) == .ok)
            #expect(try await deliver(app, inbox, hook) == .ok, "a redelivery")

            let stored = try #require(try await eventually { try await mentionsIn(app).count == 1 } ? try await mentionsIn(app).first : nil)
            #expect(stored.text == "雨の日に転んだけど @midori.cycles の自転車は無傷でした")
            #expect(stored.sentAt == Date(timeIntervalSince1970: 1_795_425_300), "the time Instagram gives")
            let lookups = graph.requests.filter { $0.query.contains("mentioned_comment") }
            #expect(lookups.count == 1, "read once, however often Meta delivers it")
            #expect(lookups.first?.path == "/v21.0/\(Self.igAccount)")
            #expect(
                lookups.first?.query.contains("fields=mentioned_comment.comment_id%2817894227972186120%29%7Bid,text,timestamp,username%7D") == true)

            let c = try #require(try await app.store.conversations.conversation(id: stored.conversationId))
            #expect(c.isPublic && c.threadKey == "mentions:@rainy.rider" && c.contactName == "rainy.rider")
            // It asks nothing, and still waits in Unanswered for someone to answer or close it.
            let unanswered = String(buffer: try await app.request(.get, "/?view=unansweredPublic", token: app.agentToken).body)
            #expect(unanswered.contains("rainy.rider"))
            // Only a keyword that is in the text labels it.
            #expect(!c.labels.contains { $0.hasPrefix("listening:") })

            // The composer says a mention is answered in public, text only.
            let page = String(buffer: try await app.request(.get, "/conversations/\(c.id)", token: app.agentToken).body)
            #expect(page.contains("id=\"public-only-note\"") && !page.contains("id=\"reply-visibility\""))
            #expect(page.contains("メンション（公開）"))

            // A private answer is refused before anything is stored; a public one goes to /mentions.
            let before = try await app.store.conversations.messages(conversationId: c.id).count
            let (refused, body) = try await app.admin(.post, "/api/v1/conversations/\(c.id)/reply", jsonString(["text": "DMします", "private": true]))
            #expect(refused == .unprocessableContent)
            #expect("\(body)".contains("公開で返信してください"), "said in the admin's language")
            #expect(try await app.store.conversations.messages(conversationId: c.id).count == before)
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c.id)/reply", jsonString(["text": "ご無事で何よりです！お見舞いのクーポンをお送りします"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let answer = try #require(graph.requests.first { $0.path == "/v21.0/\(Self.igAccount)/mentions" })
            #expect(answer.method == "POST")
            #expect(
                NSDictionary(dictionary: answer.json)
                    == NSDictionary(dictionary: [
                        "media_id": "17918195224117851", "comment_id": "17894227972186120", "message": "ご無事で何よりです！お見舞いのクーポンをお送りします",
                    ]))
            #expect(try await app.store.conversations.message(id: id)?.externalId?.hasPrefix("ig:c:") == true)
        }
    }

    @Test func aCaptionMentionWithAKeywordIsLabelledAndAnsweredOnTheMedia() async throws {
        try await withInstagram { app, graph, inbox in
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["keywords": "グリーンコート"]]))
            try graph.mention(
                mediaId: "17920112008063024", caption: "@midori.shop のグリーンコート、今日も着ています",
                username: "hanako.y", permalink: "https://www.instagram.com/p/Qx1/", timestamp: "2026-11-23T10:00:00+0000")
            #expect(try await deliver(app, inbox, mentionWebhook(media: "17920112008063024", comment: nil)) == .ok)
            let stored = try #require(try await eventually { try await mentionsIn(app).count == 1 } ? try await mentionsIn(app).first : nil)
            #expect(stored.text == "@midori.shop のグリーンコート、今日も着ています\nhttps://www.instagram.com/p/Qx1/", "with a link to the post")
            let c = try #require(try await app.store.conversations.conversation(id: stored.conversationId))
            #expect(try await eventually { try await app.store.conversations.conversation(id: c.id)?.labels.contains("listening: グリーンコート") == true })

            // Files are refused in the agent's language; the text goes on the media.
            let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
            let (refused, body) = try await app.admin(
                .post, "/api/v1/conversations/\(c.id)/reply",
                jsonString([
                    "text": "ありがとうございます", "attachments": [["filename": "coupon.png", "contentType": "image/png", "dataBase64": png]],
                ]))
            #expect(refused == .unprocessableContent && "\(body)".contains("メンションへの返信は文字のみ"))
            #expect(try await app.replySent(c.id, ["text": "ありがとうございます！"]) != nil)
            let answer = try #require(graph.requests.first { $0.path == "/v21.0/\(Self.igAccount)/mentions" })
            #expect(NSDictionary(dictionary: answer.json) == NSDictionary(dictionary: ["media_id": "17920112008063024", "message": "ありがとうございます！"]))
        }
    }

    /// A forged mention stores nothing and reads nothing; one whose comment is gone since is
    /// given up (Graph answers #100), not retried forever.
    @Test func aForgedOrVanishedMentionStoresNothing() async throws {
        try await withInstagram { app, graph, inbox in
            let hook = mentionWebhook(media: "1790000000000001", comment: "1790000000000002")
            #expect(try await deliver(app, inbox, hook, signature: "sha256=" + String(repeating: "0", count: 64)) == .unauthorized)
            #expect(try await app.store.jobs.list().isEmpty)
            #expect(try await deliver(app, inbox, hook) == .ok)
            let gaveUp = try await eventually { try await app.store.jobs.list(state: .dead).contains { $0.kind == "instagram.mention" } }
            #expect(gaveUp)
            #expect(try await mentionsIn(app).isEmpty)
            #expect(graph.requests.filter { $0.query.contains("mentioned_comment") }.count == 1)
        }
    }
}
