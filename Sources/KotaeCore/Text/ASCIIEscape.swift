/// Replaces some ASCII characters of a text, byte by byte on its UTF-8.
///
/// Byte by byte on purpose. Compared as Swift `Character`s (as `replacingOccurrences` and a
/// `for c in s` loop compare), a quote followed by a combining mark (`"` U+0301) is one
/// grapheme, equal to no quote, and was left alone; the browser, SQLite or Slack, which read
/// code points, still saw the quote. No byte of a multi-byte UTF-8 sequence is ASCII, so
/// everything else is copied as it was.
public struct ASCIIEscape: Sendable {
    private let replacements: [[UInt8]?]

    public init(_ replacements: [Unicode.Scalar: String]) {
        var table = [[UInt8]?](repeating: nil, count: 128)
        for (scalar, replacement) in replacements {
            precondition(scalar.isASCII, "only ASCII characters are replaced")
            table[Int(scalar.value)] = Array(replacement.utf8)
        }
        self.replacements = table
    }

    public func callAsFunction(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in
            guard bytes.contains(where: { $0 < 128 && replacements[Int($0)] != nil }) else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            for b in bytes {
                if b < 128, let replacement = replacements[Int(b)] { out.append(contentsOf: replacement) } else { out.append(b) }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
