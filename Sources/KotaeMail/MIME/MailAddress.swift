import Foundation

/// A mailbox from an address header: `"山田 太郎" <Taro@Example.JP>`. The address is kept
/// as written and `normalized` is how a customer is recognised (lower case, as every desk
/// and mailer treats addresses in practice).
public struct MailAddress: Sendable, Equatable, Hashable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Lower-cased, without surrounding spaces or angle brackets.
    public var normalized: String { address.lowercased() }

    public var domain: String { normalized.split(separator: "@").last.map(String.init) ?? "" }

    /// Every mailbox in an address-list header (groups opened, comments dropped, display
    /// names decoded). Entries without an `@` are skipped.
    public static func list(_ raw: [UInt8]) -> [MailAddress] {
        var result: [MailAddress] = []
        var phrase: [UInt8] = []
        var angle: [UInt8]?
        var bare: [UInt8] = []
        var comment: [UInt8] = []
        var i = 0
        func finish() {
            let candidate = angle ?? (bare.contains(UInt8(ascii: "@")) ? bare : phrase)
            let address = String(decoding: candidate, as: UTF8.self).filter { !$0.isWhitespace }
            defer {
                phrase.removeAll()
                bare.removeAll()
                comment.removeAll()
                angle = nil
            }
            guard address.contains("@"), address.count <= 320 else { return }
            // The display name; a bare address may be named by a comment (`a@b (Taro)`).
            var name: String?
            let written = angle != nil ? phrase : comment
            let decoded = EncodedWords.decode(Headers.trimmed(written)).text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !decoded.isEmpty { name = decoded }
            result.append(MailAddress(name: name, address: address))
        }
        while i < raw.count {
            let c = raw[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                while i < raw.count, raw[i] != UInt8(ascii: "\"") {
                    if raw[i] == UInt8(ascii: "\\"), i + 1 < raw.count { i += 1 }
                    phrase.append(raw[i])
                    i += 1
                }
                i += 1
                continue
            case UInt8(ascii: "("):
                // A comment: `taro@example.jp (Taro Yamada)` names the mailbox in old mail.
                var depth = 0
                var text: [UInt8] = []
                while i < raw.count {
                    if raw[i] == UInt8(ascii: "(") { depth += 1 }
                    if raw[i] == UInt8(ascii: ")") { depth -= 1 }
                    if depth == 0 { break }
                    if !(depth == 1 && raw[i] == UInt8(ascii: "(")) { text.append(raw[i]) }
                    i += 1
                }
                i += 1
                if comment.isEmpty { comment = text }
                continue
            case UInt8(ascii: "<"):
                var inner: [UInt8] = []
                i += 1
                while i < raw.count, raw[i] != UInt8(ascii: ">") {
                    inner.append(raw[i])
                    i += 1
                }
                i += 1
                angle = inner
                continue
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                finish()
            case UInt8(ascii: ":") where angle == nil && !bare.contains(UInt8(ascii: "@")):
                // A group name (`undisclosed-recipients:`): what follows are its members.
                phrase.removeAll()
                bare.removeAll()
            default:
                if angle == nil {
                    phrase.append(c)
                    if c == 0x20 || c == 0x09 {
                        if !bare.isEmpty && !bare.contains(UInt8(ascii: "@")) { bare.removeAll() }
                    } else {
                        bare.append(c)
                    }
                }
            }
            i += 1
        }
        finish()
        return result
    }
}
