import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Issue 11, part 7: when the platform says a commenter is someone Kotae knows from
/// Messenger, they are one contact (audited, undoable), not two.
extension FacebookTests {
    @Test func aPrivateReplyReachingAKnownMessengerIdLinksTheTwoContactsWithAnUndo() async throws {
        try await withPage { app, _, inbox in
            // Hanako wrote in Messenger last week (the id the corpus's private reply answers with).
            #expect(try await deliver(app, inbox, messenger("6000000000000001", mid: "m-old", text: "営業時間は？")) == .ok)
            let messengerContact = try #require(try await inbound(app).first).conversationId
            let dmContact = try #require(try await app.store.conversations.conversation(id: messengerContact)).contactId
            // Then she comments on a post: Kotae cannot know yet that this is her.
            let now = Int(Date().timeIntervalSince1970)
            let comment =
                #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(now),"changes":[{"field":"feed","value":{"from":{"id":"7000000000000002","name":"Hanako Yamada"},"post_id":"105000000000001_900000000000003","comment_id":"900000000000003_1200000000000004","created_time":\#(now),"item":"comment","parent_id":"105000000000001_900000000000003","verb":"add","message":"色違いが届きました"}}]}]}"#
            #expect(try await deliver(app, inbox, Data(comment.utf8)) == .ok)
            let commentConversation = try #require(try await inbound(app).first { $0.externalId?.hasPrefix("fb:c:") == true }).conversationId
            let commentContact = try #require(try await app.store.conversations.conversation(id: commentConversation)).contactId
            #expect(commentContact != dmContact)

            // The private reply reaches Messenger id 6000000000000001: the platform says they are one.
            let sent = try await app.replySent(commentConversation, ["text": "ご注文番号を教えてください", "private": true])
            #expect(sent != nil)
            let one = try #require(try await app.store.conversations.conversation(id: commentConversation)).contactId
            #expect(try await app.store.conversations.conversation(id: messengerContact)?.contactId == one, "both conversations under one contact")
            let contact = try #require(try await app.store.contacts.contact(id: one))
            #expect(Set(contact.identities.map(\.externalId)) == ["7000000000000002", "6000000000000001"])
            let merged = try await app.store.events(ofType: "contact.merged")
            #expect(
                !merged.isEmpty && merged.allSatisfy { $0.actorUserId == nil && $0.data.contains("private_reply_recipient") },
                "audited as Kotae's own")

            // An agent sees it on the contact and undoes it: two contacts as before.
            let (_, detail) = try await app.admin(.get, "/api/v1/contacts/\(one)")
            let merges = try #require(detail["merges"] as? [[String: Any]])
            #expect(merges.count == 1 && merges[0]["reason"] as? String == "private_reply_recipient")
            let mergeId = try #require(merges[0]["id"] as? Int)
            let (undone, out) = try await app.admin(.post, "/api/v1/contact-merges/\(mergeId)/undo")
            #expect(undone == .ok, "\(out)")
            let dmAfter = try #require(try await app.store.conversations.conversation(id: messengerContact)).contactId
            let commentAfter = try #require(try await app.store.conversations.conversation(id: commentConversation)).contactId
            #expect(dmAfter != commentAfter && Set([dmAfter, commentAfter]) == Set([dmContact, commentContact]))
            #expect(try await app.store.contacts.contact(id: commentContact)?.identities.map(\.externalId) == ["7000000000000002"])
            #expect(try await app.store.contacts.contact(id: dmContact)?.identities.map(\.externalId) == ["6000000000000001"])
            #expect(try await app.store.events(ofType: "contact.unmerged").first?.actorUserId == app.admin.id)
            // Undoing twice is refused with a reason, and changes nothing.
            #expect(try await app.admin(.post, "/api/v1/contact-merges/\(mergeId)/undo").0 == .conflict)
        }
    }
}
