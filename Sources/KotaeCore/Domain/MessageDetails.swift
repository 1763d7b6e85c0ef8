import Foundation

/// What a channel knows about a message beyond its text, shown with it in the timeline.
public struct MessageDetails: Codable, Sendable, Equatable {
    /// The post a public comment belongs to (or the public post itself), on the platform.
    public var postURL: String?
    /// An e-mail's envelope as its reader sees it.
    public var email: EmailHeaders?

    public init(postURL: String? = nil, email: EmailHeaders? = nil) {
        self.postURL = postURL
        self.email = email
    }

    public var isEmpty: Bool { postURL == nil && email == nil }
}

/// The headers an agent reads on an e-mail: subject and who it went between.
public struct EmailHeaders: Codable, Sendable, Equatable {
    public var subject: String
    public var from: String
    public var to: [String]
    public var cc: [String]

    public init(subject: String, from: String, to: [String], cc: [String] = []) {
        self.subject = subject
        self.from = from
        self.to = to
        self.cc = cc
    }
}
