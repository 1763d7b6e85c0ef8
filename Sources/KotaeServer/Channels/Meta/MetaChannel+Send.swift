import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

extension MetaChannel {
    /// Facebook and Instagram (Facebook Login: the Page's id and token). In a comment thread:
    /// a public reply under the comment it answers (the latest unanswered by default), or,
    /// asked for privately, the Messenger thread a private reply opened (inside its window)
    /// else a private reply to that comment. In Messenger: the Send API inside the 24-hour
    /// window, with the HUMAN_AGENT tag up to 7 days where the page has it, else a clear refusal.
    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let (message, conversation, inbox) = (reply.message, reply.conversation, reply.inbox)
        let platform = Self.platform(of: inbox)
        let settings = try MetaSettings(inbox)
        // Facebook names the page; an Instagram inbox names its account (Facebook Login: the same endpoints).
        guard let token = try await MetaSettings.Credentials.load(inbox, from: store).token, let pageId = settings.account else {
            return .channelProblem(reason: "this inbox needs its page ID and access token; set them in the inbox settings")
        }
        let m = platform.message, c = platform.comment
        let now = clock.now
        if conversation.isInstagramMention, let mention = try await store.conversations.replyTarget(of: message, kind: platform.mention),
            let target = InstagramMentionJob.target(of: mention.externalId ?? "")
        {
            // An @mention on someone else's media: answered in public only, text only.
            guard !message.privateReply else { return .permanent(reason: WebStrings.text("refuse_privateMention", "en")) }
            return Self.outcome(
                await graph.replyToMention(
                    accountId: pageId, mediaId: target.media, commentId: target.comment,
                    text: message.text, token: token), prefix: c)
        }
        if conversation.isPublic {
            // The comment the agent chose to answer (the latest unanswered one by default).
            guard let comment = try await store.conversations.replyTarget(of: message, kind: c), let commentId = c.platformID(of: comment.externalId)
            else {
                return .permanent(reason: "there is no comment in this conversation to answer")
            }
            if !message.privateReply {
                var picture: String?
                if let file = message.attachments.first {
                    guard let url = fileLinks.url(for: file) else { return .noPublicAddress }
                    picture = url
                }
                return Self.outcome(
                    await graph.publicReply(
                        commentId: String(commentId), edge: platform.replyEdge, text: message.text,
                        attachmentURL: picture, token: token), prefix: c)
            }
            if let psid = try await store.channelState.directRecipient(conversationId: conversation.id, thread: platform.dmThread),
                let messaging = try await messaging(conversation, inbox: inbox, now: now).messaging
            {
                return try await sendParts(message, inbox: inbox, pageId: pageId, psid: psid, messaging: messaging, token: token, prefix: m)
            }
            if now.timeIntervalSince(comment.sentAt ?? comment.createdAt) > 7 * 86400 {
                return .permanent(reason: "a private reply is possible only within 7 days of the comment")
            }
            if !message.attachments.isEmpty {
                return .permanent(reason: "the first private reply to a comment is a single text message; send the files once the customer answers")
            }
            let result = await graph.privateReply(pageId: pageId, commentId: String(commentId), text: message.text, token: token)
            if case .success(let sent) = result, let psid = sent.recipientId {
                // Their Messenger answer continues this conversation, under this contact.
                try await store.channelState.linkThread(
                    inboxId: inbox.id, alias: platform.dmThread.key(psid), conversationId: conversation.id,
                    identity: ContactIdentity(channel: platform.channel, externalId: psid))
            }
            return Self.outcome(result, prefix: m)
        }
        guard let psid = try await store.channelState.directRecipient(conversationId: conversation.id, thread: platform.dmThread) else {
            return .permanent(reason: "the customer has no Messenger id to send to")
        }
        guard let messaging = try await messaging(conversation, inbox: inbox, now: now).messaging else {
            return .permanent(
                reason: "outside Messenger's 24-hour window: the customer must write again (or the page needs the human agent tag, up to 7 days)")
        }
        return try await sendParts(message, inbox: inbox, pageId: pageId, psid: psid, messaging: messaging, token: token, prefix: m)
    }

    /// The Send API carries one thing per message: the text, then each file from its signed
    /// link. A retry after a failure sends only the parts not yet sent.
    func sendParts(
        _ message: Message, inbox: Inbox, pageId: String, psid: String, messaging: GraphClient.Messaging,
        token: String, prefix: ExternalIDKind
    ) async throws -> DeliveryOutcome {
        enum Part { case text(String), file(Attachment) }
        let parts = (message.text.isEmpty ? [] : [Part.text(message.text)]) + message.attachments.map(Part.file)
        let several = parts.count > 1
        let done = several ? try await store.channelState.sentParts(messageId: message.id) : []
        var firstId: String?
        for (i, part) in parts.enumerated() where !done.contains(i) {
            let result: Result<GraphClient.Sent, GraphError>
            switch part {
            case .text(let text):
                result = await graph.send(pageId: pageId, psid: psid, text: text, messaging: messaging, token: token)
            case .file(let file):
                guard let url = fileLinks.url(for: file) else { return .noPublicAddress }
                result = await graph.sendAttachment(
                    pageId: pageId, psid: psid, type: OutboundFiles.graphType(file.contentType),
                    url: url, messaging: messaging, token: token)
            }
            guard case .success(let sent) = result else { return Self.outcome(result, prefix: prefix) }
            let id = sent.messageId.map(prefix.id)
            if several { try await store.channelState.markPartSent(messageId: message.id, part: i, inboxId: inbox.id, externalId: id) }
            if firstId == nil { firstId = id }
        }
        return .delivered(externalId: firstId)
    }

    /// `prefix`: the namespace of the id Graph returns (a Messenger message, or a comment),
    /// so a later echo or webhook of the same item is recognised as ours.
    static func outcome(_ result: Result<GraphClient.Sent, GraphError>, prefix: ExternalIDKind) -> DeliveryOutcome {
        switch result {
        case .success(let sent): return .delivered(externalId: sent.messageId.map(prefix.id))
        case .failure(let e) where e.throttled: return .throttled(reason: e.description, after: e.regainAccessAfter)
        case .failure(let e) where e.transient: return .retry(reason: e.description, after: nil)
        case .failure(let e) where e.isTokenProblem:
            return .channelProblem(
                reason: "Facebook rejected the page access token (expired or revoked): set a new one in the inbox settings. \(e.message)")
        case .failure(let e) where e.isOutsideWindow:
            return .permanent(reason: "outside Messenger's 24-hour window: the customer must write again. \(e.message)")
        case .failure(let e) where e.isPermissionProblem:
            return .channelProblem(
                reason:
                    "the page's access token lacks a permission Kotae needs (pages_messaging, pages_manage_engagement): grant it and store the new token. \(e.message)"
            )
        case .failure(let e): return .permanent(reason: e.description)
        }
    }
}
