import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Fetch a LINE customer's display name and picture (once per contact).
struct FetchLINEProfile: JobPayload {
    static let kind = "line.profile"
    @StoredNumber var inboxId: Int64
    @StoredNumber var contactId: Int64
    var userId: String
}

/// Fetch the bytes of a LINE message's image, video, audio or file and attach them.
struct FetchLINEContent: JobPayload {
    static let kind = "line.content"
    @StoredNumber var inboxId: Int64
    @StoredNumber var messageId: Int64
    var lineMessageId: String
}

/// Work a LINE webhook leaves for later: a new contact's profile, a message's image or file.
struct LINEJobs: Sendable {
    let store: KotaeStore
    let client: LINEClient
    let attachments: AttachmentStore
    let pictures: ContactPicture
    let hub: EventHub

    private func token(inbox: Int64) async throws -> String? {
        try await store.inboxes.credentials(id: inbox, as: LINECredentials.self).channelAccessToken
    }

    private func failure(_ error: any Error) -> JobRunner.JobResult {
        if let f = error as? LINEClient.Failure, !f.transient { return .fail(f.description) }
        return .retry("\(error)", after: (error as? LINEClient.Failure)?.retryAfter)
    }

    func profile(_ p: FetchLINEProfile) async throws -> JobRunner.JobResult {
        let contact = p.contactId
        guard let token = try await token(inbox: p.inboxId) else { return .fail("the LINE inbox has no channel access token") }
        do {
            let profile = try await client.profile(userId: p.userId, token: token)
            try await store.contacts.setProfile(contactId: contact, name: profile.displayName, avatarURL: profile.pictureUrl)
            if let url = profile.pictureUrl { await pictures.keep(url, contactId: contact) }
            return .done
        } catch {
            return failure(error)
        }
    }

    func content(_ p: FetchLINEContent) async throws -> JobRunner.JobResult {
        let message = p.messageId, lineId = p.lineMessageId
        guard let token = try await token(inbox: p.inboxId) else { return .fail("the LINE inbox has no channel access token") }
        do {
            let (data, type) = try await client.content(messageId: lineId, token: token)
            let ext = type.hasPrefix("image/") ? "." + type.dropFirst(6).prefix(4) : ""
            let file = try attachments.save(data, filename: "line-\(lineId)\(ext)", contentType: type)
            try await store.conversations.addAttachments(messageId: message, [file])
            if let m = try await store.conversations.message(id: message) {
                hub.publish(.messageUpdated(m.conversationId, message: message, inbox: m.inboxId))
            }
            return .done
        } catch {
            return failure(error)
        }
    }
}
