import Testing

@testable import KotaeMail

/// Japanese charsets read as Japanese mailers write them, and a missing or wrong label
/// detected (zammad#6144, freescout#3122/#3124).
struct CharsetTests {
    static let esc: UInt8 = 0x1B
    /// `ESC $ B` … `ESC ( B` around JIS bytes.
    static func jis(_ body: [UInt8]) -> [UInt8] { [esc, 0x24, 0x42] + body + [esc, 0x28, 0x42] }

    @Test func cp932OnlyCharactersReadFromShiftJIS() {
        // ① ㈱ (NEC row 13), 髙 as NEC-selected IBM (EEE0) and as IBM (FBFC).
        let d = Charset.decode([0x87, 0x40, 0x87, 0x8A, 0xEE, 0xE0, 0xFB, 0xFC], label: "Shift_JIS")
        #expect(d.text == "①㈱髙髙")
        #expect(d.warning == nil)
        #expect(Charset.decode([0x87, 0x40], label: "windows-31j").text == "①")
    }

    @Test func iso2022JPIsReadAsCP50220() {
        // ① 2D21, ㈱ 2D6A, 髙 7C62 (the NEC-selected IBM row): glibc's ISO-2022-JP refuses all three.
        let d = Charset.decode(Self.jis([0x2D, 0x21, 0x2D, 0x6A, 0x7C, 0x62]), label: "ISO-2022-JP")
        #expect(d.text == "①㈱髙")
        #expect(d.warning == nil)
        // Half-width katakana by `ESC ( I`: ｶﾅ.
        #expect(Charset.decode([Self.esc, 0x28, 0x49, 0x36, 0x45, Self.esc, 0x28, 0x42], label: "iso-2022-jp").text == "ｶﾅ")
    }

    @Test func aMissingCharsetIsDetected() {
        // Outlook's `text/plain;` with ISO-2022-JP bytes: 7-bit, so "valid UTF-8", but not text.
        let iso = Self.jis([0x24, 0x5E, 0x24, 0x40]) + Array("?".utf8)
        #expect(Charset.decode(iso, label: nil).text == "まだ?")
        #expect(Charset.decode(iso, label: "us-ascii").text == "まだ?")
        // EUC-JP and Shift_JIS unlabelled, three characters only.
        let euc: [UInt8] = [0xA4, 0xDE, 0xA4, 0xC0, 0x3F]
        let d = Charset.decode(euc, label: nil)
        #expect(d.text == "まだ?" && d.charset == "euc-jp")
        let sjis: [UInt8] = [0x82, 0xDC, 0x82, 0xBE, 0x3F]
        let s = Charset.decode(sjis, label: nil)
        #expect(s.text == "まだ?" && s.charset == "shift_jis")
        #expect(Charset.decode(Array("まだ?".utf8), label: nil).text == "まだ?")
    }

    @Test func eucJPIsReadWithoutFoundation() {
        // Foundation's `.japaneseEUC` returns nil on Linux; iconv reads it.
        let d = Charset.decode([0xA4, 0xDE, 0xA4, 0xC0, 0x3F], label: "EUC-JP")
        #expect(d.text == "まだ?" && d.warning == nil)
    }

    @Test func aWrongLabelFallsBackToWhatReadsCleanly() {
        let d = Charset.decode(Array("ご注文の件です".utf8), label: "shift_jis")
        #expect(d.text == "ご注文の件です")
        #expect(d.warning == "labelled shift_jis but read as utf-8")
    }

    @Test func anUnknownCharsetIsReadByDetectionWithAWarning() {
        let d = Charset.decode(Array("こんにちは".utf8), label: "x-unknown-charset")
        #expect(d.text == "こんにちは")
        #expect(d.warning?.contains("unknown charset x-unknown-charset") == true)
    }

    @Test func otherCharsetsMailArrivesIn() {
        #expect(Charset.decode([0xC7, 0xD1, 0xB1, 0xDB], label: "ks_c_5601-1987").text == "한글")
        #expect(Charset.decode([0xC4, 0xE3, 0xBA, 0xC3], label: "gb2312").text == "你好")
        #expect(Charset.decode([0xA7, 0x41, 0xA6, 0x6E], label: "big5").text == "你好")
        #expect(Charset.decode([0x63, 0x61, 0x66, 0xE9, 0x80], label: "iso-8859-1").text == "café€")
        #expect(Charset.decode([0xE0, 0xA4], label: "windows-1251").text == "а¤")
        #expect(Charset.decode([0xB1], label: "iso-8859-2").text == "ą")
    }

    @Test func bytesThatCannotBeReadBecomeReplacementsWithAWarning() {
        // A lone lead byte at the end of CP932 text.
        let d = Charset.decode([0x82, 0xA0, 0x82], label: "shift_jis")
        #expect(d.text.hasPrefix("あ"))
        #expect(d.warning != nil)
    }
}
