import Foundation
import KotaeCore
import KotaeStore

/// Signed, expiring links to a stored file, for platforms that fetch a shop's picture by
/// address rather than take an upload (LINE, Messenger, Instagram). Anyone holding a link
/// can fetch that one file until it expires; nothing else is reachable without signing in.
struct FileLinks: Sendable {
    /// Kotae's public https address; nil when it has none (platforms fetch only over https).
    let base: String?
    private let key: SigningKey

    /// Why a file cannot go when Kotae has no public https address.
    static let noPublicAddress = WebStrings.text("refuse_noPublicAddress", "en")

    /// LINE fetches a picture again when a customer opens it later, so a link lives long.
    static let lifetime: TimeInterval = 30 * 86400

    init(secret: String, publicURL: String?) {
        key = SigningKey(secret: secret, purpose: "kotae file links v1")
        base = publicURL.flatMap { $0.lowercased().hasPrefix("https://") ? String($0.trimmingSuffix("/")) : nil }
    }

    /// The link to one attachment, or nil when Kotae has no public https address.
    func url(for file: Attachment, now: Date = Date()) -> String? {
        guard let base else { return nil }
        let exp = String(Int64(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970))
        let sig = signature(file.sha256, exp, file.contentType, file.filename)
        return base + "/files/\(file.sha256)?exp=\(exp)&type=\(Self.escape(file.contentType))&name=\(Self.escape(file.filename))&sig=\(sig)"
    }

    /// The same link as a path on Kotae, for a page of Kotae's own (the chat widget), which
    /// needs no public https address.
    func path(for file: Attachment, now: Date = Date()) -> String {
        let exp = String(Int64(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970))
        let sig = signature(file.sha256, exp, file.contentType, file.filename)
        return "/files/\(file.sha256)?exp=\(exp)&type=\(Self.escape(file.contentType))&name=\(Self.escape(file.filename))&sig=\(sig)"
    }

    /// Whether a link's parts are ours and unexpired.
    func verify(sha256: String, exp: String, type: String, name: String, sig: String, now: Date = Date()) -> Bool {
        guard let expiry = Double(exp), Date(timeIntervalSince1970: expiry) > now else { return false }
        return constantTimeEquals(signature(sha256, exp, type, name), sig)
    }

    private func signature(_ parts: String...) -> String {
        let mac = key.mac(parts.joined(separator: "\n"))
        return Hex.encode(mac)
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

private extension String {
    func trimmingSuffix(_ suffix: Character) -> Substring {
        var s = Substring(self)
        while s.last == suffix { s = s.dropLast() }
        return s
    }
}
