/// RFC 2047 encoded words in headers (`=?ISO-2022-JP?B?GyRCJDMbKEI=?=`), read the way
/// Japanese mail needs: adjacent words in one charset are joined *as bytes* before they are
/// read, so a character split across two words (a long subject folded by a mailer) survives;
/// raw 8-bit or raw ISO-2022-JP header text is read by detection; a broken word is read as
/// far as it goes.
public enum EncodedWords {
    private enum Piece {
        case raw([UInt8])
        case word(charset: String, bytes: [UInt8])
    }

    /// The text of a header value, with a warning when part of it could not be read exactly.
    public static func decode(_ value: some Collection<UInt8>) -> (text: String, warning: String?) {
        let bytes = Array(value)
        var pieces: [Piece] = []
        var raw: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "?"),
                let (word, end) = word(in: bytes, at: i)
            {
                // Whitespace between two encoded words is not part of the text.
                if case .word = pieces.last, raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
                    raw.removeAll()
                }
                if !raw.isEmpty { pieces.append(.raw(raw)) }
                raw.removeAll()
                if case .word(let charset, let previous) = pieces.last, charset == word.charset {
                    pieces[pieces.count - 1] = .word(charset: charset, bytes: previous + word.bytes)
                } else {
                    pieces.append(.word(charset: word.charset, bytes: word.bytes))
                }
                i = end
                continue
            }
            raw.append(bytes[i])
            i += 1
        }
        if !raw.isEmpty { pieces.append(.raw(raw)) }

        var text = ""
        var warning: String?
        for piece in pieces {
            switch piece {
            case .raw(let b):
                if Charset.isASCII(b) && !ISO2022JP.hasEscape(b) {
                    text += String(decoding: b, as: UTF8.self)
                } else {
                    let d = Charset.decode(b, label: nil)
                    text += d.text
                    warning = warning ?? d.warning
                }
            case .word(let charset, let b):
                let d = Charset.decode(b, label: charset)
                text += d.text
                warning = warning ?? d.warning
            }
        }
        return (text, warning)
    }

    /// The encoded word starting at `start` (`=?`), and the index after it; nil when the bytes
    /// there are not one.
    private static func word(in b: [UInt8], at start: Int) -> ((charset: String, bytes: [UInt8]), Int)? {
        let q = UInt8(ascii: "?")
        // charset (with an optional RFC 2231 `*language`)
        var i = start + 2
        let charsetStart = i
        while i < b.count, b[i] != q, b[i] > 0x20, b[i] < 0x7F, i - charsetStart < 40 { i += 1 }
        guard i < b.count, b[i] == q, i > charsetStart else { return nil }
        var charset = String(decoding: b[charsetStart..<i], as: UTF8.self)
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        i += 1
        guard i + 1 < b.count, b[i + 1] == q else { return nil }
        let encoding = b[i] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        i += 2
        // The text runs to the next `?=`; a line end before it means the word is broken.
        let textStart = i
        while i + 1 < b.count, !(b[i] == q && b[i + 1] == UInt8(ascii: "=")) {
            if b[i] == 0x0D || b[i] == 0x0A { return nil }
            i += 1
        }
        let end: Int
        let payload: ArraySlice<UInt8>
        if i + 1 < b.count {
            payload = b[textStart..<i]
            end = i + 2
        } else {
            // No closing `?=` at all: read what there is (best effort).
            payload = b[textStart..<b.count]
            end = b.count
        }
        let decoded =
            encoding == UInt8(ascii: "b")
            ? TransferEncoding.base64(payload)
            : TransferEncoding.quotedPrintable(payload, underscoreIsSpace: true)
        return ((Charset.normalized(charset), decoded), end)
    }
}
