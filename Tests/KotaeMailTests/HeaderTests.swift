import Foundation
import Testing

@testable import KotaeMail

struct HeaderTests {
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    @Test func adjacentEncodedWordsAreJoinedAsBytes() {
        // 日本 in UTF-8 split inside 日 (E6 97 A5 | E6 9C AC).
        let utf8 = Array("日本".utf8)
        let subject = "=?UTF-8?B?\(Self.base64(Array(utf8[0..<2])))?= =?UTF-8?B?\(Self.base64(Array(utf8[2...])))?="
        #expect(EncodedWords.decode(Array(subject.utf8)).text == "日本")
        // The same, folded over two lines with Q encoding.
        let q = "=?utf-8?Q?=E6=97?=\r\n =?utf-8?Q?=A5=E6=9C=AC?= desu"
        #expect(EncodedWords.decode(Array(q.utf8)).text == "日本 desu")
    }

    @Test func encodedWordsKeepTheSpacesOfTheTextAroundThem() {
        #expect(EncodedWords.decode(Array("Re: =?UTF-8?B?44G+44Gg?= ?".utf8)).text == "Re: まだ ?")
        #expect(EncodedWords.decode(Array("=?ISO-8859-1?Q?caf=E9_cr=E8me?=".utf8)).text == "café crème")
        // Different charsets in a row are read each in its own.
        let mixed = "=?ISO-8859-1?Q?caf=E9?= =?UTF-8?B?44G+44Gg?="
        #expect(EncodedWords.decode(Array(mixed.utf8)).text == "caféまだ")
    }

    @Test func brokenEncodedWordsAreReadAsFarAsTheyGo() {
        // No closing `?=`.
        #expect(EncodedWords.decode(Array("=?UTF-8?B?44G+44Gg".utf8)).text == "まだ")
        // Not an encoded word at all: kept as written.
        #expect(EncodedWords.decode(Array("=?what is this".utf8)).text == "=?what is this")
        #expect(EncodedWords.decode(Array("price =?".utf8)).text == "price =?")
    }

    @Test func rawEightBitAndRawISO2022JPHeadersAreRead() {
        // A Shift_JIS subject sent raw, and a raw JIS one (escapes in the header itself).
        #expect(EncodedWords.decode([0x82, 0xDC, 0x82, 0xBE, 0x3F]).text == "まだ?")
        let jis: [UInt8] = [0x1B, 0x24, 0x42, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42]
        #expect(EncodedWords.decode(jis).text == "まだ")
    }

    @Test func parametersWithRFC2231ContinuationsAndCharsets() {
        let raw = "attachment;\r\n filename*0*=UTF-8''%E8%AB%8B%E6%B1; filename*1*=%82%E6%9B%B8.pdf; size=10"
        let p = HeaderParameters(parsing: Array(raw.utf8))
        #expect(p.value == "attachment")
        #expect(p["filename"] == "請求書.pdf")
        #expect(p["size"] == "10")
        // Continuations out of order, one not encoded.
        let q = HeaderParameters(parsing: Array(#"inline; name*1="b.txt"; name*0="a-""#.utf8))
        #expect(q["name"] == "a-b.txt")
        // ISO-2022-JP with a language.
        let jp = HeaderParameters(parsing: Array("attachment; filename*=iso-2022-jp'ja'%1B%24B%24%5E%24%40%1B%28B.txt".utf8))
        #expect(jp["filename"] == "まだ.txt")
    }

    @Test func parametersInTheFormsMailersReallySend() {
        // An encoded word inside quotes (not allowed, very common), quoted escapes, and
        // the first of a repeated name.
        let p = HeaderParameters(
            parsing: Array(#"Text/Plain; name="=?UTF-8?B?5rOo5paH5pu4?=.txt"; charset = "utf-8"; charset=latin1; x="a\"b""#.utf8))
        #expect(p.value == "text/plain")
        #expect(p["name"] == "注文書.txt")
        #expect(p["charset"] == "utf-8")
        #expect(p["x"] == #"a"b"#)
        // No semicolons, a comment and a missing value.
        let q = HeaderParameters(parsing: Array("multipart/mixed (comment) boundary=abc; junk".utf8))
        #expect(q["boundary"] == "abc")
    }

    @Test func addressesWithDecodedNames() {
        let raw = #""山田 太郎" <Taro@Example.JP>, =?UTF-8?B?5L2Q6Jek?= <sato@example.jp>, plain@example.com (Plain Name), undisclosed-recipients:;"#
        let list = MailAddress.list(Array(raw.utf8))
        #expect(list.map(\.address) == ["Taro@Example.JP", "sato@example.jp", "plain@example.com"])
        #expect(list.map(\.name) == ["山田 太郎", "佐藤", "Plain Name"])
        #expect(list[0].normalized == "taro@example.jp")
        let group = MailAddress.list(Array("Shop team: a@example.jp, b@example.jp;".utf8))
        #expect(group.map(\.address) == ["a@example.jp", "b@example.jp"])
        #expect(MailAddress.list(Array("not an address".utf8)).isEmpty)
    }

    @Test func datesInTheFormsMailCarries() {
        let expected = Date(timeIntervalSince1970: 1_764_548_040)  // 2025-12-01T00:14:00Z
        #expect(MailDate.parse("Mon, 1 Dec 2025 09:14:00 +0900") == expected)
        #expect(MailDate.parse("1 Dec 2025 09:14 +0900") == expected)
        #expect(MailDate.parse("Mon, 01 Dec 2025 09:14:00 JST") == expected)
        #expect(MailDate.parse("Mon, 1 Dec 25 00:14:00 GMT (UTC)") == expected)
        #expect(MailDate.parse("yesterday") == nil)
        #expect(MailDate.parse("Mon, 41 Dec 2025 09:14:00 +0900") == nil)
    }

    @Test func messageIDListsWithAndWithoutBrackets() {
        #expect(MessageIDs.list(Array("<a@b>\r\n <c@d>".utf8)) == ["a@b", "c@d"])
        #expect(MessageIDs.list(Array("a@b".utf8)) == ["a@b"])
    }

    @Test func transferEncodingsForgiveWhatMailersGetWrong() {
        // Base64 without padding, with line breaks and junk.
        #expect(TransferEncoding.base64(Array("44G+\r\n44Gg!".utf8)) == Array("まだ".utf8))
        #expect(TransferEncoding.base64(Array("YQ".utf8)) == Array("a".utf8))
        // Two base64 runs glued together.
        #expect(TransferEncoding.base64(Array("YQ==Yg==".utf8)) == Array("ab".utf8))
        // QP soft breaks (CRLF and LF), and a broken escape kept literally.
        let qp = TransferEncoding.quotedPrintable(Array("caf=C3=A9 =\r\nau =\nlait =ZZ =".utf8), underscoreIsSpace: false)
        #expect(String(decoding: qp, as: UTF8.self) == "café au lait =ZZ ")
        #expect(TransferEncoding(header: "Quoted Printable") == .quotedPrintable)
        #expect(TransferEncoding(header: " BASE64 ") == .base64)
        #expect(TransferEncoding(header: "8bit") == .identity)
    }
}
