import KotaeCore

extension AppServices {
    /// The inbox a channel's own route writes into: 404 when there is none, 409
    /// (`not_an_<channel>_inbox`) when it is another channel's, so nothing is stored where it
    /// does not belong. `refusal` says, for the agent, where such input goes instead.
    func inbox(_ id: ID, of channel: ChannelKind, refusal: String) async throws -> Inbox {
        guard let inbox = try await store.inboxes.find(id: id) else { throw APIError.notFound("inbox") }
        guard inbox.channel == channel else {
            throw APIError(
                .conflict, code: "not_an_\(channel.rawValue)_inbox", detail: "inbox \(inbox.id) is a \(inbox.channel.rawValue) inbox; \(refusal)")
        }
        return inbox
    }
}
