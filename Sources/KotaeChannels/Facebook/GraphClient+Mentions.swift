import Foundation

/// Instagram @mentions: a comment or caption on someone else's media that names the shop's
/// account. The account's token cannot read that media directly; Graph lends it through
/// field expansions on the account's own node, keyed by the ids the webhook gave.
extension GraphClient {
    public struct Mentioned: Sendable, Equatable {
        public let text: String
        public let username: String?
        public let at: Date?
        /// The post itself, for a caption mention.
        public let permalink: String?
    }

    /// `GET /{account}?fields=mentioned_comment.comment_id(…){…}` for a comment mention, else
    /// `mentioned_media.media_id(…){…}` for a caption.
    public func mentioned(accountId: String, mediaId: String, commentId: String?, token: String) async -> Result<Mentioned, GraphError> {
        let (edge, fields) =
            commentId.map { ("mentioned_comment", "mentioned_comment.comment_id(\($0)){id,text,timestamp,username}") }
            ?? ("mentioned_media", "mentioned_media.media_id(\(mediaId)){id,caption,timestamp,username,permalink}")
        let query =
            "fields=" + (fields.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~,"))) ?? fields)
        return await call(.GET, "/\(accountId)", query: query, body: nil, token: token).flatMap { json in
            guard let found = json[edge] as? [String: Any] else {
                return .failure(GraphError(status: 200, code: 0, subcode: nil, message: "Graph's answer has no \(edge)"))
            }
            let at = (found["timestamp"] as? String).flatMap(Self.graphTime)
            return .success(
                Mentioned(
                    text: (found["text"] ?? found["caption"]) as? String ?? "", username: found["username"] as? String,
                    at: at, permalink: found["permalink"] as? String))
        }
    }

    /// A public answer to a mention: `POST /{account}/mentions` with the media and, for a
    /// comment mention, the comment it answers. Text only, by the endpoint's definition.
    public func replyToMention(accountId: String, mediaId: String, commentId: String?, text: String, token: String) async -> Result<Sent, GraphError>
    {
        var body: [String: Any] = ["media_id": mediaId, "message": text]
        if let commentId { body["comment_id"] = commentId }
        return await post("/\(accountId)/mentions", body, token: token)
    }

    /// Graph's timestamps: `2026-11-23T10:00:00+0000` (no colon in the offset).
    static func graphTime(_ s: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        return f.date(from: s)
    }
}
