import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing

@Suite struct ContactAndAdminTests {
    @Test func contactsAreFoundAndMerged() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let fb = try await app.makeInbox(channel: "facebook")
            let (_, a) = try await app.ingest(inbox: inbox, externalId: "1", contact: "olivia@example.com")
            let (_, b) = try await app.ingest(inbox: fb, externalId: "fb-1", contact: "PSID-9", name: "Olivia Brown", text: "wrong colour")
            let convA = a["conversationId"] as! Int, convB = b["conversationId"] as! Int
            let ca = try #require(try await app.store.conversations.conversation(id: Int64(convA))).contactId
            let cb = try #require(try await app.store.conversations.conversation(id: Int64(convB))).contactId

            let (_, found) = try await app.admin(.get, "/api/v1/contacts?q=OLIVIA")
            #expect((found["contacts"] as! [[String: Any]]).count == 2)
            let (_, brown) = try await app.admin(.get, "/api/v1/contacts?q=brown")
            #expect((brown["contacts"] as! [[String: Any]]).map { $0["id"] as! Int } == [Int(cb)])

            let (s, merged) = try await app.admin(.post, "/api/v1/contacts/\(ca)/merge", #"{"sourceId":\#(cb)}"#)
            #expect(s == .ok)
            #expect((merged["identities"] as! [[String: Any]]).count == 2)
            let (_, detail) = try await app.admin(.get, "/api/v1/contacts/\(ca)")
            #expect(Set((detail["conversations"] as! [[String: Any]]).map { $0["id"] as! Int }) == [convA, convB])
            // The merged-away contact no longer lists; a new message on Facebook finds the survivor.
            let (_, after) = try await app.admin(.get, "/api/v1/contacts")
            #expect((after["contacts"] as! [[String: Any]]).count == 1)
            let (_, again) = try await app.ingest(inbox: fb, externalId: "fb-2", contact: "PSID-9", name: "Olivia Brown", text: "still wrong")
            let c = try #require(try await app.store.conversations.conversation(id: Int64(again["conversationId"] as! Int)))
            #expect(c.contactId == ca)
            #expect(try await app.admin(.post, "/api/v1/contacts/\(ca)/merge", #"{"sourceId":\#(ca)}"#).0 == .unprocessableContent)
        }
    }

    @Test func credentialsAreEncryptedAtRestAndNeverShown() async throws {
        try await withTestApp { app in
            let id = try await app.makeInbox(channel: "line", credentials: ["channelSecret": "line-very-secret-value"])
            let (_, list) = try await app.admin(.get, "/api/v1/inboxes")
            let inbox = (list["inboxes"] as! [[String: Any]]).first { $0["id"] as? Int == Int(id) }!
            #expect(inbox["hasCredentials"] as? Bool == true)
            #expect(!jsonString(list).contains("line-very-secret-value"))
            let raw = try await app.store.db.read { db in
                try await db.raw("SELECT credentials FROM inboxes WHERE id = \(bind: id)").first()!.decode(column: "credentials", as: String.self)
            }
            #expect(raw.hasPrefix("v1:"))
            #expect(!raw.contains("line-very-secret-value"))
            #expect(try await app.store.inboxes.credentials(id: id)["channelSecret"] == "line-very-secret-value")
            // Another key cannot open it.
            #expect(throws: (any Error).self) { try SecretBox(secret: "other").open(raw) }
        }
    }

    @Test func adminManagesUsersTeamsAndInboxPolicies() async throws {
        try await withTestApp { app in
            let (s, user) = try await app.admin(
                .post, "/api/v1/users", #"{"email":"Emma@Shop.jp","name":"Emma","role":"agent","password":"long-enough"}"#)
            #expect(s == .created && user["email"] as? String == "emma@shop.jp")
            #expect(
                try await app.admin(.post, "/api/v1/users", #"{"email":"emma@shop.jp","name":"E","role":"agent","password":"long-enough"}"#).0
                    == .conflict)
            #expect(
                try await app.admin(.post, "/api/v1/users", #"{"email":"not-an-email","name":"E","role":"agent","password":"long-enough"}"#).1[
                    "field"] as? String == "email")
            #expect(
                try await app.admin(.post, "/api/v1/users", #"{"email":"x@y.jp","name":"E","role":"owner","password":"long-enough"}"#).0
                    == .unprocessableContent)

            let (ts, team) = try await app.admin(.post, "/api/v1/teams", #"{"name":"サポート","memberIds":[\#(user["id"]!)]}"#)
            #expect(ts == .created && (team["memberIds"] as? [Int]) == [user["id"] as! Int])
            #expect(try await app.admin(.post, "/api/v1/teams", #"{"name":"x","memberIds":[999]}"#).1["field"] as? String == "memberIds")

            let policy =
                #"{"firstResponse":3600,"nextResponse":3600,"dueSoonFraction":0.2,"businessHours":{"timeZone":"Asia/Tokyo","week":{"1":[{"start":540,"end":1080}]},"japaneseHolidays":true,"closedDays":["2026-12-31"]}}"#
            let (is_, inbox) = try await app.admin(.post, "/api/v1/inboxes", #"{"name":"Mail","channel":"email","slaPolicy":\#(policy)}"#)
            #expect(is_ == .created)
            #expect(((inbox["slaPolicy"] as! [String: Any])["businessHours"] as! [String: Any])["timeZone"] as? String == "Asia/Tokyo")
            let badTZ = policy.replacingOccurrences(of: "Asia/Tokyo", with: "Mars/Base")
            #expect(try await app.admin(.patch, "/api/v1/inboxes/\(inbox["id"]!)", #"{"slaPolicy":\#(badTZ)}"#).0 == .unprocessableContent)
            #expect(try await app.admin(.post, "/api/v1/inboxes", #"{"name":"x","channel":"pigeon"}"#).1["field"] as? String == "channel")
            #expect(
                try await app.admin(.post, "/api/v1/inboxes", #"{"name":"x","channel":"api","settings":{"webhookUrl":"ftp://x"}}"#).1["field"]
                    as? String == "settings.webhookUrl")

            let (_, disabled) = try await app.admin(.patch, "/api/v1/users/\(app.agent.id)", #"{"disabled":true}"#)
            #expect(disabled["disabled"] as? Bool == true)
            #expect(try await app.request(.get, "/api/v1/conversations", token: app.agentToken).status == .unauthorized)
        }
    }
}
