import Foundation
import KotaeCore
import KotaeStore

/// Listening: an inbox's keywords (the shop's name, its products) watched for in public
/// comments, posts and mentions. A match is labelled `listening: <keyword>`, so a post that
/// asks nothing still stands out in its own view (the customer who fell in the rain with the
/// shop's bicycle deserves a gift, not silence).
enum Listening {
    /// The setting, on every channel with public posts (its settings form adds it).
    static let field = ChannelField(key: "keywords")

    /// The inbox's keywords: comma- or line-separated, compared width- and case-insensitively.
    static func keywords(_ inbox: Inbox) -> [String] { (inbox.settings[field.key] ?? "").settingList }

    static func matches(_ text: String, keywords: [String]) -> [String] {
        let haystack = SearchText.normalize(text)
        return keywords.filter { haystack.contains(SearchText.normalize($0)) }
    }

    /// A new public message's conversation is labelled with the keywords it mentions.
    struct Rule: InboundRule {
        func followUps(for message: Message, in conversation: Conversation, inbox: Inbox) -> [FollowUp] {
            guard conversation.isPublic else { return [] }
            let found = Listening.matches(message.text, keywords: Listening.keywords(inbox))
            return found.isEmpty ? [] : [.labels(found.map { "listening: " + $0 })]
        }
    }
}
