import Foundation

/// Mail a program wrote: an auto-reply or out-of-office, a list or bulk mailing, a bounce.
/// Such mail is stored but never answered automatically and never counted as a waiting
/// customer (RFC 3834, and the headers Exchange, Gmail and list servers really send).
public enum Automated: String, Sendable, Equatable {
    case autoReply = "auto-reply"
    case outOfOffice = "out-of-office"
    case bulk
    case bounce

    static func classify(_ m: MailMessage) -> Automated? {
        let h = m.headers
        func value(_ name: String) -> String? { h.string(name)?.lowercased().trimmingCharacters(in: .whitespacesAndNewlines) }
        let contentType = MIMEPartType.of(h)
        if contentType.value == "multipart/report",
            ["delivery-status", "disposition-notification"].contains(contentType["report-type"]?.lowercased() ?? "")
        {
            return .bounce
        }
        if h.raw("X-Failed-Recipients") != nil { return .bounce }
        let from = m.from.first?.normalized ?? ""
        let local = from.split(separator: "@").first.map(String.init) ?? ""
        if local == "mailer-daemon" || local == "postmaster" { return .bounce }
        if h.raw("Return-Path").map({ String(decoding: $0, as: UTF8.self).filter { !$0.isWhitespace } }) == "<>" {
            // A null return path is how DSNs and auto-replies avoid loops.
            if let auto = value("Auto-Submitted"), auto != "no" { return replyKind(m) }
            return .bounce
        }
        if let auto = value("Auto-Submitted"), auto != "no" { return replyKind(m) }
        if let x = value("X-Autoreply"), x == "yes" || x == "true" { return replyKind(m) }
        if value("X-Autorespond") != nil { return replyKind(m) }
        if let suppress = value("X-Auto-Response-Suppress"), suppress.contains("all") || suppress.contains("oof") {
            if h.raw("X-MS-Exchange-Inbox-Rules-Loop") != nil || isOutOfOfficeSubject(m.subject) { return .outOfOffice }
        }
        if let precedence = value("Precedence"), ["bulk", "list", "junk", "auto_reply"].contains(precedence) {
            return precedence == "auto_reply" ? replyKind(m) : .bulk
        }
        if let loop = value("X-Loop"), !loop.isEmpty { return .autoReply }
        if h.raw("List-Id") != nil || h.raw("List-Unsubscribe") != nil { return .bulk }
        return nil
    }

    private static func replyKind(_ m: MailMessage) -> Automated {
        isOutOfOfficeSubject(m.subject) ? .outOfOffice : .autoReply
    }

    /// Exchange writes "Automatic reply:", Gmail keeps the subject and says "vacation";
    /// Japanese Outlook writes 自動応答 or 不在.
    static func isOutOfOfficeSubject(_ subject: String) -> Bool {
        let s = subject.lowercased()
        return ["automatic reply", "out of office", "vacation", "自動応答", "不在"].contains {
            s.contains($0)
        }
    }
}

enum MIMEPartType {
    static func of(_ h: Headers) -> HeaderParameters {
        h.raw("Content-Type").map { HeaderParameters(parsing: $0) } ?? HeaderParameters(value: "text/plain")
    }
}
