import Crypto
import Foundation
import KotaeCore
import KotaeStore

/// The conversation a reply belongs to, carried in what Kotae sends: its Message-IDs
/// (`<kotae.123.k7c2e91a04f.m456@shop.example>`) and, with a catch-all, its reply-to address
/// (`support+123.k7c2e91a04f@shop.example`). The tag is an HMAC of the conversation id under
/// the server's secret, so a customer cannot write their way into another conversation by
/// editing the number.
struct MailTokens: Sendable {
    private let key: SigningKey

    init(secret: String) {
        key = SigningKey(secret: secret, purpose: "kotae mail thread tokens v1")
    }

    /// `123.k<10 hex>`: the conversation and its tag.
    func token(conversationId: ID) -> String {
        "\(conversationId).k" + tag(conversationId)
    }

    /// The conversation a token names, when its tag is right.
    func conversation(fromToken token: some StringProtocol) -> ID? {
        let parts = token.split(separator: ".")
        guard parts.count >= 2, let id = ID(parts[0]), parts[1].hasPrefix("k"),
            constantTimeEquals(String(parts[1].dropFirst()), tag(id))
        else { return nil }
        return id
    }

    /// The Message-ID of message `messageId`, which Kotae sends in `conversationId`. The same
    /// on every attempt: a retry after a lost answer is recognised by the customer's mailer
    /// as the same mail, not a second one.
    func messageId(conversationId: ID, messageId: ID, domain: String) -> String {
        "kotae.\(token(conversationId: conversationId)).m\(messageId)@\(domain)"
    }

    /// The conversation named by one of Kotae's own Message-IDs.
    func conversation(fromMessageId id: String) -> ID? {
        guard id.hasPrefix("kotae."), let at = id.lastIndex(of: "@") else { return nil }
        return conversation(fromToken: id[id.index(id.startIndex, offsetBy: 6)..<at])
    }

    /// The reply-to address for `conversationId` under the inbox's own address.
    func replyAddress(conversationId: ID, inboxAddress: String) -> String? {
        let parts = inboxAddress.split(separator: "@")
        guard parts.count == 2 else { return nil }
        return "\(parts[0])+\(token(conversationId: conversationId))@\(parts[1])"
    }

    /// The conversation named by a `local+token@domain` address.
    func conversation(fromAddress address: String) -> ID? {
        guard let plus = address.firstIndex(of: "+"), let at = address.lastIndex(of: "@"), plus < at else { return nil }
        return conversation(fromToken: address[address.index(after: plus)..<at])
    }

    private func tag(_ id: ID) -> String {
        String(Hex.encode(key.mac(String(id))).prefix(10))
    }
}
