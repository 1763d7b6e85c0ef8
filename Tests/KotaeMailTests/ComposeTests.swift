import Foundation
import Testing

@testable import KotaeMail

/// What Kotae writes reads back the same, by Kotae's reader (Python's reader checks the same
/// in the server's SMTP tests), in UTF-8 and in ISO-2022-JP.
struct ComposeTests {
    static func mail(_ text: String, subject: String, jis: Bool = false) -> OutgoingMail {
        var m = OutgoingMail(
            from: MailAddress(name: "みどり自転車店", address: "support@shop.example.jp"),
            to: [MailAddress(name: "髙橋 一郎", address: "takahashi@example.jp")], subject: subject,
            messageId: "kotae.1.kabc.x@shop.example.jp", date: Date(timeIntervalSince1970: 1_764_548_040), text: text)
        m.preferISO2022JP = jis
        return m
    }

    static func encodedWords(_ raw: [UInt8]) -> [String] {
        let s = String(decoding: raw, as: UTF8.self)
        var words: [String] = []
        var rest = Substring(s)
        while let start = rest.range(of: "=?") {
            guard let end = rest[start.upperBound...].range(of: "?=") else { break }
            // The end is the `?=` after the encoding's `?X?`.
            let word = rest[start.lowerBound..<end.upperBound]
            words.append(String(word))
            rest = rest[end.upperBound...]
        }
        return words
    }

    @Test func iso2022JPKeepsTheCharactersOnlyMicrosoftsTableHas() {
        let text = "①㈱髙橋 様\nｶﾞｲﾄﾞをお送りします。"
        let raw = Self.mail(text, subject: "①の件（髙橋様）", jis: true).rendered()
        #expect(raw.allSatisfy { $0 < 0x80 })
        let back = MailMessage(parsing: raw)
        // A single 7-bit part ends with the message's last line end.
        #expect(back.text == "①㈱髙橋 様\nガイドをお送りします。\n")
        #expect(back.subject == "①の件（髙橋様）")
        #expect(back.to.first?.name == "髙橋 一郎")
        #expect(back.warnings.isEmpty)
    }

    @Test func longJapaneseSubjectsAreSplitBetweenCharactersInShortWords() {
        let subject = String(repeating: "ご注文の自転車の配送状況について確認させてください。", count: 4)
        for jis in [false, true] {
            let raw = Self.mail("本文", subject: subject, jis: jis).rendered()
            let words = Self.encodedWords(raw)
            #expect(words.count > 4)
            #expect(words.allSatisfy { $0.count <= 75 }, "\(words.map(\.count))")
            // Each word reads on its own: none splits a character.
            #expect(words.allSatisfy { !EncodedWords.decode(Array($0.utf8)).text.contains("\u{FFFD}") })
            #expect(MailMessage(parsing: raw).subject == subject)
        }
    }

    @Test func utf8TextAttachmentsAndThreadHeadersReadBack() {
        var m = Self.mail("ご注文ありがとうございます。\n.dot line\n" + String(repeating: "long line ", count: 30), subject: "Re: まだ?")
        m.cc = [MailAddress(name: "Keiri, Accounts", address: "keiri@example.jp")]
        m.inReplyTo = "customer-1@example.jp"
        m.references = ["earlier@example.jp", "customer-1@example.jp"]
        m.html = "<p>ご注文ありがとうございます。</p>"
        m.files = [OutgoingMail.File(filename: "請求書 12月.pdf", contentType: "application/pdf", data: Array("%PDF-1.4\n".utf8))]
        let raw = m.rendered()
        let lines = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let back = MailMessage(parsing: raw)
        #expect(back.text == "ご注文ありがとうございます。\n.dot line\n" + String(repeating: "long line ", count: 30))
        #expect(back.html == "<p>ご注文ありがとうございます。</p>")
        #expect(back.cc == [MailAddress(name: "Keiri, Accounts", address: "keiri@example.jp")])
        #expect(back.inReplyTo == ["customer-1@example.jp"])
        #expect(back.references == ["earlier@example.jp", "customer-1@example.jp"])
        #expect(back.messageId == "kotae.1.kabc.x@shop.example.jp")
        #expect(back.attachments.map(\.filename) == ["請求書 12月.pdf"])
        #expect(back.attachments.first?.data == Array("%PDF-1.4\n".utf8))
        #expect(back.automated == nil)
    }

    @Test func textJISCannotHoldGoesInUTF8() {
        let raw = Self.mail("ありがとうございます🙇", subject: "お礼", jis: true).rendered()
        #expect(String(decoding: raw, as: UTF8.self).contains("charset=UTF-8"))
        #expect(MailMessage(parsing: raw).text == "ありがとうございます🙇")
    }

    @Test func kotaesOwnAutomatedMailSaysSo() {
        var m = Self.mail("受け付けました", subject: "自動返信")
        m.automated = true
        #expect(MailMessage(parsing: m.rendered()).automated == .autoReply)
    }
}
