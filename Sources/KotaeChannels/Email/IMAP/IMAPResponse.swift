import Foundation

/// A server response, read from one frame (`IMAPFrameDecoder`): what the client needs of
/// RFC 9051's grammar — status responses with their codes, capabilities, mailbox sizes,
/// search results and FETCH attributes — and the rest kept as text.
enum IMAPResponse: Equatable {
    case tagged(String, IMAPStatus)
    case untagged(IMAPUntagged)
    /// `+ …`: the server waits for more (a SASL challenge, IDLE's go-ahead).
    case continuation(String)
}

struct IMAPStatus: Equatable {
    enum Kind: String { case ok = "OK", no = "NO", bad = "BAD", preauth = "PREAUTH", bye = "BYE" }
    var kind: Kind
    /// The response code in brackets (`UIDVALIDITY 3857529045`, `AUTHENTICATIONFAILED`).
    var code: String?
    var text: String

    /// The server's own words for the agent: `[CODE] text`.
    var words: String { (code.map { "[\($0)] " } ?? "") + text }
}

enum IMAPUntagged: Equatable {
    case status(IMAPStatus)
    case capability([String])
    case exists(Int)
    case expunge(Int)
    /// Attributes by upper-cased name (`UID`, `FLAGS`, `BODY[]`, `RFC822.SIZE`).
    case fetch(Int, [String: IMAPValue])
    case search([UInt32])
    case other(String)
}

enum IMAPValue: Equatable {
    case atom(String)
    case string([UInt8])
    case list([IMAPValue])
    case null

    var number: UInt32? { if case .atom(let a) = self { UInt32(a) } else { nil } }
    var bytes: [UInt8]? {
        switch self {
        case .string(let b): b
        case .atom(let a): Array(a.utf8)
        default: nil
        }
    }
}

struct IMAPParseError: Error, CustomStringConvertible {
    let description: String
}

extension IMAPResponse {
    init(parsing frame: [UInt8]) throws {
        var p = IMAPReader(bytes: frame)
        let first = p.word()
        guard p.skipSpace() || first == "+" else { throw IMAPParseError(description: "not an IMAP response: \(p.rest.prefix(80))") }
        switch first {
        case "+":
            self = .continuation(p.rest)
        case "*":
            self = .untagged(try IMAPUntagged(&p))
        default:
            guard let status = p.status() else { throw IMAPParseError(description: "a tagged response without a status: \(p.rest.prefix(80))") }
            self = .tagged(first, status)
        }
    }
}

extension IMAPUntagged {
    fileprivate init(_ p: inout IMAPReader) throws {
        let save = p.index
        if let status = p.status() {
            self = .status(status)
            return
        }
        p.index = save
        let word = p.word()
        if let n = Int(word) {
            _ = p.skipSpace()
            let what = p.word().uppercased()
            switch what {
            case "EXISTS": self = .exists(n)
            case "EXPUNGE": self = .expunge(n)
            case "FETCH":
                _ = p.skipSpace()
                guard case .list(let items) = try p.value() else { throw IMAPParseError(description: "a FETCH without attributes") }
                var attributes: [String: IMAPValue] = [:]
                var i = 0
                while i + 1 < items.count {
                    if case .atom(let name) = items[i] { attributes[name.uppercased()] = items[i + 1] }
                    i += 2
                }
                self = .fetch(n, attributes)
            default: self = .other("\(n) \(what)")
            }
            return
        }
        switch word.uppercased() {
        case "CAPABILITY":
            _ = p.skipSpace()
            self = .capability(p.rest.split(separator: " ").map { $0.uppercased() })
        case "SEARCH":
            _ = p.skipSpace()
            self = .search(p.rest.split(separator: " ").compactMap { UInt32($0) })
        default:
            self = .other(word + " " + p.rest)
        }
    }
}

/// A cursor over one response's bytes.
struct IMAPReader {
    let bytes: [UInt8]
    var index = 0

    var rest: String { String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self) }

    /// Up to the next space (a tag, `*`, a number, a keyword).
    mutating func word() -> String {
        let start = index
        while index < bytes.count, bytes[index] != 0x20 { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    @discardableResult
    mutating func skipSpace() -> Bool {
        guard index < bytes.count, bytes[index] == 0x20 else { return false }
        index += 1
        return true
    }

    /// `OK|NO|BAD|PREAUTH|BYE [code] text`, or nil (the position is then unspecified).
    mutating func status() -> IMAPStatus? {
        guard let kind = IMAPStatus.Kind(rawValue: word().uppercased()) else { return nil }
        _ = skipSpace()
        var code: String?
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            let start = index + 1
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "[") { depth += 1 }
                if bytes[index] == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { break }
                }
                index += 1
            }
            code = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            index += 1
            _ = skipSpace()
        }
        return IMAPStatus(kind: kind, code: code, text: rest)
    }

    /// One value: a list, a quoted string, a literal, NIL, or an atom (which may carry a
    /// bracketed section, as in `BODY[HEADER.FIELDS (SUBJECT)]`).
    mutating func value() throws -> IMAPValue {
        guard index < bytes.count else { throw IMAPParseError(description: "the response ended early") }
        switch bytes[index] {
        case UInt8(ascii: "("):
            index += 1
            var items: [IMAPValue] = []
            while true {
                while skipSpace() {}
                guard index < bytes.count else { throw IMAPParseError(description: "an unclosed list") }
                if bytes[index] == UInt8(ascii: ")") {
                    index += 1
                    return .list(items)
                }
                items.append(try value())
            }
        case UInt8(ascii: "\""):
            index += 1
            var out: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                out.append(bytes[index])
                index += 1
            }
            guard index < bytes.count else { throw IMAPParseError(description: "an unclosed quoted string") }
            index += 1
            return .string(out)
        case UInt8(ascii: "{"):
            guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")),
                let n = Int(String(decoding: bytes[(index + 1)..<close], as: UTF8.self).replacingOccurrences(of: "+", with: ""))
            else { throw IMAPParseError(description: "a malformed literal") }
            var start = close + 1
            if start < bytes.count, bytes[start] == 0x0D { start += 1 }
            if start < bytes.count, bytes[start] == 0x0A { start += 1 }
            guard start + n <= bytes.count else { throw IMAPParseError(description: "a literal longer than its response") }
            index = start + n
            return .string(Array(bytes[start..<(start + n)]))
        default:
            let start = index
            var depth = 0
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "]") { depth -= 1 }
                if depth == 0 && (b == 0x20 || b == UInt8(ascii: ")") || b == UInt8(ascii: "(")) { break }
                index += 1
            }
            let atom = String(decoding: bytes[start..<index], as: UTF8.self)
            return atom.uppercased() == "NIL" ? .null : .atom(atom)
        }
    }
}
