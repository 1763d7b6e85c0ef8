import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// An Instagram @mention, after the webhook (which carries only ids) was answered: fetches
/// what was written and stores it as a public "mention" conversation with its author, so a
/// post that asks nothing is still seen (and answered, or closed with a reason).
struct InstagramMentionJob: Sendable {
    /// The mention's ids, as the webhook gave them.
    struct Payload: JobPayload {
        static let kind = "instagram.mention"
        @StoredNumber var inboxId: Int64
        var mediaId: String
        var commentId: String?
        /// When the webhook arrived (seconds since 1970): the mention's time if Graph has none.
        @StoredNumber var at: Double
    }

    let store: KotaeStore
    let graph: GraphClient
    /// The mention, once read, comes in like any customer's message.
    let inbound: InboundPipeline

    func run(_ p: Payload) async throws -> JobRunner.JobResult {
        let media = p.mediaId, at = p.at
        guard let inbox = try await store.inboxes.find(id: p.inboxId) else { return .fail("the inbox was deleted") }
        guard let token = try await MetaSettings.Credentials.load(inbox, from: store).token, let account = try MetaSettings(inbox).account else {
            return .retry("the inbox needs its account ID and access token to read a mention", after: 3600)
        }
        let comment = p.commentId
        switch await graph.mentioned(accountId: account, mediaId: media, commentId: comment, token: token) {
        case .success(let found):
            try await keep(found, inbox: inbox, media: media, comment: comment, at: Date(timeIntervalSince1970: at))
            return .done
        case .failure(let e):
            // Deleted since, or on media whose comments were turned off, is final: nothing left to read.
            return .graph(e)
        }
    }

    private func keep(_ found: GraphClient.Mentioned, inbox: Inbox, media: String, comment: String?, at: Date) async throws {
        let platform = GraphWebhook.Platform.instagram
        // Graph names the author only by username here (no Instagram-scoped id).
        let who = found.username.map { "@" + $0 } ?? "media:" + media
        var text = found.text
        if comment == nil, let link = found.permalink { text += (text.isEmpty ? "" : "\n") + link }
        let message = InboundMessage(
            identity: (platform.channel, who), contactName: found.username,
            externalId: platform.mention.id(comment.map { "c:\(media)/\($0)" } ?? "m:\(media)"),
            threadKey: ThreadKind.mentions.key(who), text: text, isPublic: true, sentAt: found.at ?? at)
        _ = try await inbound.accept(message, inbox: inbox)
    }

    /// The parts of a mention's id in Kotae: the media, and the comment for a comment mention.
    static func target(of externalId: String) -> (media: String, comment: String?)? {
        guard let rest = ExternalIDKind.instagramMention.platformID(of: externalId) else { return nil }
        if rest.hasPrefix("c:") {
            let parts = rest.dropFirst(2).split(separator: "/", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        return rest.hasPrefix("m:") ? (String(rest.dropFirst(2)), nil) : nil
    }
}
