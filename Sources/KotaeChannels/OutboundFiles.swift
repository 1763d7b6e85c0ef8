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

        /// Instagram answers a mention on someone else's media only in public.
        public static func noPrivateMention(japanese: Bool) -> String {
            japanese
                ? "Instagramのメンションには非公開で返信できません。公開で返信してください"
                : "Instagram does not allow a private reply to a mention; answer in public"
        }
    }

    /// Why files cannot go, said in the agent's language (the composer shows it as is).
    public enum Refusal: Sendable, Equatable {
        case textOnly(Route)
        case onePicture
        /// LINE: five messages per request, the text counting as one.
        case tooMany(maxFiles: Int)
        case kind(filename: String, route: Route)
        case tooLarge(filename: String, maxMB: Int)

        public func text(japanese: Bool) -> String {
            switch self {
            case .textOnly(.x):
                japanese ? "Xへの返信は文字のみです。ファイルはリンクで共有してください" : "X replies from Kotae carry text only; share the file as a link"
            case .textOnly(.instagramMention):
                japanese ? "Instagramのメンションへの返信は文字のみです" : "an answer to an Instagram mention carries text only"
            case .textOnly(.instagramComment):
                japanese ? "Instagramの公開返信は文字のみです。画像は非公開で送ってください" : "a public answer on Instagram carries text only; send the picture privately"
            case .textOnly:
                japanese
                    ? "コメントへの最初の非公開返信は文字1通のみです。お客様の返信後にファイルを送ってください"
                    : "the first private reply to a comment is a single text message; send files once the customer answers"
            case .onePicture:
                japanese ? "Facebookの公開返信に付けられる画像は1枚です" : "a public answer on Facebook carries one picture"
            case .tooMany(let n):
                japanese ? "LINEは一度に5通までです（画像は\(n)枚まで）" : "LINE takes five messages at a time: at most \(n) pictures with this reply"
            case .kind(let name, .line):
                japanese ? "\(name)：LINEで送れる画像はJPEGとPNGです" : "\(name): LINE accepts JPEG and PNG pictures from a shop"
            case .kind(let name, .instagramDM):
                japanese ? "\(name)：Instagramで送れるのはJPEG・PNG画像、MP4動画、音声です" : "\(name): Instagram takes JPEG or PNG pictures, MP4 video and audio"
            case .kind(let name, .facebookComment):
                japanese ? "\(name)：公開返信に付けられるのはJPEG・PNG・GIF画像です" : "\(name): a public answer on Facebook carries a JPEG, PNG or GIF picture"
            case .kind(let name, _):
                japanese ? "\(name)：Messengerでは送れない種類のファイルです" : "\(name): Messenger does not take this kind of file"
            case .tooLarge(let name, let mb):
                japanese ? "\(name)はプラットフォームの上限（\(mb) MB）を超えています" : "\(name) is larger than \(mb) MB, the platform's limit"
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
