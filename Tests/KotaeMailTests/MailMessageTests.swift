import Foundation
import Testing

@testable import KotaeMail

/// Every mail in the corpus (`Tests/Fixtures/email`, copied from the shared corpus) read as a
/// person would: subjects, bodies and attachment names in the right characters.
struct MailMessageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/email")

    static func mail(_ path: String) throws -> MailMessage {
        MailMessage(parsing: Array(try Data(contentsOf: root.appendingPathComponent(path))))
    }

    static func corpus() throws -> [String] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.contains(".") }
        return try folders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
                .filter { !$0.hasPrefix(".") }.map { "\(folder)/\($0)" }
        }.sorted()
    }

    @Test func japaneseInEveryCharsetReadsRight() throws {
        let utf8 = try Self.mail("mikel-mail/japanese.eml")
        #expect(utf8.subject == "まみむめも")
        #expect(utf8.text.hasPrefix("かきくえこ"))
        #expect(utf8.to.first?.name == "みける")

        let iso = try Self.mail("mikel-mail/japanese_iso_2022.eml")
        #expect(iso.text.hasPrefix("すみません。"))
        #expect(iso.warnings.isEmpty)

        let sjis = try Self.mail("mikel-mail/japanese_shift_jis.eml")
        #expect(sjis.text.contains("このメールはテスト用のメールです。"))
        #expect(sjis.text.contains("今後ともよろしくお願い申し上げます！"))

        let euc = try Self.mail("constructed/euc-jp-plain.doc-example.eml")
        #expect(euc.subject == "ご注文の件")
        #expect(euc.text.contains("注文番号 1001 の配送状況を教えてください。"))

        // Thunderbird's subject split over two ISO-2022-JP words, and a JIS body.
        let split = try Self.mail("mimekit/japanese.txt")
        #expect(split.subject == "日本語メールテスト (testing Japanese emails)")
        #expect(split.text.contains("日本語が\n正常に\n送れているか\nテスト."))
    }

    @Test func attachmentNamesAreDecoded() throws {
        #expect(try Self.mail("mikel-mail/japanese_attachment.eml").attachments.map(\.filename) == ["てすと.txt"])
        #expect(
            try Self.mail("mikel-mail/japanese_attachment_long_name.eml").attachments.map(\.filename) == [
                "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"
            ])
        #expect(try Self.mail("mikel-mail/attachment_nonascii_filename.eml").attachments.map(\.filename) == ["ciële.txt"])
        // A raw 8-bit (Shift_JIS) file name.
        let raw = try Self.mail("enmime/mime-bad-8bit-filename.raw")
        #expect(raw.attachments.map(\.filename) == ["管理.doc"])
        #expect(raw.text.hasPrefix("Text part"))
    }

    @Test func alternativePartsGiveTextAndHTML() throws {
        let m = try Self.mail("enmime/mime-alternative.raw")
        #expect(m.text == "Section one\n" && m.html == nil)
        #expect(m.attachments.isEmpty)
        // Inline images keep their Content-ID for the HTML's cid: links.
        let inline = try Self.mail("enmime/html-mime-inline.raw")
        #expect(inline.html?.contains("cid:") == true)
        #expect(inline.attachments.contains { $0.inline && $0.contentId != nil })
    }

    @Test func forwardedMailIsKeptAndShown() throws {
        let m = try Self.mail("mimekit/simple-embedded-message.eml")
        #expect(m.attachments.contains { $0.contentType == "message/rfc822" && $0.filename.hasSuffix(".eml") })
        #expect(m.text.contains("---------- Forwarded message ----------"))
    }

    @Test func bouncesAndReceiptsAreAutomated() throws {
        #expect(try Self.mail("sisimai/lhost-postfix-09.eml").automated == .bounce)
        #expect(try Self.mail("sisimai/lhost-office365-04.eml").automated == .bounce)
        #expect(try Self.mail("mikel-mail/report_422.eml").automated == .bounce)
        #expect(try Self.mail("mikel-mail/japanese.eml").automated == nil)
    }

    @Test func autoRepliesListsAndOutOfOfficeAreRecognised() {
        func classify(_ headers: String) -> Automated? {
            MailMessage(parsing: Array((headers + "From: a@example.jp\r\nSubject: x\r\n\r\nbody").utf8)).automated
        }
        #expect(classify("Auto-Submitted: auto-replied\r\n") == .autoReply)
        #expect(classify("Auto-Submitted: no\r\n") == nil)
        #expect(classify("X-Autoreply: yes\r\n") == .autoReply)
        #expect(classify("Precedence: bulk\r\n") == .bulk)
        #expect(classify("Precedence: junk\r\n") == .bulk)
        #expect(classify("List-Id: <news.example.jp>\r\n") == .bulk)
        #expect(classify("X-Loop: shop@example.jp\r\n") == .autoReply)
        #expect(classify("X-Auto-Response-Suppress: All\r\nX-MS-Exchange-Inbox-Rules-Loop: a@example.jp\r\n") == .outOfOffice)
        let gmail = MailMessage(
            parsing: Array("From: a@example.jp\r\nAuto-Submitted: auto-replied\r\nSubject: Vacation: 不在にしています\r\n\r\nx".utf8))
        #expect(gmail.automated == .outOfOffice)
    }

    @Test func mailWithoutStructureStillReads() {
        // No headers at all, headers only, an LF-only message, and nothing.
        #expect(MailMessage(parsing: Array("\r\nhello".utf8)).text == "hello")
        let headersOnly = MailMessage(parsing: Array("Subject: only\r\nFrom: a@example.jp\r\n".utf8))
        #expect(headersOnly.subject == "only" && headersOnly.text.isEmpty)
        let lf = MailMessage(parsing: Array("Subject: =?UTF-8?B?44G+44Gg?=\nFrom: <A@Example.jp>\n\nまだ?\n".utf8))
        #expect(lf.subject == "まだ" && lf.text == "まだ?\n" && lf.from.first?.normalized == "a@example.jp")
        #expect(MailMessage(parsing: []).text.isEmpty)
    }

    @Test func formatFlowedIsJoined() {
        let raw = "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n\r\nご注文の商品が \r\nまだ届きません。\r\n"
        #expect(MailMessage(parsing: Array(raw.utf8)).text == "ご注文の商品がまだ届きません。\n")
    }

    /// Whatever the corpus holds, every mail reads: no escape bytes left in any text, and no
    /// replacement character unless a warning says why.
    @Test func everyCorpusMailReadsWithoutRawBytes() throws {
        let files = try Self.corpus()
        #expect(files.count >= 60)
        for file in files {
            let m = try Self.mail(file)
            let texts = [m.subject, m.text] + m.attachments.map(\.filename) + m.from.compactMap(\.name)
            for t in texts {
                #expect(!t.contains("\u{1B}"), "\(file): escape bytes left in \(t.prefix(60))")
                if t.contains("\u{FFFD}") {
                    #expect(!m.warnings.isEmpty, "\(file): unreadable characters without a warning")
                }
            }
            #expect(!m.text.isEmpty || !m.attachments.isEmpty || m.subject != "" || file.contains("missing_body"), "\(file)")
        }
    }
}

