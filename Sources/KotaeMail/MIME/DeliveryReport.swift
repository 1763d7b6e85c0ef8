import Foundation

/// A recipient a delivery report (RFC 3464, `message/delivery-status`) says the mail could
/// not reach, with the status (RFC 3463) and the remote server's words.
public struct DeliveryFailure: Sendable, Equatable {
    public var address: String
    /// `5.1.1`, or nil when only `X-Failed-Recipients` named the address.
    public var status: String?
    public var diagnostic: String?

    /// X.1.X is "addressing status" (RFC 3463 §3.2): with class 5, the address itself is
    /// wrong for good (no such user 5.1.1, no such domain 5.1.2, null MX 5.1.10, and
    /// vendors' variants such as Exchange's 5.1.351) — not a full mailbox or a busy server.
    public var addressDoesNotExist: Bool { status?.hasPrefix("5.1.") == true }
}

extension MailMessage {
    /// The recipients a bounce reports as failed: the delivery-status part's per-recipient
    /// blocks with `Action: failed`, else the `X-Failed-Recipients` header.
    public var deliveryFailures: [DeliveryFailure] {
        var found: [DeliveryFailure] = []
        for part in attachments where part.contentType == "message/delivery-status" || part.contentType == "message/global-delivery-status" {
            found += Self.failures(inReport: String(decoding: part.data, as: UTF8.self))
        }
        if found.isEmpty, let header = headers.string("X-Failed-Recipients") {
            found = header.split(separator: ",").map { DeliveryFailure(address: Self.bare($0), status: nil, diagnostic: nil) }
        }
        return found.filter { $0.address.contains("@") }
    }

    static func failures(inReport text: String) -> [DeliveryFailure] {
        // Header-style fields; a line starting with white space continues the previous one.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var blocks: [[String: String]] = [[:]]
        var last: String?
        for line in lines {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !blocks[blocks.count - 1].isEmpty { blocks.append([:]) }
                last = nil
            } else if line.first == " " || line.first == "\t", let key = last {
                blocks[blocks.count - 1][key, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                blocks[blocks.count - 1][key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = key
            }
        }
        // The first block is about the message; each later one about a recipient.
        return blocks.compactMap { b in
            guard let recipient = b["final-recipient"] ?? b["original-recipient"], b["action"]?.lowercased() == "failed" else { return nil }
            // `rfc822; someone@example.jp`: the address after the type.
            let address = recipient.split(separator: ";", maxSplits: 1).last.map { bare($0) } ?? ""
            let status = b["status"].map { String($0.prefix { !$0.isWhitespace && $0 != "(" }) }
            return DeliveryFailure(address: address, status: status, diagnostic: b["diagnostic-code"])
        }
    }

    /// An address without angle brackets and spaces, in lower case.
    static func bare<S: StringProtocol>(_ s: S) -> String {
        s.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "<>")).lowercased()
    }
}
