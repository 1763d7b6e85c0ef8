import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Fetch a Messenger or Instagram customer's name and picture (once per contact).
struct FetchGraphProfile: JobPayload {
    static let kind = "graph.profile"
    @StoredNumber var inboxId: Int64
    @StoredNumber var contactId: Int64
    var userId: String
    /// `facebook` or `instagram`: the profile fields differ.
    var platform: String
}

/// Names a Messenger or Instagram customer known only by their platform id (Graph's
/// webhooks carry no name) and keeps their picture, after the webhook was answered.
struct GraphProfileJob: Sendable {
    let store: KotaeStore
    let graph: GraphClient
    let pictures: ContactPicture
    let hub: EventHub

    func run(_ p: FetchGraphProfile) async throws -> JobRunner.JobResult {
        let inbox = p.inboxId, contact = p.contactId, user = p.userId
        guard let token = try await MetaSettings.Credentials.load(inboxId: inbox, from: store)?.token else {
            return .fail("the inbox has no access token")
        }
        switch await graph.profile(id: user, instagram: p.platform == "instagram", token: token) {
        case .success(let profile):
            try await store.contacts.setProfile(contactId: contact, name: profile.name, avatarURL: profile.pictureURL)
            if let url = profile.pictureURL { await pictures.keep(url, contactId: contact) }
            hub.publish(.contactUpdated(inbox: inbox))
            return .done
        case .failure(let e):
            // No profile access (the person did not opt in, or a permission is missing) is
            // final: the id stays the name.
            return .graph(e)
        }
    }
}
