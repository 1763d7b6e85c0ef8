import KotaeFixtures
import Foundation
import KotaeChannels
import KotaeCore
import Testing

/// LINE's webhook body, read without a server: the LINE SDK's fixture of every event type.
@Suite struct LINEWebhookTests {
    @Test func theCorpusSignatureVerifiesAndATamperedBodyDoesNot() throws {
        let v = try Fixture.json("line/x-line-signature.doc-example.json")
        let secret = v["channel_secret"] as! String, header = v["header_value"] as? String
        #expect(LINEWebhook.verify(signature: header, channelSecret: secret, body: Data((v["raw_body"] as! String).utf8)))
        #expect(!LINEWebhook.verify(signature: header, channelSecret: secret, body: Data((v["tampered_body_must_fail"] as! String).utf8)))
        #expect(!LINEWebhook.verify(signature: nil, channelSecret: secret, body: Data((v["raw_body"] as! String).utf8)))
    }

    @Test func everyEventOfTheSDKFixtureBecomesOneItem() throws {
        let events = try Fixture.json("line/webhook-events-all.json")["events"] as! [[String: Any]]
        let items = try LINEWebhook.items(from: try Fixture.data("line/webhook-events-all.json"))
        #expect(items.count == events.count)

        // A person's text: their id, LINE's message id, the reply token, no thread of its own.
        guard case .message(let text, let content, let token) = items[0] else { Issue.record("\(items[0])"); return }
        #expect(text.identity.channel == "line" && text.identity.externalId == "U206d25c2ea6bd87c17655609a1c37cb8")
        #expect(text.externalId == ExternalIDKind.line.id("325708") && text.text == "Hello, world" && text.threadKey == nil)
        #expect(content == nil && token == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA")
        #expect(text.sentAt == Fixture.date(milliseconds: 1_462_629_479_859))

        // An image in a room: the room is the thread, the bytes are fetched later by id.
        guard case .message(let image, let imageContent, _) = items[1] else { Issue.record("\(items[1])"); return }
        #expect(image.threadKey == ThreadKind.lineRoom.key("Ra8dbf4673c4c812cd491258042226c99") && imageContent == "325708")

        #expect(
            items[6]
                == .follow(
                    userId: "U206d25c2ea6bd87c17655609a1c37cb8", followed: true, eventId: "testwebhookeventid",
                    at: Fixture.date(milliseconds: 1_462_629_479_859)))
        // A button press waits for the shop like a message, with what was pressed.
        guard case .message(let postback, _, _) = items[10] else { Issue.record("\(items[10])"); return }
        #expect(postback.externalId == ExternalIDKind.linePostback.id("testwebhookeventid"))
        #expect(postback.text == "postback: action=buyItem&itemId=123123&color=red (datetime=2017-12-25T01:00)")

        let unsends = items.compactMap { if case .unsent(let id, _) = $0 { id } else { nil } }
        #expect(unsends == ["325708"])
        // Beacons, joins and types LINE may add later are nothing for an agent, and not errors.
        #expect(items.contains(.ignored(type: "beacon")) && items.contains(.ignored(type: "undefined")))
    }

    @Test func oneUnreadableEventIsKeptAndTheOthersStillRead() throws {
        let body = """
            {"destination":"U1","events":[{"type":"message","timestamp":"yesterday"},
            {"type":"message","timestamp":1462629479859,"source":{"type":"user","userId":"U2"},"message":{"id":"9","type":"text","text":"届きません"}}]}
            """
        let items = try LINEWebhook.items(from: Data(body.utf8))
        #expect(items.count == 2)
        guard case .unreadable(let json, _) = items[0] else { Issue.record("\(items[0])"); return }
        #expect(json.contains("yesterday"))
        guard case .message(let m, _, _) = items[1] else { Issue.record("\(items[1])"); return }
        #expect(m.text == "届きません")
        #expect(throws: (any Error).self) { try LINEWebhook.items(from: Data("not json".utf8)) }
    }
}