/// Bounces from real MTAs (sisimai's set): which recipients failed and whether the address
/// itself is wrong for good.
@Suite struct DeliveryReportTests {
    static func mail(_ name: String) throws -> MailMessage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/email/sisimai/\(name)")
        return MailMessage(parsing: Array(try Data(contentsOf: url)))
    }

    @Test func exchangesUnknownRecipientMarksTheAddressAFullQueueOrAScriptErrorDoesNot() throws {
        let office = try Self.mail("lhost-office365-04.eml")
        #expect(office.automated == .bounce)
        #expect(office.deliveryFailures.map(\.address) == ["otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp"])
        #expect(office.deliveryFailures.first?.status == "5.1.351")
        #expect(office.deliveryFailures.first?.diagnostic?.contains("User unknown") == true)
        #expect(office.deliveryFailures.allSatisfy { $0.addressDoesNotExist })

        let postfix = try Self.mail("lhost-postfix-09.eml")
        #expect(postfix.deliveryFailures.map(\.status) == ["4.3.2"])
        #expect(!postfix.deliveryFailures.contains { $0.addressDoesNotExist })
        let sendmail = try Self.mail("lhost-sendmail-18.eml")
        #expect(sendmail.deliveryFailures.map(\.address) == ["kijitora@example.jp"])
        #expect(!sendmail.deliveryFailures.contains { $0.addressDoesNotExist })
    }

    @Test func aReportIsReadWithFoldedLinesAndAHeaderOnlyBounceToo() {
        let report = """
            Reporting-MTA: dns; mx.example.jp

            Final-Recipient: rfc822;
              <Taro@Example.JP>
            Action: failed
            Status: 5.1.1 (bad destination mailbox address)
            Diagnostic-Code: smtp; 550 5.1.1 <taro@example.jp>:
              Recipient address rejected: User unknown

            Final-Recipient: rfc822; hanako@example.jp
            Action: delivered
            Status: 2.0.0
            """
        let failures = MailMessage.failures(inReport: report)
        #expect(failures.count == 1)
        #expect(failures.first?.address == "taro@example.jp")
        #expect(failures.first?.status == "5.1.1")
        #expect(failures.first?.diagnostic?.hasSuffix("Recipient address rejected: User unknown") == true)
        let header = MailMessage(
            parsing: Array("From: MAILER-DAEMON@example.jp\r\nX-Failed-Recipients: a@example.jp, <B@example.jp>\r\nSubject: x\r\n\r\nfailed\r\n".utf8)
        )
        #expect(header.deliveryFailures.map(\.address) == ["a@example.jp", "b@example.jp"])
        #expect(!header.deliveryFailures.contains { $0.addressDoesNotExist })
    }
}
