import Foundation
import KotaeCore
import KotaeServer
import KotaeStore
import Logging

/// `kotae import` of a generated folder of `.eml` files into a fresh SQLite database:
/// emails/s parsed and stored, and how many replies landed in their thread. Each thread has
/// a first mail, a reply threaded by References alone (no In-Reply-To), and a reply with no
/// thread headers at all ("Re:" and the same sender); a tenth carry an attachment; the
/// charsets are ISO-2022-JP, UTF-8 (base64) and Shift_JIS (quoted-printable) in turn.
struct ImportBench {
    let dir: String
    let threads: Int

    func run(report: inout BenchReport, logger: Logger) async throws {
        let corpus = dir + "/import-corpus-v1-\(threads)"
        if !FileManager.default.fileExists(atPath: corpus + "/done") { try generate(into: corpus) }
        let dataDir = dir + "/import-\(UUID().uuidString.prefix(8))"
        var config = KotaeConfig()
        config.dataDirectory = dataDir
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: "bench"))
        let inbox = try await store.inboxes.create(name: "mail", channel: .email, settings: ["address": "support@shop.example"])
        await db.close()

        let summary = try await MailImport.run(config: config, inboxId: inbox.id, path: corpus) { _, _ in }
        report.add(
            "kotae import of \(summary.total) .eml files (SQLite, release)",
            String(
                format: "%.0f emails/s (%.1f s; %d imported, %d duplicates)", Double(summary.total) / summary.seconds, summary.seconds,
                summary.imported, summary.duplicates),
            "≥ 2,000 emails/s")

        // Threading: every reply must be in its first mail's conversation.
        let check = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
        let checkStore = KotaeStore(db: check, secrets: SecretBox(secret: "bench"))
        var joined = 0, replies = 0
        for t in 0..<threads {
            let root = try await checkStore.conversations.mailThread(holdingAny: ["email:t\(t)-0@bench.example"], inboxId: inbox.id)
            for k in 1...2 {
                replies += 1
                let reply = try await checkStore.conversations.mailThread(holdingAny: ["email:t\(t)-\(k)@bench.example"], inboxId: inbox.id)
                if let root, reply?.conversationId == root.conversationId { joined += 1 }
            }
        }
        await check.close()
        report.add(
            "threading of the imported replies (References only, and subject only)",
            String(format: "%.1f %% joined (%d of %d)", Double(joined) * 100 / Double(replies), joined, replies), "100 %")
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    func generate(into folder: String) throws {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var n = 0
        for t in 0..<threads {
            let sender = "customer\(t)@example.jp"
            let subject = "ご注文 #\(10_000 + t) の配送について"
            let bodies = [
                "先週注文した自転車がまだ届きません。\n注文番号は #\(10_000 + t) です。\n確認をお願いします。\n",
                "追伸：配達希望は平日の午前です。①番の部品も同梱でお願いします。\n",
                "まだでしょうか？\n",
            ]
            for k in 0..<3 {
                var headers = "From: =?UTF-8?B?\(Data("山田 \(t)".utf8).base64EncodedString())?= <\(sender)>\r\nTo: support@shop.example\r\n"
                headers += "Date: Tue, 1 Dec 2026 \(9 + k):\(String(format: "%02d", t % 60)):00 +0900\r\n"
                headers += "Message-ID: <t\(t)-\(k)@bench.example>\r\n"
                let subjectLine = k == 0 ? subject : "Re: " + subject
                if k == 1 { headers += "References: <t\(t)-0@bench.example>\r\n" }
                let text = bodies[k]
                var body: String
                switch (t + k) % 3 {
                case 0:
                    let jis = String(data: text.data(using: .iso2022JP) ?? Data(), encoding: .ascii) ?? text
                    headers += "Subject: =?ISO-2022-JP?B?\((subjectLine.data(using: .iso2022JP) ?? Data()).base64EncodedString())?=\r\n"
                    body = "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + jis
                case 1:
                    headers += "Subject: =?UTF-8?B?\(Data(subjectLine.utf8).base64EncodedString())?=\r\n"
                    body =
                        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Data(text.utf8).base64EncodedString()
                default:
                    headers += "Subject: =?UTF-8?Q?\(Self.qEncoded(subjectLine))?=\r\n"
                    let sjis = text.data(using: .shiftJIS) ?? Data()
                    body = "Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + Self.qp(sjis)
                }
                if t % 10 == 0 && k == 0 {
                    let boundary = "b\(t)"
                    body =
                        "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n--\(boundary)\r\n" + body
                        + "\r\n--\(boundary)\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E6%B3%A8%E6%96%87%E6%9B%B8\(t).pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + Data("%PDF-1.4 order \(t)\n".utf8).base64EncodedString() + "\r\n--\(boundary)--\r\n"
                }
                let raw = "MIME-Version: 1.0\r\n" + headers + body
                try Data(raw.utf8).write(to: URL(fileURLWithPath: folder + String(format: "/%07d.eml", n)))
                n += 1
            }
        }
        try Data().write(to: URL(fileURLWithPath: folder + "/done"))
    }

    static func qEncoded(_ s: String) -> String {
        Data(s.utf8).map { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
        }.joined()
    }

    static func qp(_ d: Data) -> String {
        var out = "", line = 0
        for b in d {
            let piece = b == 0x0A ? "\r\n" : (b >= 0x21 && b <= 0x7E && b != 0x3D ? String(UnicodeScalar(b)) : String(format: "=%02X", b))
            if b != 0x0A && line + piece.count > 72 {
                out += "=\r\n"
                line = 0
            }
            out += piece
            line = b == 0x0A ? 0 : line + piece.count
        }
        return out
    }
}
