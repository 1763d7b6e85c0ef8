import KotaeFixtures
import Foundation
import KotaeChannels
import KotaeCore
import Testing

/// Meta's webhook bodies (Messenger, Page comments, Instagram), read without a server.
@Suite struct GraphWebhookTests {
    @Test func theCorpusSignatureVerifiesAndATamperedBodyDoesNot() throws {
        let v = try Fixture.json("facebook/x-hub-signature-256.doc-example.json")
        let secret = v["app_secret"] as! String, header = v["header_value"] as? String
        #expect(GraphWebhook.verify(signature: header, appSecret: secret, body: Data((v["raw_body"] as! String).utf8)))
        #expect(!GraphWebhook.verify(signature: header, appSecret: secret, body: Data((v["tampered_body_must_fail"] as! String).utf8)))
    }

    @Test func aMessengerTextIsAPrivateMessageInThePersonsThread() throws {
        let items = try GraphWebhook.items(from: try Fixture.data("facebook/regular_text_callback.json"))
        guard items.count == 1, case .message(let m, let urls) = items[0] else { Issue.record("\(items)"); return }
        #expect(m.identity.channel == "facebook" && m.identity.externalId == "1739141089378194")
        #expect(m.externalId == ExternalIDKind.messengerMessage.id("mid.$cAAEIQkYwD5bNu1Kzh1hgg1r2bI_K"))
        #expect(m.threadKey == ThreadKind.messenger.key("1739141089378194") && !m.isPublic)
        #expect(m.text == "This is a text message" && urls.isEmpty)
        #expect(m.sentAt == Fixture.date(milliseconds: 1_518_439_590_791))
    }

    @Test func aPageCommentIsAPublicItemWithItsPost() throws {
        let items = try GraphWebhook.items(from: try Fixture.data("facebook/page-feed-comment-add.doc-example.json"))
        guard items.count == 1, case .comment(let m, _) = items[0] else { Issue.record("\(items)"); return }
        #expect(m.externalId == ExternalIDKind.facebookComment.id("900000000000003_1200000000000004"))
        #expect(m.threadKey == ThreadKind.comments.key("7000000000000002") && m.isPublic)
        #expect(m.contactName == "Hanako Yamada" && m.text == "この商品の在庫はありますか？")
        #expect(m.details.postURL == "https://www.facebook.com/105000000000001/posts/pfbid0xyz")
    }

    @Test func anInstagramDirectMessageIsInTheInstagramNamespace() throws {
        let items = try GraphWebhook.items(from: try Fixture.data("instagram/messages-text.doc-example.json"))
        let messages = items.compactMap { if case .message(let m, _) = $0 { m } else { nil } }
        #expect(messages.count == 1)
        #expect(messages.allSatisfy { $0.identity.channel == "instagram" && ExternalIDKind.of($0.externalId) == .instagramMessage })
        #expect(messages.allSatisfy { ThreadKind.of($0.threadKey ?? "") == .instagramDirect })
    }
}
