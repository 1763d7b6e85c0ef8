/// Content-Transfer-Encoding, read forgivingly: mail in the wild has base64 without padding
/// or with stray characters, and quoted-printable with broken escapes. What cannot be read
/// is kept as it is, never dropped.
public enum TransferEncoding: Sendable, Equatable {
    case identity
    case base64
    case quotedPrintable

    /// The encoding a header names. Unknown names (`8bit`, `binary`, nonsense) are identity;
    /// "quoted printable" with a space (seen in the wild) is still quoted-printable.
    init(header: String?) {
        let v = (header ?? "").lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" && $0 != "\"" }
        if v.hasPrefix("base64") {
            self = .base64
        } else if v.hasPrefix("quotedprintable") || v == "qp" {
            self = .quotedPrintable
        } else {
            self = .identity
        }
    }

    func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        switch self {
        case .identity: Array(bytes)
        case .base64: Self.base64(bytes)
        case .quotedPrintable: Self.quotedPrintable(bytes, underscoreIsSpace: false)
        }
    }

    private static let base64Values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        // The URL-safe alphabet too: some webmail encoders use it.
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// Base64, skipping whitespace and anything outside the alphabet; padding optional.
    static func base64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var acc: UInt32 = 0
        var n = 0
        // A quantum cut short (by padding or by the end) keeps the whole bytes it holds.
        func flushPartial() {
            if n == 2 {
                out.append(UInt8(truncatingIfNeeded: acc >> 4))
            } else if n == 3 {
                out.append(UInt8(truncatingIfNeeded: acc >> 10))
                out.append(UInt8(truncatingIfNeeded: acc >> 2))
            }
            acc = 0
            n = 0
        }
        for c in bytes {
            if c == UInt8(ascii: "=") {
                // Padding ends a quantum; another may follow (concatenated base64).
                flushPartial()
                continue
            }
            let v = base64Values[Int(c)]
            if v == 0xFF { continue }
            acc = acc << 6 | UInt32(v)
            n += 1
            if n == 4 {
                out.append(UInt8(truncatingIfNeeded: acc >> 16))
                out.append(UInt8(truncatingIfNeeded: acc >> 8))
                out.append(UInt8(truncatingIfNeeded: acc))
                acc = 0
                n = 0
            }
        }
        flushPartial()
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Quoted-printable (RFC 2045 6.7): `=XY` escapes, `=` at a line end joins lines. A broken
    /// escape is kept literally. In an encoded word (`underscoreIsSpace`), `_` is a space.
    static func quotedPrintable(_ bytes: some Collection<UInt8>, underscoreIsSpace: Bool) -> [UInt8] {
        let b = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "=") {
                // Soft line break: "=" then optional trailing whitespace, then CRLF or LF.
                var j = i + 1
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == 0x0D || b[j] == 0x0A {
                    if b[j] == 0x0D, j + 1 < b.count, b[j + 1] == 0x0A { j += 1 }
                    i = j + 1
                    continue
                }
                if j == b.count {
                    // "=" (and spaces) at the very end: a soft break before nothing.
                    i = j
                    continue
                }
                if i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            if underscoreIsSpace && c == UInt8(ascii: "_") {
                out.append(0x20)
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
