import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

extension DeliveryJob {
    /// Facebook and Instagram (Facebook Login: the Page's id and token). In a comment thread:
    /// a public reply under the customer's latest comment, or,
    /// asked for privately, the Messenger thread a private reply opened (inside its window)
    /// else a private reply to that comment. In Messenger: the Send API inside the 24-hour
    /// window, with the HUMAN_AGENT tag up to 7 days where the page has it, else a clear refusal.
    func deliverGraph(_ message: Message, conversation: Conversation, inbox: Inbox, platform: GraphWebhook.Platform) async throws -> DeliveryOutcome {
        let credentials = try await store.inboxCredentials(id: inbox.id)
        // Facebook names the page; an Instagram inbox names its account (Facebook Login: the same endpoints).
        guard let token = credentials["pageAccessToken"] ?? credentials["accessToken"],
              let pageId = inbox.settings["pageId"] ?? inbox.settings["accountId"] else {
            return .permanent(reason: "this inbox needs its page ID and access token; set them in the inbox settings")
        }
        let m = platform.message, c = platform.comment
        let now = Date()
        func windowed(_ psid: String) async throws -> (GraphClient.Messaging?, String) {
            let last = try await store.latestInbound(conversationId: conversation.id, externalIdPrefix: m)
            let age = last.map { now.timeIntervalSince($0.sentAt ?? $0.createdAt) } ?? .infinity
            if age < 24 * 3600 { return (.response, psid) }
            if age < 7 * 86400 && inbox.settings["humanAgentTag"] == "true" { return (.humanAgent, psid) }
            return (nil, psid)
        }
        if conversation.isPublic {
            guard let comment = try await store.latestInbound(conversationId: conversation.id, externalIdPrefix: c),
                  let commentId = comment.externalId?.dropFirst(c.count) else {
                return .permanent(reason: "there is no comment in this conversation to answer")
            }
            if !message.privateReply {
                return Self.outcome(await graphClient.publicReply(commentId: String(commentId), edge: platform.replyEdge, text: message.text, token: token), prefix: c)
            }
            if let psid = try await store.directRecipient(conversationId: conversation.id, threadPrefix: platform.dmThread),
               case (let messaging?, _) = try await windowed(psid) {
                return Self.outcome(await graphClient.send(pageId: pageId, psid: psid, text: message.text, messaging: messaging, token: token), prefix: m)
            }
            if now.timeIntervalSince(comment.sentAt ?? comment.createdAt) > 7 * 86400 {
                return .permanent(reason: "a private reply is possible only within 7 days of the comment")
            }
            let result = await graphClient.privateReply(pageId: pageId, commentId: String(commentId), text: message.text, token: token)
            if case .success(let sent) = result, let psid = sent.recipientId {
                // Their Messenger answer continues this conversation, under this contact.
                try await store.linkThread(inboxId: inbox.id, alias: platform.dmThread + ":" + psid, conversationId: conversation.id,
                                           identity: ContactIdentity(channel: platform.channel, externalId: psid))
            }
            return Self.outcome(result, prefix: m)
        }
        guard let psid = try await store.directRecipient(conversationId: conversation.id, threadPrefix: platform.dmThread) else {
            return .permanent(reason: "the customer has no Messenger id to send to")
        }
        guard case (let messaging?, _) = try await windowed(psid) else {
            return .permanent(reason: "outside Messenger's 24-hour window: the customer must write again (or the page needs the human agent tag, up to 7 days)")
        }
        return Self.outcome(await graphClient.send(pageId: pageId, psid: psid, text: message.text, messaging: messaging, token: token), prefix: m)
    }

    /// `prefix`: the namespace of the id Graph returns (a Messenger message, or a comment),
    /// so a later echo or webhook of the same item is recognised as ours.
    static func outcome(_ result: Result<GraphClient.Sent, GraphError>, prefix: String) -> DeliveryOutcome {
        switch result {
        case .success(let sent): return .delivered(externalId: sent.messageId.map { prefix + $0 })
        case .failure(let e) where e.transient: return .retry(reason: e.description, after: 60)
        case .failure(let e) where e.isTokenProblem:
            return .permanent(reason: "Facebook rejected the page access token (expired or revoked): set a new one in the inbox settings. \(e.message)")
        case .failure(let e) where e.isOutsideWindow:
            return .permanent(reason: "outside Messenger's 24-hour window: the customer must write again. \(e.message)")
        case .failure(let e): return .permanent(reason: e.description)
        }
    }
}
