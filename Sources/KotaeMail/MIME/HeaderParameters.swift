import Foundation

/// A structured header with parameters: `Content-Type: text/plain; charset="iso-2022-jp"`,
/// `Content-Disposition: attachment; filename*0*=UTF-8''%E8%AB%8B; filename*1*=%E6%B1%82.pdf`.
/// RFC 2045 syntax plus RFC 2231 continuations and charsets; values written as RFC 2047
/// encoded words (not allowed, but what many mailers send for file names) are read too.
public struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, lower-cased (`text/plain`, `attachment`).
    public var value: String
    /// Parameters by lower-cased name, continuations joined and decoded. The first of a
    /// repeated name wins.
    public var parameters: [String: String]

    public subscript(name: String) -> String? { parameters[name] }

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    public init(parsing raw: [UInt8]) {
        var tokens = Tokenizer(raw)
        value = String(decoding: tokens.untilSemicolon(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // Collect raw pieces first: RFC 2231 continuations may come in any order.
        var plain: [String: [UInt8]] = [:]
        var sections: [String: [(index: Int, encoded: Bool, bytes: [UInt8])]] = [:]
        var order: [String] = []
        while let (rawName, bytes) = tokens.parameter() {
            var name = rawName.lowercased()
            var encoded = false
            if name.hasSuffix("*") {
                encoded = true
                name.removeLast()
            }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                let base = String(name[..<star])
                if sections[base] == nil { order.append(base) }
                if !(sections[base]?.contains { $0.index == index } ?? false) {
                    sections[base, default: []].append((index, encoded, bytes))
                }
            } else if encoded {
                if sections[name] == nil { order.append(name) }
                if sections[name] == nil { sections[name] = [(0, true, bytes)] }
            } else if plain[name] == nil {
                order.append(name)
                plain[name] = bytes
            }
        }
        var result: [String: String] = [:]
        for name in order where result[name] == nil {
            if let parts = sections[name] {
                result[name] = Self.joined(parts.sorted { $0.index < $1.index })
            } else if let bytes = plain[name] {
                result[name] = EncodedWords.decode(bytes).text
            }
        }
        parameters = result
    }

    /// RFC 2231: the first section may start `charset'language'`; encoded sections are
    /// percent-encoded bytes in that charset; all sections are joined as bytes, then read.
    private static func joined(_ parts: [(index: Int, encoded: Bool, bytes: [UInt8])]) -> String {
        var charset: String?
        var bytes: [UInt8] = []
        for (n, part) in parts.enumerated() {
            var b = part.bytes[...]
            if n == 0, part.encoded {
                let quote = UInt8(ascii: "'")
                if let q1 = b.firstIndex(of: quote), let q2 = b[(q1 + 1)...].firstIndex(of: quote) {
                    charset = String(decoding: b[b.startIndex..<q1], as: UTF8.self)
                    b = b[(q2 + 1)...]
                }
            }
            bytes += part.encoded ? percentDecoded(b) : Array(b)
        }
        if let charset, !charset.isEmpty { return Charset.decode(bytes, label: charset).text }
        return EncodedWords.decode(bytes).text
    }

    private static func percentDecoded(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = b.startIndex
        while i < b.endIndex {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.endIndex,
                let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

/// Reads `value; name=token; name="quoted \"string\""` forgivingly: missing semicolons,
/// spaces around `=`, unterminated quotes, and comments in parentheses.
private struct Tokenizer {
    let b: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { b = bytes }

    /// The value before the parameters: up to `;`, or to a space or comment when a mailer
    /// left the semicolon out (`multipart/mixed boundary=x`).
    mutating func untilSemicolon() -> ArraySlice<UInt8> {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let start = i
        while i < b.count, b[i] != UInt8(ascii: ";"), b[i] != 0x20, b[i] != 0x09, b[i] != UInt8(ascii: "(") { i += 1 }
        return b[start..<i]
    }

    mutating func skipSpaceAndComments() {
        while i < b.count {
            if b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A || b[i] == UInt8(ascii: ";") {
                i += 1
            } else if b[i] == UInt8(ascii: "(") {
                var depth = 0
                while i < b.count {
                    if b[i] == UInt8(ascii: "(") { depth += 1 }
                    if b[i] == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
            } else {
                return
            }
        }
    }

    mutating func parameter() -> (String, [UInt8])? {
        while true {
            skipSpaceAndComments()
            guard i < b.count else { return nil }
            let nameStart = i
            while i < b.count, b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ";"), b[i] > 0x20 { i += 1 }
            let name = String(decoding: b[nameStart..<i], as: UTF8.self)
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            guard i < b.count, b[i] == UInt8(ascii: "=") else {
                // A word without a value: skip it and go on.
                if i == nameStart { i += 1 }
                continue
            }
            i += 1
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            var value: [UInt8] = []
            if i < b.count, b[i] == UInt8(ascii: "\"") {
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\"), i + 1 < b.count { i += 1 }
                    value.append(b[i])
                    i += 1
                }
                if i < b.count { i += 1 }
            } else {
                while i < b.count, b[i] != UInt8(ascii: ";"), b[i] != 0x20, b[i] != 0x09 {
                    value.append(b[i])
                    i += 1
                }
            }
            if name.isEmpty { continue }
            return (name, value)
        }
    }
}
