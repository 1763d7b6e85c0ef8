import Foundation
import KotaeCore
import KotaeStore

/// Listening: an inbox's keywords (the shop's name, its products) watched for in public
/// comments, posts and mentions. A match is labelled `listening: <keyword>`, so a post that
/// asks nothing still stands out in its own view (the customer who fell in the rain with the
/// shop's bicycle deserves a gift, not silence).
enum Listening {
    static let settingKey = "keywords"

    /// The inbox's keywords: comma- or line-separated, compared width- and case-insensitively.
    static func keywords(_ inbox: Inbox) -> [String] {
        (inbox.settings[settingKey] ?? "").split(whereSeparator: { $0 == "," || $0 == "、" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func matches(_ text: String, keywords: [String]) -> [String] {
        let haystack = SearchText.normalize(text)
        return keywords.filter { haystack.contains(SearchText.normalize($0)) }
    }

    /// Labels a new public message's conversation with the keywords it mentions.
    static func apply(_ app: AppServices, inbox: Inbox, message: Message, conversation: Conversation) async throws {
        guard conversation.isPublic else { return }
        let found = matches(message.text, keywords: keywords(inbox))
        guard !found.isEmpty else { return }
        _ = try await app.store.change(conversationId: conversation.id, .labels(add: found.map { "listening: " + $0 }, remove: []), actor: nil)
        app.hub.publish(HubEvent(type: "conversation.updated", conversationId: conversation.id, inboxId: inbox.id))
    }
}
