import Foundation
import KotaeChannels
import KotaeStore

/// Names a Messenger or Instagram customer known only by their platform id (Graph's
/// webhooks carry no name) and keeps their picture, after the webhook was answered.
struct GraphProfileJob: Sendable {
    let store: KotaeStore
    let graph: GraphClient
    let pictures: ContactPicture
    let hub: EventHub

    func run(_ job: Job) async throws -> JobRunner.JobResult {
        let p = try JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8))
        guard let inbox = p["inboxId"].flatMap(Int64.init), let contact = p["contactId"].flatMap(Int64.init),
              let user = p["userId"] else { return .fail("bad payload") }
        let credentials = try await store.inboxCredentials(id: inbox)
        guard let token = credentials["pageAccessToken"] ?? credentials["accessToken"] else { return .fail("the inbox has no access token") }
        switch await graph.profile(id: user, instagram: p["platform"] == "instagram", token: token) {
        case .success(let profile):
            try await store.setContactProfile(contactId: contact, name: profile.name, avatarURL: profile.pictureURL)
            if let url = profile.pictureURL { await pictures.keep(url, contactId: contact) }
            hub.publish(HubEvent(type: "contact.updated", inboxId: inbox))
            return .done
        case .failure(let e):
            // No profile access (the person did not opt in, or a permission is missing) is
            // final: the id stays the name.
            return .graph(e)
        }
    }
}
