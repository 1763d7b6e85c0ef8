/// Text in any charset mail arrives in, read as the Japanese and Asian mailers that write it
/// mean it, and a missing or wrong label detected instead of storing the raw bytes.
public enum Charset {
    public struct Decoded: Sendable, Equatable {
        public var text: String
        /// The charset the text was read in (the label's, or the detected one).
        public var charset: String
        /// Why the text may not be what the sender wrote; nil when it was read exactly.
        public var warning: String?
    }

    /// `bytes` as text. `label` is the charset the mail names, or nil when it names none.
    public static func decode(_ bytes: [UInt8], label: String?) -> Decoded {
        let name = label.map(normalized) ?? ""
        if name.isEmpty || name == "us-ascii" {
            // No charset (or plain ASCII claimed): Outlook sends ISO-2022-JP unlabelled.
            let found = detect(bytes)
            let mislabelled = !name.isEmpty && !isASCII(bytes) && found.charset != "us-ascii"
            return Decoded(
                text: found.text, charset: found.charset,
                warning: found.warning ?? (mislabelled ? "labelled us-ascii but read as \(found.charset)" : nil))
        }
        if let read = read(bytes, as: name) {
            if read.exact { return Decoded(text: read.text, charset: name, warning: nil) }
            // A wrong label (Outlook Web calls Japanese gb2312): take what reads cleanly.
            let found = detect(bytes)
            if found.warning == nil && found.charset != name {
                return Decoded(text: found.text, charset: found.charset, warning: "labelled \(name) but read as \(found.charset)")
            }
            return Decoded(text: read.text, charset: name, warning: "some characters could not be read as \(name)")
        }
        let found = detect(bytes)
        return Decoded(text: found.text, charset: found.charset, warning: "unknown charset \(name); read as \(found.charset)")
    }

    /// Lower case, quotes and spaces gone, common aliases mapped to one name.
    static func normalized(_ label: String) -> String {
        var s = label.lowercased()
        s.removeAll { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "\t" }
        return aliases[s] ?? s
    }

    private static let aliases: [String: String] = [
        "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "ascii": "us-ascii", "ansi_x3.4-1968": "us-ascii",
        "iso-2022-jp-1": "iso-2022-jp", "iso-2022-jp-2": "iso-2022-jp", "iso-2022-jp-3": "iso-2022-jp",
        "iso-2022-jp-ms": "iso-2022-jp", "csiso2022jp": "iso-2022-jp", "cp50220": "iso-2022-jp", "cp50221": "iso-2022-jp",
        "cp50222": "iso-2022-jp", "jis": "iso-2022-jp",
        "shift-jis": "shift_jis", "sjis": "shift_jis", "x-sjis": "shift_jis", "windows-31j": "shift_jis", "cp932": "shift_jis",
        "ms932": "shift_jis", "ms_kanji": "shift_jis", "csshiftjis": "shift_jis", "x-ms-cp932": "shift_jis",
        "shift_jisx0213": "shift_jis", "x-mac-japanese": "shift_jis",
        "x-euc-jp": "euc-jp", "eucjp": "euc-jp", "cseucpkdfmtjapanese": "euc-jp", "eucjp-ms": "euc-jp", "euc-jp-ms": "euc-jp",
        "ks_c_5601-1987": "euc-kr", "ks_c_5601": "euc-kr", "cp949": "euc-kr", "windows-949": "euc-kr", "ksc5601": "euc-kr",
        "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
        "big5-hkscs": "big5", "x-big5": "big5", "cp950": "big5",
        "latin1": "iso-8859-1", "l1": "iso-8859-1", "iso8859-1": "iso-8859-1", "iso_8859-1": "iso-8859-1",
        "cp1252": "windows-1252", "x-cp1252": "windows-1252",
    ]

    /// The iconv name each normalized label is read with: the vendor supersets mailers write
    /// (CP932 for Shift_JIS, EUC-JP-MS, CP949 for EUC-KR, GB18030 for GB2312, Windows-1252 for
    /// Latin-1, as browsers do).
    private static let iconvNames: [String: String] = [
        "shift_jis": "CP932", "euc-jp": "EUC-JP-MS", "euc-kr": "CP949", "gb18030": "GB18030", "big5": "BIG5-HKSCS",
        "iso-8859-1": "WINDOWS-1252",
    ]

    /// `bytes` read as `name`, or nil when the charset is unknown.
    static func read(_ bytes: [UInt8], as name: String, strict: Bool = false) -> (text: String, exact: Bool)? {
        switch name {
        case "utf-8":
            if let s = String(validating: bytes, as: UTF8.self) { return (s, true) }
            return strict ? nil : (String(decoding: bytes, as: UTF8.self), false)
        case "us-ascii":
            return isASCII(bytes) ? (String(decoding: bytes, as: UTF8.self), true) : nil
        case "iso-2022-jp":
            let d = ISO2022JP.decode(bytes)
            return strict && !d.exact ? nil : d
        default:
            return Iconv.decode(bytes, from: iconvNames[name] ?? name.uppercased(), strict: strict)
        }
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    /// The charset unlabelled bytes are most likely in: ISO-2022-JP by its escapes, UTF-8 when
    /// valid, else the Japanese legacy charset whose reading looks most like Japanese text.
    static func detect(_ bytes: [UInt8]) -> (text: String, charset: String, warning: String?) {
        if ISO2022JP.hasEscape(bytes) {
            let d = ISO2022JP.decode(bytes)
            return (d.text, "iso-2022-jp", d.exact ? nil : "some characters could not be read as iso-2022-jp")
        }
        if isASCII(bytes) { return (String(decoding: bytes, as: UTF8.self), "us-ascii", nil) }
        if let s = String(validating: bytes, as: UTF8.self) { return (s, "utf-8", nil) }
        var best: (text: String, charset: String, score: Int)?
        for name in ["shift_jis", "euc-jp", "gb18030", "euc-kr", "big5"] {
            guard let d = read(bytes, as: name, strict: true) else { continue }
            let score = japaneseScore(d.text)
            if best == nil || score > best!.score { best = (d.text, name, score) }
        }
        if let best, best.score > 0 || best.charset == "shift_jis" || best.charset == "euc-jp" {
            return (best.text, best.charset, nil)
        }
        if let best { return (best.text, best.charset, "no charset named; read as \(best.charset)") }
        let latin = read(bytes, as: "windows-1252") ?? (String(decoding: bytes, as: UTF8.self), false)
        return (latin.text, "windows-1252", "no charset named and none fits; read as windows-1252")
    }

    /// How much a reading looks like Japanese prose: hiragana and the long-vowel mark count
    /// most (every sentence has them), kanji and full-width katakana a little; half-width
    /// katakana and Hangul (what a wrong Japanese guess turns into) count against.
    static func japaneseScore(_ s: String) -> Int {
        var score = 0
        for u in s.unicodeScalars {
            switch u.value {
            case 0x3041...0x309F, 0x30FC: score += 3
            case 0x30A0...0x30FF, 0x3000...0x303F, 0xFF01...0xFF5E: score += 1
            case 0x4E00...0x9FFF: score += 1
            case 0xFF61...0xFF9F: score -= 2
            case 0xAC00...0xD7AF, 0x1100...0x11FF: score -= 1
            case 0xE000...0xF8FF: score -= 3
            default: break
            }
        }
        return score
    }
}
