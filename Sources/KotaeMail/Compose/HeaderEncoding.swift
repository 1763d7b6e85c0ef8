import Foundation

/// Header text as RFC 2047 encoded words that every mailer reads: each word at most 75
/// characters, never a character split between two words (mikel/mail#1288, upyo#39), folded
/// onto continuation lines.
public enum HeaderEncoding {
    public enum Charset: Sendable { case utf8, iso2022JP }

    /// `text` as it goes in a header: as is when it is plain ASCII that needs no quoting,
    /// else as encoded words (ISO-2022-JP ones when asked and possible).
    public static func encode(_ text: String, charset: Charset = .utf8) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !text.contains("=?") { return text }
        if charset == .iso2022JP, let words = jisWords(text) { return words.joined(separator: "\r\n ") }
        return utf8Words(text).joined(separator: "\r\n ")
    }

    /// A display name and address: `山田 <a@b>` with the name encoded or quoted as needed.
    public static func address(_ address: String, name: String?, charset: Charset = .utf8) -> String {
        guard let name, !name.isEmpty else { return address }
        let plain = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain {
            let needsQuotes = name.contains { "()<>[]:;@\\,.\"".contains($0) }
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return (needsQuotes ? "\"\(escaped)\"" : name) + " <\(address)>"
        }
        return encode(name, charset: charset) + " <\(address)>"
    }

    /// Base64 UTF-8 words of whole characters, each `=?UTF-8?B?…?=` at most 75 long.
    static func utf8Words(_ text: String) -> [String] {
        let maxBytes = 45  // 60 base64 characters + 12 of framing = 72
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in text {
            let bytes = Array(String(ch).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > maxBytes {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// ISO-2022-JP words, each complete (it starts and ends in ASCII); nil when the text has
    /// a character JIS cannot hold.
    static func jisWords(_ text: String) -> [String]? {
        var words: [String] = []
        var chunk = ""
        for ch in text {
            let candidate = chunk + String(ch)
            guard let bytes = JISEncoder.encode(candidate) else { return nil }
            if !chunk.isEmpty && ((bytes.count + 2) / 3) * 4 + 18 > 75 {
                guard let done = JISEncoder.encode(chunk) else { return nil }
                words.append("=?ISO-2022-JP?B?" + Data(done).base64EncodedString() + "?=")
                chunk = String(ch)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty {
            guard let done = JISEncoder.encode(chunk) else { return nil }
            words.append("=?ISO-2022-JP?B?" + Data(done).base64EncodedString() + "?=")
        }
        return words
    }
}
