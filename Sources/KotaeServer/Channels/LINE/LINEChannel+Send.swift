import Crypto
import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

extension LINEChannel {
    /// The reply token while it is fresh (free of the monthly quota), else a push to the
    /// user, group or room. The push's retry key is derived from the message, so a repeat
    /// after a lost answer is recognised by LINE (409) instead of sent twice.
    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let (message, conversation, contact, inbox) = (reply.message, reply.conversation, reply.contact, reply.inbox)
        guard let token = try await store.inboxes.credentials(id: inbox.id, as: LINECredentials.self).channelAccessToken else {
            return .channelProblem(reason: "this LINE inbox has no channel access token; set one in the inbox settings")
        }
        var images: [String] = []
        for file in message.attachments {
            guard let url = fileLinks.url(for: file) else { return .noPublicAddress }
            images.append(url)
        }
        let fresh = clock.now.addingTimeInterval(-Self.replyTokenLifetime)
        if let replyToken = try await store.channelState.takeReplyToken(conversationId: conversation.id, notBefore: fresh),
            let outcome = await client.reply(replyToken: replyToken, text: message.text, imageURLs: images, token: token)
        {
            return outcome
        }
        let thread = conversation.threadKey
        let to: String
        if let group = ThreadKind.lineGroup.id(of: thread) ?? ThreadKind.lineRoom.id(of: thread) {
            to = group
        } else if let user = contact.identities.first(where: { $0.channel == "line" })?.externalId {
            // LINE accepts a push to someone who blocked the account and delivers nothing.
            if try await blockedSince(conversation) != nil {
                return .permanent(reason: "the customer has blocked the shop's LINE account: LINE would not deliver it")
            }
            to = user
        } else {
            return .permanent(reason: "the customer has no LINE id to send to")
        }
        return await client.push(
            to: to, text: message.text, imageURLs: images, token: token, retryKey: Self.retryKey(inbox: inbox.id, message: message.id))
    }

    /// A UUID that is the same for every attempt of one message (name-based, from its ids).
    static func retryKey(inbox: Int64, message: Int64) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("kotae-line-push:\(inbox):\(message)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5-style, name-based
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
