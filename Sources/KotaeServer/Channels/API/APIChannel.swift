import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// The API channel: a shop's own system posts customers' messages to
/// `POST /api/v1/inboxes/{id}/messages` (`APIChannelController`), and each reply is posted,
/// signed, to the inbox's webhook URL.
struct APIChannel: ChannelAdapter {
    let store: KotaeStore
    let client: APIChannelClient

    var kinds: [ChannelKind] { [.api] }

    func form(for kind: ChannelKind) -> ChannelForm { ChannelForm(settings: APIChannelSettings.self, credentials: APIChannelCredentials.self) }
    var name: String { "API" }

    /// The body of the outbound webhook: a reply, for the shop's system to send on.
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

    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let (message, conversation, contact, inbox) = (reply.message, reply.conversation, reply.contact, reply.inbox)
        guard let url = try APIChannelSettings(stored: inbox.settings).webhookUrl, !url.isEmpty else {
            return .permanent(reason: "this API inbox has no webhook URL; set one in the inbox settings")
        }
        let secret = try await store.inboxes.credentials(id: inbox.id, as: APIChannelCredentials.self).webhookSecret
        let body = try JSONEncoder.kotae.encode(
            Payload(
                messageId: message.id, conversationId: conversation.id, threadKey: conversation.threadKey,
                contact: ContactOut(id: contact.id, name: contact.name, identities: contact.identities),
                text: message.text, attachments: message.attachments,
                visibility: conversation.isPublic && !message.privateReply ? "public" : "private", createdAt: message.createdAt))
        return await client.deliver(url: url, secret: secret, deliveryId: "msg-\(message.id)", body: body)
    }
}
