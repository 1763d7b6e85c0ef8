import Foundation

/// A visitor of the shop's site as the chat widget knows them (per inbox): an anonymous key
/// kept in their browser, or one derived from the shop's signed customer id.
public struct ChatVisitor: Codable, Sendable, Equatable {
    /// A page the visitor was on, newest last.
    public struct Page: Codable, Sendable, Equatable {
        public var url: String
        public var title: String
        public var at: Date

        public init(url: String, title: String, at: Date) {
            self.url = url
            self.title = title
            self.at = at
        }
    }

    public var inboxId: ID
    public var key: String
    /// Where replies the visitor has not seen in the widget are sent.
    public var email: String?
    public var locale: String?
    public var pages: [Page]
    public var lastSeenAt: Date

    /// How many pages the agent is shown.
    public static let trailLength = 5

    public init(inboxId: ID, key: String, email: String?, locale: String?, pages: [Page], lastSeenAt: Date) {
        self.inboxId = inboxId
        self.key = key
        self.email = email
        self.locale = locale
        self.pages = pages
        self.lastSeenAt = lastSeenAt
    }

    /// The visitor key inside a chat thread key (`chat:<visitor>/<first client id>`).
    public static func visitorKey(ofThread threadKey: String) -> String? {
        ThreadKind.chat.id(of: threadKey).flatMap { $0.split(separator: "/", maxSplits: 1).first.map(String.init) }
    }
}
