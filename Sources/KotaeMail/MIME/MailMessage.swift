import Foundation
import KotaeCore

/// A received mail as the desk needs it: who, to whom, the thread headers, the text (plain
/// preferred, else read out of the HTML), the HTML to show sandboxed, attachments with their
/// names decoded, and what could not be read exactly. Reading never fails and never drops
/// a message: whatever the bytes, a `MailMessage` comes out, with warnings.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var contentType: String
        public var data: [UInt8]
        /// For an inline image referenced from the HTML as `cid:<contentId>`.
        public var contentId: String?
        public var inline: Bool
    }

    public var headers: Headers
    public var messageId: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var subject: String
    public var from: [MailAddress]
    public var sender: MailAddress?
    public var replyTo: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var date: Date?
    /// The body as plain text (the first readable text part, or the HTML read as text).
    public var text: String
    /// The HTML part as sent (sanitize before showing it).
    public var html: String?
    public var attachments: [Attachment]
    /// What could not be read exactly, in words for the agent.
    public var warnings: [String]
    /// Whether a program wrote it (auto-reply, list, bounce), and which kind.
    public var automated: Automated?

    public init(parsing bytes: [UInt8]) {
        let root = MIMEPart(parsing: bytes)
        headers = root.headers
        var reader = BodyReader()
        reader.read(root, depth: 0)
        let h = root.headers
        let subjectRead = h.raw("Subject").map { EncodedWords.decode($0) }
        subject = (subjectRead?.text ?? "").replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        messageId = MessageIDs.list(h.raw("Message-ID") ?? []).first
        inReplyTo = MessageIDs.list(h.raw("In-Reply-To") ?? [])
        references = h.all("References").flatMap(MessageIDs.list)
        from = MailAddress.list(h.raw("From") ?? [])
        sender = MailAddress.list(h.raw("Sender") ?? []).first
        replyTo = MailAddress.list(h.raw("Reply-To") ?? [])
        to = h.all("To").flatMap(MailAddress.list)
        cc = h.all("Cc").flatMap(MailAddress.list)
        date = h.string("Date").flatMap(MailDate.parse)
        html = reader.html
        if let plain = reader.text {
            text = plain
        } else if let html = reader.html {
            text = HTMLText.plain(html)
        } else {
            text = ""
        }
        attachments = reader.attachments
        var warnings = reader.warnings
        if let w = subjectRead?.warning { warnings.insert("subject: \(w)", at: 0) }
        if h.raw("From") != nil, from.isEmpty { warnings.append("the sender's address could not be read") }
        self.warnings = warnings
        automated = nil
        automated = Automated.classify(self)
    }
}

/// Message-ID lists (`<a@b> <c@d>`), with or without angle brackets, as written.
public enum MessageIDs {
    public static func list(_ raw: [UInt8]) -> [String] {
        let s = String(decoding: raw, as: UTF8.self)
        var ids: [String] = []
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let id = rest[rest.index(after: open)..<close].filter { !$0.isWhitespace }
            if !id.isEmpty { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            // No brackets at all: some mailers write the bare id.
            ids = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init).filter { $0.contains("@") }
        }
        return ids
    }
}

/// Walks the part tree: the text and HTML bodies, and everything else as attachments.
struct BodyReader {
    var textParts: [String] = []
    var html: String?
    var attachments: [MailMessage.Attachment] = []
    var warnings: [String] = []

    var text: String? { textParts.isEmpty ? nil : textParts.joined(separator: "\n\n") }

