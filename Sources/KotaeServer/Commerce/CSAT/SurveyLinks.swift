import Foundation
import KotaeCore
import KotaeStore

/// The link in a survey message: `<public URL>/survey/<id>.<signature>`. Signed, so nobody
/// answers another conversation's survey by changing the number; single-use, because the
/// survey takes one answer.
struct SurveyLinks: Sendable {
    /// Kotae's public address; nil when it has none (a customer could not open the link).
    let base: String?
    private let key: SigningKey

    init(secret: String, publicURL: String?) {
        key = SigningKey(secret: secret, purpose: "kotae survey links v1")
        base = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    func url(for id: ID) -> String? { base.map { "\($0)/survey/\(token(for: id))" } }

    func token(for id: ID) -> String { "\(id).\(signature(id))" }

    /// The survey a token names, if its signature is ours.
    func survey(_ token: String) -> ID? {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = ID(parts[0]), constantTimeEquals(Array(signature(id).utf8), Array(parts[1].utf8)) else { return nil }
        return id
    }

    private func signature(_ id: ID) -> String {
        key.mac("csat:\(id)").prefix(16).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
