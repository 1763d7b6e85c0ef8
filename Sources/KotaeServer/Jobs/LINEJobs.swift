import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Work a LINE webhook leaves for later: a new contact's profile, a message's image or file.
struct LINEJobs: Sendable {
    let store: KotaeStore
    let client: LINEClient
    let attachments: AttachmentStore
    let pictures: ContactPicture
    let hub: EventHub

    private func token(_ payload: [String: String]) async throws -> String? {
        guard let inbox = payload["inboxId"].flatMap(Int64.init) else { return nil }
        return try await store.inboxCredentials(id: inbox)["channelAccessToken"]
    }

    private func failure(_ error: any Error) -> JobRunner.JobResult {
        if let f = error as? LINEClient.Failure, !f.transient { return .fail(f.description) }
        return .retry("\(error)", after: (error as? LINEClient.Failure)?.retryAfter)
    }

    func profile(_ job: Job) async throws -> JobRunner.JobResult {
        let p = try JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8))
        guard let contact = p["contactId"].flatMap(Int64.init), let user = p["userId"] else { return .fail("bad payload") }
        guard let token = try await token(p) else { return .fail("the LINE inbox has no channel access token") }
        do {
            let profile = try await client.profile(userId: user, token: token)
            try await store.setContactProfile(contactId: contact, name: profile.displayName, avatarURL: profile.pictureUrl)
            if let url = profile.pictureUrl { await pictures.keep(url, contactId: contact) }
            return .done
        } catch {
            return failure(error)
        }
    }

    func content(_ job: Job) async throws -> JobRunner.JobResult {
        let p = try JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8))
        guard let message = p["messageId"].flatMap(Int64.init), let lineId = p["lineMessageId"] else { return .fail("bad payload") }
        guard let token = try await token(p) else { return .fail("the LINE inbox has no channel access token") }
        do {
            let (data, type) = try await client.content(messageId: lineId, token: token)
            let ext = type.hasPrefix("image/") ? "." + type.dropFirst(6).prefix(4) : ""
            let file = try attachments.save(data, filename: "line-\(lineId)\(ext)", contentType: type)
            try await store.addAttachments(messageId: message, [file])
            if let m = try await store.message(id: message) {
                hub.publish(HubEvent(type: "message.updated", conversationId: m.conversationId, messageId: message, inboxId: m.inboxId))
            }
            return .done
        } catch {
            return failure(error)
        }
    }
}
