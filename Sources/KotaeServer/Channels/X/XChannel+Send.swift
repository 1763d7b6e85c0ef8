import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

extension XChannel {
    /// X: on a mention, a reply post under the post it answers (the latest unanswered by default; or, asked for
    /// privately, a DM); in a DM conversation, a DM.
    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let (message, conversation, inbox) = (reply.message, reply.conversation, reply.inbox)
        guard let token = try await store.inboxes.credentials(id: inbox.id, as: XCredentials.self).accessToken else {
            return .channelProblem(reason: "this X inbox has no access token; set one in the inbox settings")
        }
        // Replies are checked when sent; this guards any other way in (never drop a file silently).
        if let refusal = OutboundFiles.refusal(message.attachments, route: .x, hasText: !message.text.isEmpty) {
            return .permanent(reason: refusal.said(in: "en"))
        }
        let thread = conversation.threadKey
        guard let user = thread.split(separator: ":", maxSplits: 1).last.map(String.init), thread.contains(":") else {
            return .permanent(reason: "this conversation has no X user to answer")
        }
        if conversation.isPublic && !message.privateReply {
            guard let post = try await store.conversations.replyTarget(of: message, kind: .xPost),
                let id = post.externalId?.dropFirst(4)
            else { return .permanent(reason: "there is no post to reply to") }
            return Self.prefixed(await client.reply(to: String(id), text: message.text, token: token), .xPost)
        }
        return Self.prefixed(await client.directMessage(to: user, text: message.text, token: token), .xDirectMessage)
    }

    static func prefixed(_ outcome: DeliveryOutcome, _ kind: ExternalIDKind) -> DeliveryOutcome {
        if case .delivered(let id?) = outcome { return .delivered(externalId: kind.id(id)) }
        return outcome
    }
}
