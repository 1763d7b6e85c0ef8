import KotaeCore

/// What each platform accepts as files from a shop, checked when the agent sends the reply
/// so a file the platform cannot carry is refused with the reason, before anything is
/// stored, rather than dropped on the way.
public enum OutboundFiles {
    /// Where a reply goes.
    public enum Route: Sendable, Equatable {
        /// A LINE reply or push: text plus pictures, five messages at most.
        case line
        case messenger
        case instagramDM
        /// A public answer under a Facebook comment: one picture.
        case facebookComment
        /// A public answer under an Instagram comment: text only.
        case instagramComment
        /// An answer to an Instagram @mention on someone else's media: public, text only.
        case instagramMention
        /// The first private reply to a comment: one text message, by the platform's rule.
        case privateReplyToComment
        case x
        /// Channels that carry any file (email, the API channel).
        case any
    }

    /// Why files cannot go, said in the agent's language (the composer shows it as is).
    public enum Refusal: Sendable, Equatable {
        case textOnly(Route)
        case onePicture
        /// LINE: five messages per request, the text counting as one.
        case tooMany(maxFiles: Int)
        case kind(filename: String, route: Route)
        case tooLarge(filename: String, maxMB: Int)

        /// The UI strings' key of the reason, and the values it names (`{name}`, `{n}`, `{mb}`).
        public var text: (key: String, values: [String: String]) {
            switch self {
            case .textOnly(.x): ("refuse_textOnly_x", [:])
            case .textOnly(.instagramMention): ("refuse_textOnly_instagramMention", [:])
            case .textOnly(.instagramComment): ("refuse_textOnly_instagramComment", [:])
            case .textOnly: ("refuse_textOnly_privateReply", [:])
            case .onePicture: ("refuse_onePicture", [:])
            case .tooMany(let n): ("refuse_tooMany_line", ["n": String(n)])
            case .kind(let name, .line): ("refuse_kind_line", ["name": name])
            case .kind(let name, .instagramDM): ("refuse_kind_instagramDM", ["name": name])
            case .kind(let name, .facebookComment): ("refuse_kind_facebookComment", ["name": name])
            case .kind(let name, _): ("refuse_kind_messenger", ["name": name])
            case .tooLarge(let name, let mb): ("refuse_tooLarge", ["name": name, "mb": String(mb)])
            }
        }
    }

    /// Why these files cannot go by this route, or nil when they can.
    public static func refusal(_ files: [Attachment], route: Route, hasText: Bool) -> Refusal? {
        guard !files.isEmpty else { return nil }
        func each(_ allowed: Set<String>, maxMB: Int) -> Refusal? {
            for f in files {
                guard allowed.contains(f.contentType.lowercased()) else { return .kind(filename: f.filename, route: route) }
                if f.size > maxMB * 1024 * 1024 { return .tooLarge(filename: f.filename, maxMB: maxMB) }
            }
            return nil
        }
        switch route {
        case .any:
            return nil
        case .x, .instagramComment, .instagramMention, .privateReplyToComment:
            return .textOnly(route)
        case .facebookComment:
            return files.count > 1 ? .onePicture : each(pictures, maxMB: 10)
        case .line:
            // A text and up to four pictures, or five pictures, in one request.
            let maxFiles = hasText ? 4 : 5
            if files.count > maxFiles { return .tooMany(maxFiles: maxFiles) }
            // The picture doubles as its own preview, which LINE caps at 1 MB.
            return each(["image/jpeg", "image/png"], maxMB: 1)
        case .messenger:
            return each(pictures.union(video).union(audio).union(documents), maxMB: 25)
        case .instagramDM:
            return each(Set(["image/jpeg", "image/png"]).union(video).union(audio), maxMB: 8)
        }
    }

    static let pictures: Set<String> = ["image/jpeg", "image/png", "image/gif"]
    static let video: Set<String> = ["video/mp4"]
    static let audio: Set<String> = ["audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac"]
    static let documents: Set<String> = ["application/pdf"]

    /// The Graph attachment type of a file (`image`, `video`, `audio`, `file`).
    public static func graphType(_ contentType: String) -> String {
        let t = contentType.lowercased()
        if t.hasPrefix("image/") { return "image" }
        if t.hasPrefix("video/") { return "video" }
        if t.hasPrefix("audio/") { return "audio" }
        return "file"
    }
}
