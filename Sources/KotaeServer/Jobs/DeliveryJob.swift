import Crypto
import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Sends one outbound message through its inbox's channel and records the outcome.
struct DeliveryJob: Sendable {
    let store: KotaeStore
    let apiClient: APIChannelClient
    let lineClient: LINEClient
    let graphClient: GraphClient
    let xClient: XClient
    let hub: EventHub

    struct Payload: Encodable {
        let event = "message.outbound"
        let messageId: Int64
        let conversationId: Int64
        let threadKey: String
        let contact: ContactOut
        let text: String
        let attachments: [Attachment]
        /// "public" for an answer in a public thread, "private" for a DM or a private conversation.
        let visibility: String
        let createdAt: Date
    }

    struct ContactOut: Encodable {
        let id: Int64
        let name: String
        let identities: [ContactIdentity]
    }

    func run(_ job: Job) async throws -> JobRunner.JobResult {
        let payload = try JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8))
        guard let idString = payload["messageId"], let id = Int64(idString),
              let message = try await store.message(id: id) else { return .fail("message not found") }
        if message.deliveryState == .sent { return .done }  // already sent by an earlier attempt
        guard let conversation = try await store.conversation(id: message.conversationId),
              let inbox = try await store.inbox(id: message.inboxId),
              let contact = try await store.contact(id: conversation.contactId) else { return .fail("conversation not found") }

        let outcome: DeliveryOutcome
        switch inbox.channel {
        case .api:
            guard let url = inbox.settings["webhookUrl"], !url.isEmpty else {
                outcome = .permanent(reason: "this API inbox has no webhook URL; set one in the inbox settings")
                break
            }
            let secret = try await store.inboxCredentials(id: inbox.id)["webhookSecret"]
            let body = try JSONOut.encoder.encode(Payload(
                messageId: message.id, conversationId: conversation.id, threadKey: conversation.threadKey,
                contact: ContactOut(id: contact.id, name: contact.name, identities: contact.identities),
                text: message.text, attachments: message.attachments,
                visibility: conversation.isPublic && !message.privateReply ? "public" : "private", createdAt: message.createdAt))
            outcome = await apiClient.deliver(url: url, secret: secret, deliveryId: "msg-\(message.id)", body: body)
        case .line:
            outcome = try await deliverLINE(message, conversation: conversation, contact: contact, inbox: inbox)
        case .facebook:
            outcome = try await deliverGraph(message, conversation: conversation, inbox: inbox, platform: .facebook)
        case .instagram:
            outcome = try await deliverGraph(message, conversation: conversation, inbox: inbox, platform: .instagram)
        case .x:
            outcome = try await deliverX(message, conversation: conversation, inbox: inbox)
        default:
            outcome = .permanent(reason: "sending on \(inbox.channel.rawValue) is not available yet")
        }

        switch outcome {
        case .delivered(let externalId):
            try await store.setDelivery(messageId: message.id, state: .sent, error: nil, externalId: externalId)
            hub.publish(HubEvent(type: "message.updated", conversationId: conversation.id, messageId: message.id, inboxId: inbox.id))
            return .done
        case .retry(let reason, let after):
            try await store.setDelivery(messageId: message.id, state: .queued, error: "retrying: " + reason, externalId: nil)
            return .retry(reason, after: after)
        case .permanent(let reason):
            // A refused token stops every reply of the inbox: admins see it on the inbox's
            // settings until someone stores a new one.
            if reason.contains("access token") {
                _ = try? await store.updateInbox(id: inbox.id, name: nil, settings: [Self.credentialProblemKey: reason],
                                                 credentials: nil, slaPolicy: nil)
            }
            return .fail(reason)
        }
    }

    /// The inbox setting that carries a credential problem found while sending.
    static let credentialProblemKey = "credentialProblem"

    /// LINE: the reply token while it is fresh (free of the monthly quota), else a push to the
    /// user, group or room. The push's retry key is derived from the message, so a repeat
    /// after a lost answer is recognised by LINE (409) instead of sent twice.
    func deliverLINE(_ message: Message, conversation: Conversation, contact: Contact, inbox: Inbox) async throws -> DeliveryOutcome {
        guard let token = try await store.inboxCredentials(id: inbox.id)["channelAccessToken"] else {
            return .permanent(reason: "this LINE inbox has no channel access token; set one in the inbox settings")
        }
        let fresh = Date().addingTimeInterval(-LINEWebhookController.replyTokenLifetime)
        if let replyToken = try await store.takeReplyToken(conversationId: conversation.id, notBefore: fresh),
           let outcome = await lineClient.reply(replyToken: replyToken, text: message.text, token: token) {
            return outcome
        }
        let thread = conversation.threadKey
        let to: String
        if thread.hasPrefix("group:") || thread.hasPrefix("room:") {
            to = String(thread.split(separator: ":", maxSplits: 1)[1])
        } else if let user = contact.identities.first(where: { $0.channel == "line" })?.externalId {
            to = user
        } else {
            return .permanent(reason: "the customer has no LINE id to send to")
        }
        return await lineClient.push(to: to, text: message.text, token: token, retryKey: Self.retryKey(inbox: inbox.id, message: message.id))
    }

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
    /// X: on a mention, a reply post under the customer's latest post (or, asked for
    /// privately, a DM); in a DM conversation, a DM.
    func deliverX(_ message: Message, conversation: Conversation, inbox: Inbox) async throws -> DeliveryOutcome {
        guard let token = try await store.inboxCredentials(id: inbox.id)["accessToken"] else {
            return .permanent(reason: "this X inbox has no access token; set one in the inbox settings")
        }
        let thread = conversation.threadKey
        guard let user = thread.split(separator: ":", maxSplits: 1).last.map(String.init), thread.contains(":") else {
            return .permanent(reason: "this conversation has no X user to answer")
        }
        if conversation.isPublic && !message.privateReply {
            guard let post = try await store.latestInbound(conversationId: conversation.id, externalIdPrefix: "x:t:"),
                  let id = post.externalId?.dropFirst(4) else { return .permanent(reason: "there is no post to reply to") }
            return Self.prefixed(await xClient.reply(to: String(id), text: message.text, token: token), "x:t:")
        }
        return Self.prefixed(await xClient.directMessage(to: user, text: message.text, token: token), "x:dm:")
    }

    static func prefixed(_ outcome: DeliveryOutcome, _ prefix: String) -> DeliveryOutcome {
        if case .delivered(let id?) = outcome { return .delivered(externalId: prefix + id) }
        return outcome
    }

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

    /// A UUID that is the same for every attempt of one message (name-based, from its ids).
    static func retryKey(inbox: Int64, message: Int64) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("kotae-line-push:\(inbox):\(message)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5-style, name-based
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// A delivery that will not be tried again: the message shows why.
    func markFailed(_ job: Job, reason: String) async {
        guard let id = (try? JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8)))?["messageId"].flatMap(Int64.init),
              let message = try? await store.message(id: id) else { return }
        try? await store.setDelivery(messageId: id, state: .failed, error: reason, externalId: nil)
        hub.publish(HubEvent(type: "message.updated", conversationId: message.conversationId, messageId: id, inboxId: message.inboxId))
    }
}
