import KotaeFixtures
import Foundation
import KotaeChannels
import KotaeCore
import Testing

/// X's Account Activity bodies and its CRC, read without a server.
@Suite struct XWebhookTests {
    @Test func theCorpusCRCAndSignatureVectorsHold() throws {
        let crc = try Fixture.json("x/crc-challenge.doc-example.json")
        let token = ((crc["request"] as! [String: Any])["query"] as! [String: String])["crc_token"]!
        let expected = ((crc["expected_response"] as! [String: Any])["body"] as! [String: String])["response_token"]
        #expect(XWebhook.crcResponse(token: token, consumerSecret: crc["consumer_secret"] as! String) == expected)
        #expect(XWebhook.isCRCToken(token) && !XWebhook.isCRCToken(#"{"a":1}"#))

        let sig = try Fixture.json("x/webhook-signature.doc-example.json")
        let body = Data((sig["raw_body"] as! String).utf8)
        #expect(XWebhook.verify(signature: sig["header_value"] as? String, consumerSecret: sig["consumer_secret"] as! String, body: body))
        #expect(!XWebhook.verify(signature: sig["header_value"] as? String, consumerSecret: "another secret", body: body))
    }

    @Test func aMentionIsAPublicPostInThePersonsMentionsThread() throws {
        let items = try XWebhook.items(from: try Fixture.data("x/aaa-tweet-create-events-mention.doc-example.json"))
        let messages = items.compactMap { if case .message(let m) = $0 { m } else { nil } }
        guard let m = messages.first else { Issue.record("\(items)"); return }
        #expect(m.externalId == ExternalIDKind.xPost.id("1785620000000000001"))
        #expect(m.threadKey == ThreadKind.mentions.key("3000000001") && m.isPublic)
        #expect(m.contactName == "@hanako_y" && m.text.contains("注文1001がまだ届きません"))
        #expect(m.details.postURL == "https://x.com/hanako_y/status/1785620000000000001")
    }

    @Test func aDirectMessageIsPrivateInThePersonsDMThread() throws {
        let items = try XWebhook.items(from: try Fixture.data("x/aaa-direct-message-events.doc-example.json"))
        guard items.count == 1, case .message(let m) = items[0] else { Issue.record("\(items)"); return }
        #expect(m.externalId == ExternalIDKind.xDirectMessage.id("1785620000000000100"))
        #expect(m.threadKey == ThreadKind.xDirect.key("3000000001") && !m.isPublic)
        #expect(m.text == "返品したいです" && m.contactName == "@hanako_y")
        #expect(m.sentAt == Fixture.date(milliseconds: 1_714_557_600_000))
    }
}
