import Foundation
import KotaeCore
import KotaeStore

/// Why a reply did not go, in the agent's language, with what to do. The platform's own
/// words stay available as the detail (they are the evidence an admin may need), but the
/// sentence an agent reads first is Kotae's.
enum DeliveryExplanation {
    /// Stable parts of the reasons Kotae's channels give, each with the key of its explanation.
    /// Checked in order: the first that the reason contains wins.
    private static let catalog: [(needle: String, key: String)] = [
        ("no webhook URL", "fail_noWebhook"),
        ("webhook URL is not an http", "fail_noWebhook"),
        ("is not available yet", "fail_channelUnavailable"),
        ("24-hour window", "fail_windowClosed"),
        ("blocked the shop's LINE", "fail_lineBlocked"),
        ("monthly message limit", "fail_lineMonthly"),
        ("within 7 days of the comment", "fail_privateReplyExpired"),
        ("first private reply to a comment is a single text", "fail_privateReplyText"),
        ("lacks a permission", "fail_permission"),
        ("rejected the", "fail_credentials"),
        ("access token", "fail_credentials"),
        ("needs its page ID", "fail_credentials"),
        ("has no Messenger id", "fail_noRecipient"),
        ("has no LINE id", "fail_noRecipient"),
        ("has no X user", "fail_noRecipient"),
        ("no comment in this conversation", "fail_noComment"),
        ("no post to reply to", "fail_noComment"),
        ("webhook answered", "fail_webhookRefused"),
        ("public address", "fail_noPublicAddress"),
    ]

    /// The agent's sentence for a stored delivery error.
    static func headline(_ reason: String, t: [String: String]) -> String {
        let key = catalog.first { reason.contains($0.needle) }?.key ?? "fail_generic"
        return t[key] ?? t["fail_generic"] ?? reason
    }
}

/// Why this conversation cannot be answered here, said before the agent writes: nil when a
/// reply can go. Notes are always possible.
enum ReplyAvailability {
    static func blocker(_ c: Conversation, inbox: Inbox, t: [String: String]) -> String? {
        switch inbox.channel {
        case .email:
            // Replies leave by the inbox's SMTP server (or Rakuten's relay for masked addresses).
            if [inbox.settings["smtpHost"], inbox.settings["rakutenRelayHost"]].allSatisfy({ ($0 ?? "").isEmpty }) {
                return t["cannot_noSMTP"]
            }
        case .chat, .form:
            return t["cannot_channelUnavailable"]
        case .api:
            if (try? APIChannelSettings(stored: inbox.settings).webhookUrl ?? "")?.isEmpty != false { return t["cannot_noWebhook"] }
        case .facebook, .instagram, .x, .line:
            if !inbox.hasCredentials { return t["cannot_noCredentials"] }
        }
        if inbox.settings[Inbox.channelProblemSetting] != nil { return t["cannot_channelProblem"] }
        return nil
    }
}
