import Foundation

/// Text to ISO-2022-JP as Japanese mailers expect it (CP50220): JIS X 0208 with the NEC
/// row (① ㈱) and the NEC-selected IBM rows (髙 﨑), half-width katakana widened. The table
/// is the exact inverse of the reader (`ISO2022JP`), built once from it, so what is written
/// reads back the same. Text with a character JIS cannot hold (emoji, most non-Japanese
/// scripts) is refused: the caller then sends UTF-8 instead of losing it.
enum JISEncoder {
    /// Unicode scalar → the two JIS bytes, for every code the reader knows.
    static let table: [UInt32: (UInt8, UInt8)] = {
        var t: [UInt32: (UInt8, UInt8)] = [:]
        var sjis: [UInt8] = []
        var codes: [(UInt8, UInt8)] = []
        for j1 in UInt8(0x21)...0x7E {
            for j2 in UInt8(0x21)...0x7E {
                let (s1, s2) = ISO2022JP.toShiftJIS(j1, j2)
                sjis += [s1, s2]
                codes.append((j1, j2))
            }
        }
        // One strict read per code: a code CP932 lacks must not shift the others.
        for (i, code) in codes.enumerated() {
            guard let d = Iconv.decode(Array(sjis[(i * 2)..<(i * 2 + 2)]), from: "CP932", strict: true),
                d.text.unicodeScalars.count == 1, let u = d.text.unicodeScalars.first, u.value != 0xFFFD
            else { continue }
            // The first code wins: NEC's row 13 and JIS's own rows before IBM duplicates.
            if t[u.value] == nil { t[u.value] = code }
        }
        return t
    }()

    /// `text` in ISO-2022-JP, ending in ASCII; nil when a character cannot be written.
    static func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var inJIS = false
        for scalar in widened(text).unicodeScalars {
            if scalar.value < 0x80 {
                if inJIS {
                    out += [0x1B, 0x28, 0x42]
                    inJIS = false
                }
                out.append(UInt8(scalar.value))
            } else if let (a, b) = table[scalar.value] {
                if !inJIS {
                    out += [0x1B, 0x24, 0x42]
                    inJIS = true
                }
                out += [a, b]
            } else {
                return nil
            }
        }
        if inJIS { out += [0x1B, 0x28, 0x42] }
        return out
    }

    /// Half-width katakana is not in ISO-2022-JP proper: each such character is widened by
    /// NFKC with its voiced mark composed (ｶﾞ → ガ); nothing else changes.
    static func widened(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) else { return text }
        var out = ""
        for ch in text {
            if ch.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) {
                out += String(ch).precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
