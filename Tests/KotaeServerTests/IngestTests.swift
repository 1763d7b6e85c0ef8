import Foundation
import HummingbirdTesting
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@Suite struct IngestTests {
    @Test func sameExternalIdTwiceIsOneMessageAnswered200BothTimes() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (s1, first) = try await app.ingest(inbox: inbox, externalId: "m-1", text: "注文した自転車がまだ届きません")
            let (s2, second) = try await app.ingest(inbox: inbox, externalId: "m-1", text: "注文した自転車がまだ届きません")
            #expect(s1 == .ok && s2 == .ok)
            #expect(first["duplicate"] as? Bool == false)
            #expect(second["duplicate"] as? Bool == true)
            #expect(first["messageId"] as? Int == second["messageId"] as? Int)
            let conversation = first["conversationId"] as! Int
            let (_, detail) = try await app.admin(.get, "/api/v1/conversations/\(conversation)")
            #expect((detail["messages"] as! [Any]).count == 1)
            let c = detail["conversation"] as! [String: Any]
            #expect(c["needsReply"] as? Bool == true)
            #expect(c["status"] as? String == "open")
            #expect(c["slaState"] as? String == "on_track")
        }
    }

    @Test func followUpsFromTheSameCustomerJoinOneConversation() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, a) = try await app.ingest(inbox: inbox, externalId: "a", contact: "c1")
            let (_, b) = try await app.ingest(inbox: inbox, externalId: "b", contact: "c1")
            let (_, c) = try await app.ingest(inbox: inbox, externalId: "c", contact: "c2")
            let (_, d) = try await app.ingest(inbox: inbox, externalId: "d", contact: "c1", extra: ["threadKey": "order-42"])
            #expect(a["conversationId"] as? Int == b["conversationId"] as? Int)
            #expect(a["conversationId"] as? Int != c["conversationId"] as? Int)
            #expect(a["conversationId"] as? Int != d["conversationId"] as? Int)
        }
    }

    /// Each bad input gets a clear problem answer and leaves nothing stored.
    @Test func badInputIsRejectedAndNothingIsStored() async throws {
        try await withTestApp(configure: { $0.maxBodyBytes = 4096 }) { app in
            let inbox = try await app.makeInbox()
            let path = "/api/v1/inboxes/\(inbox)/messages"
            let cases: [(String, ByteBuffer, Int, String, String?)] = [
                ("malformed JSON", ByteBuffer(string: "{\"contact\": "), 400, "malformed_json", nil),
                (
                    "missing externalId", ByteBuffer(string: #"{"contact":{"channel":"api","externalId":"x"},"text":"hi"}"#), 422,
                    "validation_failed", "externalId"
                ),
                (
                    "missing contact id", ByteBuffer(string: #"{"contact":{"channel":"api"},"externalId":"e","text":"hi"}"#), 422,
                    "validation_failed", "contact.externalId"
                ),
                (
                    "unknown channel", ByteBuffer(string: #"{"contact":{"channel":"fax","externalId":"x"},"externalId":"e","text":"hi"}"#), 422,
                    "validation_failed", "contact.channel"
                ),
                (
                    "wrong type", ByteBuffer(string: #"{"contact":{"channel":"api","externalId":"x"},"externalId":5,"text":"hi"}"#), 422,
                    "validation_failed", "externalId"
                ),
                (
                    "no text", ByteBuffer(string: #"{"contact":{"channel":"api","externalId":"x"},"externalId":"e"}"#), 422, "validation_failed",
                    "text"
                ),
                (
                    "bad date",
                    ByteBuffer(string: #"{"contact":{"channel":"api","externalId":"x"},"externalId":"e","text":"a","sentAt":"yesterday"}"#), 422,
                    "validation_failed", "sentAt"
                ),
                (
                    "bad attachment",
                    ByteBuffer(
                        string:
                            #"{"contact":{"channel":"api","externalId":"x"},"externalId":"e","attachments":[{"filename":"a","contentType":"x","dataBase64":"@@"}]}"#
                    ), 422, "validation_failed", "attachments[0].dataBase64"
                ),
                (
                    "invalid UTF-8",
                    ByteBuffer(
                        bytes: Array(#"{"contact":{"channel":"api","externalId":"x"},"externalId":"e","text":""#.utf8) + [0xff, 0xfe]
                            + Array("\"}".utf8)), 400, "invalid_utf8", nil
                ),
                (
                    "too large",
                    ByteBuffer(
                        string: #"{"contact":{"channel":"api","externalId":"x"},"externalId":"e","text":""# + String(repeating: "a", count: 5000)
                            + "\"}"), 413, "body_too_large", nil
                ),
            ]
            for (name, body, status, code, field) in cases {
                let r = try await app.request(.post, path, token: app.agentToken, body: body)
                #expect(Int(r.status.code) == status, "\(name)")
                #expect(r.headers[.contentType] == "application/problem+json", "\(name)")
                let problem = TestApp.object(r)
                #expect(problem["code"] as? String == code, "\(name): \(problem)")
                #expect(problem["status"] as? Int == status, "\(name)")
                if let field { #expect(problem["field"] as? String == field, "\(name): \(problem)") }
            }
            let (_, list) = try await app.admin(.get, "/api/v1/conversations?status=all")
            #expect((list["conversations"] as! [Any]).isEmpty)
            #expect(try await app.store.searchMessages("hi").isEmpty)
        }
    }

    @Test func unknownInboxIs404() async throws {
        try await withTestApp { app in
            let (status, obj) = try await app.ingest(inbox: 999, externalId: "x")
            #expect(status == .notFound)
            #expect(obj["code"] as? String == "not_found")
        }
    }

    @Test func attachmentsAreStoredByContentAndDownloadable() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let png = Data([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).base64EncodedString()
            let files: [[String: Any]] = [["filename": "screen.png", "contentType": "image/png", "dataBase64": png]]
            let (_, r1) = try await app.ingest(inbox: inbox, externalId: "f1", text: "", extra: ["attachments": files])
            _ = try await app.ingest(inbox: inbox, externalId: "f2", text: "same file again", extra: ["attachments": files])
            let message = try #require(try await app.store.conversations.message(id: (r1["messageId"] as! NSNumber).int64Value))
            let sha = try #require(message.attachments.first?.sha256)
            #expect(message.attachments.first?.size == 7)
            let download = try await app.request(.get, "/api/v1/attachments/\(sha)", token: app.agentToken)
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == [0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
            #expect(download.headers[.contentDisposition] == "attachment")
            let files2 = try FileManager.default.subpathsOfDirectory(atPath: app.database.dataDirectory + "/attachments").filter { $0.contains("/") }
            #expect(files2.count == 1)
        }
    }
}
