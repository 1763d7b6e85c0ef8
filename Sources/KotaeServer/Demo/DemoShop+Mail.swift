import Foundation
import KotaeCore
import KotaeStore

/// The demo's email inbox as mail really arrives: Outlook's ISO-2022-JP without a charset,
/// with ① ㈱ 髙 in the name, subject and body; the customer's reply threaded by its
/// References; and an out-of-office that nobody has to answer.
extension DemoShop {
    static func loadMail(_ app: AppServices, inbox: Inbox, now: Date) async throws {
        let inbox = try await app.store.inboxes.update(
            id: inbox.id, name: nil, settings: ["address": "support@midori-cycles.jp", "fromName": "みどり自転車店"], credentials: nil,
            slaPolicy: nil)
        let intake = MailIntake(app: app)
        for (i, raw) in demoMails(now: now).enumerated() {
            _ = try await intake.receive(raw, inbox: inbox, receivedAt: now.addingTimeInterval(Double(i - 3) * 600))
        }
    }

    /// Raw mails, byte for byte as their mailers send them.
    static func demoMails(now: Date) -> [[UInt8]] {
        let esc: [UInt8] = [0x1B]
        func jis(_ bytes: [UInt8]) -> [UInt8] { esc + Array("$B".utf8) + bytes + esc + Array("(B".utf8) }
        func date(_ minutesAgo: Double) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "Asia/Tokyo")
            f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
            return f.string(from: now.addingTimeInterval(-minutesAgo * 60))
        }
        // 髙橋 (NEC-selected IBM row 92: 7C62) of ㈱ (NEC row 13: 2D6A), in JIS.
        let name = jis([0x7C, 0x62, 0x36, 0x36]) + Array(" ".utf8) + jis([0x2D, 0x6A])
        // 「①の部品がまだ届きません」
        let body =
            jis([
                0x2D, 0x21, 0x24, 0x4E, 0x49, 0x74, 0x49, 0x4A, 0x24, 0x2C, 0x24, 0x5E, 0x24, 0x40, 0x46, 0x4F, 0x24, 0x2D, 0x24, 0x5E, 0x24, 0x3B,
                0x24, 0x73,
            ])
            + Array("\r\n".utf8)
        // 「部品の納期」
        let subject = "=?ISO-2022-JP?B?\(Data(jis([0x49, 0x74, 0x49, 0x4A, 0x24, 0x4E, 0x47, 0x3C, 0x34, 0x7C])).base64EncodedString())?="
        let first =
            Array(
                """
                From: =?ISO-2022-JP?B?\(Data(name).base64EncodedString())?= <takahashi@takahashi-shoji.example.jp>\r
                To: support@midori-cycles.jp\r
                Subject: \(subject)\r
                Date: \(date(70))\r
                Message-ID: <demo-outlook-1@takahashi-shoji.example.jp>\r
                X-Mailer: Microsoft Outlook 16.0\r
                Content-Type: text/plain;\r
                \r

                """.utf8) + body
        let reply = Array(
            """
            From: takahashi@takahashi-shoji.example.jp\r
            To: support@midori-cycles.jp\r
            Subject: Re: \(subject)\r
            Date: \(date(20))\r
            Message-ID: <demo-outlook-2@takahashi-shoji.example.jp>\r
            References: <demo-outlook-1@takahashi-shoji.example.jp>\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            追伸：注文番号は #1077 です。\r
            \r
            2026年12月1日(火) 9:14 髙橋 <takahashi@takahashi-shoji.example.jp>:\r
            > ①の部品がまだ届きません\r

            """.utf8)
        let outOfOffice = Array(
            """
            From: Sato Ichiro <sato.ichiro@example.co.jp>\r
            To: support@midori-cycles.jp\r
            Subject: =?UTF-8?B?6Ieq5YuV5b+c562UOiDkuI3lnKjjgavjgZfjgabjgYTjgb7jgZk=?=\r
            Date: \(date(5))\r
            Message-ID: <demo-oof-1@example.co.jp>\r
            Auto-Submitted: auto-replied\r
            Content-Type: text/plain; charset=UTF-8\r
            \r
            12月3日まで不在にしております。戻り次第ご連絡いたします。\r

            """.utf8)
        return [first, reply, outOfOffice]
    }
}
