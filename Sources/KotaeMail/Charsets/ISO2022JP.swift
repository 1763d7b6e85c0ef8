/// ISO-2022-JP as Japanese mailers really write it (Microsoft's CP50220/CP50221): JIS X 0208
/// with the NEC special row (① ㈱ ㍻) and the NEC-selected IBM rows 89–92 (髙 﨑), half-width
/// katakana by `ESC ( I` or SO/SI, and JIS X 0212. glibc's `ISO-2022-JP` refuses the Microsoft
/// rows and Foundation's cannot read 髙, so each two-byte JIS code is moved to its Shift_JIS
/// position (a fixed arithmetic mapping) and the result read as CP932, which has every row.
enum ISO2022JP {
    private enum Mode { case ascii, jis0208, katakana, jis0212 }

    /// Whether `bytes` hold an ISO-2022-JP escape (what sniffing a missing charset looks for).
    static func hasEscape(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0x1B {
                let a = bytes[i + 1], b = bytes[i + 2]
                if a == 0x24 && (b == 0x42 || b == 0x40 || b == 0x28) { return true }
                if a == 0x28 && b == 0x49 { return true }
            }
            i += 1
        }
        return false
    }

    static func decode(_ bytes: [UInt8]) -> (text: String, exact: Bool) {
        var text = ""
        var exact = true
        var sjis: [UInt8] = []
        var euc: [UInt8] = []
        var mode = Mode.ascii
        var shiftedOut = false

        // Pending bytes read in one go: Shift_JIS (two bytes a character) or EUC-JP's JIS X
        // 0212 (three); a charset iconv lacks reads as replacements.
        func flush(_ pending: inout [UInt8], as charset: String, width: Int) {
            guard !pending.isEmpty else { return }
            let d = Iconv.decode(pending, from: charset) ?? (String(repeating: "\u{FFFD}", count: pending.count / width), false)
            text += d.text
            exact = exact && d.exact
            pending.removeAll(keepingCapacity: true)
        }
        func flushSJIS() { flush(&sjis, as: "CP932", width: 2) }
        func flushEUC() { flush(&euc, as: "EUC-JP-MS", width: 3) }
        // A byte that cannot be read: one replacement character, and the reading is inexact.
        func unreadable() {
            flushSJIS()
            text += "\u{FFFD}"
            exact = false
        }

        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 2 < bytes.count {
                let a = bytes[i + 1], c = bytes[i + 2]
                var next: Mode?
                var length = 3
                switch (a, c) {
                case (0x28, 0x42), (0x28, 0x4A), (0x28, 0x48): next = .ascii
                case (0x24, 0x42), (0x24, 0x40): next = .jis0208
                case (0x28, 0x49): next = .katakana
                case (0x24, 0x28) where i + 3 < bytes.count:
                    length = 4
                    next = bytes[i + 3] == 0x44 ? .jis0212 : bytes[i + 3] == 0x42 ? .jis0208 : nil
                case (0x26, 0x40):
                    // JIS X 0208-1990's announcer before `ESC $ B`: skip it.
                    i += 3
                    continue
                default: next = nil
                }
                if let next {
                    flushEUC()
                    mode = next
                    i += length
                    continue
                }
            }
            if b == 0x0E { shiftedOut = true; i += 1; continue }
            if b == 0x0F { shiftedOut = false; i += 1; continue }
            if b == 0x0A || b == 0x0D {
                // A line end always returns to ASCII (RFC 1468); broken mailers forget the escape.
                flushEUC()
                if mode != .ascii { mode = .ascii }
                shiftedOut = false
                sjis.append(b)
                i += 1
                continue
            }
            if shiftedOut || mode == .katakana {
                if (0x21...0x5F).contains(b) { sjis.append(b + 0x80) } else { sjis.append(b) }
                i += 1
                continue
            }
            switch mode {
            case .ascii, .katakana:
                if b < 0x80 {
                    sjis.append(b)
                } else {
                    // An 8-bit byte in a 7-bit charset (raw Shift_JIS under a wrong label is
                    // caught by `Charset`'s detection, which runs when this is inexact).
                    unreadable()
                }
                i += 1
            case .jis0208:
                guard i + 1 < bytes.count, (0x21...0x7E).contains(b), (0x21...0x7E).contains(bytes[i + 1]) else {
                    // A space or control inside a two-byte run passes through; anything else is unreadable.
                    if b < 0x21 { sjis.append(b) } else { unreadable() }
                    i += 1
                    continue
                }
                let (s1, s2) = toShiftJIS(b, bytes[i + 1])
                sjis.append(s1)
                sjis.append(s2)
                i += 2
            case .jis0212:
                guard i + 1 < bytes.count else {
                    exact = false
                    i += 1
                    continue
                }
                flushSJIS()
                euc += [0x8F, bytes[i] | 0x80, bytes[i + 1] | 0x80]
                i += 2
            }
        }
        flushEUC()
        flushSJIS()
        return (text, exact)
    }

    /// A JIS X 0208 row/cell pair (each 0x21…0x7E) at its Shift_JIS (CP932) position.
    static func toShiftJIS(_ j1: UInt8, _ j2: UInt8) -> (UInt8, UInt8) {
        let s1 = (j1 + 1) / 2 + (j1 <= 0x5E ? 0x70 : 0xB0)
        var s2: UInt8
        if j1 % 2 == 1 {
            s2 = j2 + 0x1F
            if s2 >= 0x7F { s2 += 1 }
        } else {
            s2 = j2 + 0x7E
        }
        return (s1, s2)
    }
}