    mutating func read(_ part: MIMEPart, depth: Int) {
        warnings += part.warnings
        let type = part.contentType
        let disposition = part.disposition
        let isAttachment = disposition?.value == "attachment"
        if !part.children.isEmpty && type.value.hasPrefix("multipart/") {
            if type.value == "multipart/alternative" {
                readAlternative(part.children, depth: depth)
            } else {
                for child in part.children { read(child, depth: depth + 1) }
            }
            return
        }
        if type.value == "message/rfc822" || type.value == "message/global", let inner = part.children.first {
            readForwarded(part, inner: inner, depth: depth)
            return
        }
        let filename = Self.filename(part)
        if !isAttachment && filename == nil && (type.value == "text/plain" || type.value == "text/html") {
            let decoded = Charset.decode(part.decodedBody, label: type["charset"])
            if let w = decoded.warning { warnings.append(w) }
            if type.value == "text/html" {
                if html == nil { html = decoded.text } else { textParts.append(HTMLText.plain(decoded.text)) }
            } else {
                textParts.append(Self.unflowed(decoded.text, type: type))
            }
            return
        }
        // Delivery reports and other text/* leaves without a name are still text worth
        // reading (a bounce's reason), kept as attachments so nothing is lost.
        let data = part.decodedBody
        let name = filename ?? Self.defaultName(type.value, index: attachments.count + 1)
        let contentId = part.headers.string("Content-ID").flatMap { MessageIDs.list(Array($0.utf8)).first ?? $0 }
        attachments.append(
            .init(
                filename: name, contentType: type.value, data: data, contentId: contentId,
                inline: disposition?.value == "inline" || (disposition == nil && contentId != nil)))
    }

    /// An alternative: the plain text for `text`, the HTML for `html`, from the same set.
    mutating func readAlternative(_ children: [MIMEPart], depth: Int) {
        var sub = BodyReader()
        for child in children { sub.read(child, depth: depth + 1) }
        if let t = sub.textParts.first { textParts.append(t) }
        if html == nil { html = sub.html }
        if sub.textParts.isEmpty, let h = sub.html, html != h { textParts.append(HTMLText.plain(h)) }
        attachments += sub.attachments
        warnings += sub.warnings
    }

    /// A forwarded mail: kept whole as an `.eml` attachment, and its text shown below a
    /// forwarded-message line so it reads and searches like the rest.
    mutating func readForwarded(_ part: MIMEPart, inner: MIMEPart, depth: Int) {
        var sub = BodyReader()
        sub.read(inner, depth: depth + 1)
        let h = inner.headers
        var lines = ["---------- Forwarded message ----------"]
        for name in ["From", "Date", "Subject", "To"] {
            if let v = h.text(name) { lines.append("\(name): \(v)") }
        }
        let body = sub.text ?? sub.html.map(HTMLText.plain) ?? ""
        textParts.append(lines.joined(separator: "\n") + "\n\n" + body)
        let subject = h.text("Subject").map(Self.safeFilename) ?? ""
        attachments.append(
            .init(
                filename: (subject.isEmpty ? "forwarded" : subject) + ".eml", contentType: "message/rfc822",
                data: part.decodedBody, contentId: nil, inline: false))
        attachments += sub.attachments
        warnings += sub.warnings
    }

    static func filename(_ part: MIMEPart) -> String? {
        let name = part.disposition?["filename"] ?? part.contentType["name"]
        guard let name else { return nil }
        let safe = safeFilename(name)
        return safe.isEmpty ? nil : safe
    }

    /// A name safe to offer for download: no folders, no control characters.
    static func safeFilename(_ s: String) -> String {
        let last = s.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return String(clean.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
    }

    static func defaultName(_ type: String, index: Int) -> String {
        let ext: String =
            switch type {
            case "image/jpeg": "jpg"
            case "image/png": "png"
            case "image/gif": "gif"
            case "application/pdf": "pdf"
            case "text/plain": "txt"
            case "text/html": "html"
            case "message/delivery-status": "txt"
            case "message/disposition-notification": "txt"
            case "text/rfc822-headers": "txt"
            default: "bin"
            }
        return "part-\(index).\(ext)"
    }

    /// RFC 3676 format=flowed: a line ending in a space continues on the next (with
    /// `delsp=yes`, that space goes, as Japanese iPhone mail needs).
    static func unflowed(_ text: String, type: HeaderParameters) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard type["format"]?.lowercased() == "flowed" else { return normalized }
        let delsp = type["delsp"]?.lowercased() == "yes"
        var out = ""
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = Substring(line)
            if l.hasPrefix(" ") { l = l.dropFirst() }  // space-stuffing
            if l.hasSuffix(" ") && l != "-- " {
                out += delsp ? l.dropLast() : l
            } else {
                out += l + "\n"
            }
        }
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }
}
