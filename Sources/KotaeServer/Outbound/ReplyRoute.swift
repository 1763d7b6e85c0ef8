import Foundation
import KotaeChannels
import KotaeCore

/// Where a reply in one conversation goes and what it may carry, as its channel says
/// (`ChannelAdapter.replyRoute`). The reply API refuses what the route cannot carry before
/// anything is stored; the composer says the same before the agent writes; delivery keeps to it.
struct ReplyRoute: Sendable, Equatable {
    /// The platform's file rules for this route (kinds, sizes, counts, or text only).
    var files: OutboundFiles.Route
    /// A private reply is refused here (an Instagram @mention on someone else's media).
    var publicOnly = false
    /// A window the platform keeps open after the customer's last message (Messenger's 24
    /// hours, 7 days with the Human Agent permission); nil where none applies.
    var window: Window?
    /// Since when the customer cannot receive anything (they blocked the shop on LINE).
    var blockedSince: Date?
    /// The customer's address was found not to exist (an email bounce), with the server's words.
    var undeliverable: Undeliverable?

    struct Undeliverable: Sendable, Equatable {
        var address: String
        var reason: String
        var since: Date
    }

    enum Window: Sendable, Equatable {
        /// A reply can go now.
        case open
        /// Nothing can go until the customer writes again.
        case closed
    }

    /// A channel that sets no limits (the API channel).
    static let any = ReplyRoute(files: .any)

    /// Why a private reply cannot go here, in `language`; nil when it can.
    func privateRefusal(in language: String) -> String? { publicOnly ? WebStrings.text("refuse_privateMention", language) : nil }
}

extension OutboundFiles.Refusal {
    /// The reason in `language` (the agent's, for the composer; English for a delivery reason).
    func said(in language: String) -> String { WebStrings.text(text.key, language, text.values) }
}

extension OutboundFiles.Route {
    /// Routes whose platform fetches a shop's file from a link instead of taking an upload.
    var fetchesByLink: Bool { [.line, .messenger, .instagramDM, .facebookComment].contains(self) }

    /// The composer's line on what files a reply by this route carries (a strings key).
    var filesHintKey: String? {
        switch self {
        case .line: "filesLINE"
        case .messenger: "filesMessenger"
        case .instagramDM: "filesInstagram"
        case .facebookComment: "filesFacebookPublic"
        case .instagramComment: "filesInstagramPublic"
        case .instagramMention: "filesInstagramMention"
        case .x: "filesX"
        case .privateReplyToComment, .any: nil
        }
    }
}
