import Foundation

/// A mail Kotae sends, and its bytes: RFC 5322 headers (encoded words where needed), a plain
/// part and, when given, an HTML alternative; attachments in a multipart/mixed; UTF-8 in
/// quoted-printable (or base64 for text that is mostly not ASCII), or ISO-2022-JP when the
/// inbox asks for it and the text can be written in it.
public struct OutgoingMail: Sendable {
    public struct File: Sendable {
        public var filename: String
        public var contentType: String
        public var data: [UInt8]

        public init(filename: String, contentType: String, data: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress] = []
    public var replyTo: MailAddress?
    public var subject: String
    public var messageId: String
    public var inReplyTo: String?
    public var references: [String] = []
    public var date: Date
    public var text: String
    public var html: String?
    public var files: [File] = []
    /// Written by Kotae itself (an autoresponder): `Auto-Submitted: auto-generated`.
    public var automated = false
    /// Write the text in ISO-2022-JP when it can be (UTF-8 otherwise).
    public var preferISO2022JP = false

    public init(from: MailAddress, to: [MailAddress], subject: String, messageId: String, date: Date, text: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageId = messageId
        self.date = date
        self.text = text
    }

    /// The message as sent: CRLF line ends, no line over 998 bytes.
    public func rendered() -> [UInt8] {
        let jisBody = preferISO2022JP ? JISEncoder.encode(Self.crlf(text)) : nil
        let headerCharset: HeaderEncoding.Charset = jisBody != nil ? .iso2022JP : .utf8
        var h: [String] = []
        h.append("From: " + HeaderEncoding.address(from.address, name: from.name, charset: headerCharset))
        h.append("To: " + to.map { HeaderEncoding.address($0.address, name: $0.name, charset: headerCharset) }.joined(separator: ",\r\n "))
        if !cc.isEmpty {
            h.append("Cc: " + cc.map { HeaderEncoding.address($0.address, name: $0.name, charset: headerCharset) }.joined(separator: ",\r\n "))
        }
        if let replyTo { h.append("Reply-To: " + HeaderEncoding.address(replyTo.address, name: replyTo.name, charset: headerCharset)) }
        h.append("Subject: " + HeaderEncoding.encode(subject, charset: headerCharset))
        h.append("Date: " + Self.rfc5322Date(date))
        h.append("Message-ID: <\(messageId)>")
        if let inReplyTo { h.append("In-Reply-To: <\(inReplyTo)>") }
        if !references.isEmpty { h.append("References: " + references.map { "<\($0)>" }.joined(separator: "\r\n ")) }
        if automated { h.append("Auto-Submitted: auto-generated") }
        h.append("MIME-Version: 1.0")

        let boundary = { (kind: String) in "=_kotae_\(kind)_\(UUID().uuidString.lowercased())" }
        var body: [String] = []
        var textPart: [String] {
            if let jis = jisBody {
                return ["Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit", "", String(decoding: jis, as: UTF8.self)]
            }
            return Self.utf8Part("text/plain", text)
        }
        var content: [String]
        if let html {
            let b = boundary("alt")
            content =
                ["Content-Type: multipart/alternative; boundary=\"\(b)\"", "", "--\(b)"] + textPart + ["--\(b)"]
                + Self.utf8Part("text/html", html) + ["--\(b)--"]
        } else {
            content = textPart
        }
        if files.isEmpty {
            body = content
        } else {
            let b = boundary("mixed")
            body = ["Content-Type: multipart/mixed; boundary=\"\(b)\"", "", "--\(b)"] + content
            for f in files {
                body += ["--\(b)"] + Self.filePart(f)
            }
            body.append("--\(b)--")
        }
        // The first lines of `body` are the top part's headers, up to its blank line.
        return Array((h + body).joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }

    static func crlf(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// A UTF-8 text part: quoted-printable when mostly ASCII, base64 when mostly not
    /// (Japanese text in QP is three times its size).
    static func utf8Part(_ type: String, _ text: String) -> [String] {
        let bytes = Array(crlf(text).utf8)
        let ascii = bytes.filter { $0 < 0x80 }.count
        if ascii * 2 >= bytes.count {
            return [
                "Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "",
                TransferEncoding.encodeQuotedPrintable(bytes),
            ]
        }
        return ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: base64", "", TransferEncoding.encodeBase64Lines(bytes)]
    }

    static func filePart(_ f: OutgoingMail.File) -> [String] {
        let name = f.filename
        let ascii = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
        // RFC 2231 for the name (what the standard says) and an encoded-word `name=` for
        // the old mailers that only read that.
        let disposition =
            ascii
            ? "Content-Disposition: attachment; filename=\"\(name)\""
            : "Content-Disposition: attachment; filename*=UTF-8''" + Self.percentEncoded(name)
        let typeName = ascii ? name : HeaderEncoding.utf8Words(name).joined(separator: " ")
        return [
            "Content-Type: \(f.contentType); name=\"\(typeName)\"", disposition, "Content-Transfer-Encoding: base64", "",
            TransferEncoding.encodeBase64Lines(f.data),
        ]
    }

    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Tokyo")
        f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return f.string(from: date)
    }
}

extension TransferEncoding {
    /// Quoted-printable lines of at most 76 characters, CRLF kept as line ends.
    static func encodeQuotedPrintable(_ bytes: [UInt8]) -> String {
        var out = ""
        var line = ""
        func emit(_ piece: String) {
            if line.count + piece.count > 75 {
                out += line + "=\r\n"
                line = ""
            }
            line += piece
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                // A space or tab before a line end must be encoded, or it is lost.
                if let last = line.last, last == " " || last == "\t" {
                    line.removeLast()
                    line += last == " " ? "=20" : "=09"
                }
                out += line + "\r\n"
                line = ""
                i += 2
                continue
            }
            if (b >= 33 && b <= 126 && b != 61) || b == 0x20 || b == 0x09 {
                emit(String(UnicodeScalar(b)))
            } else {
                emit(String(format: "=%02X", b))
            }
            i += 1
        }
        if let last = line.last, last == " " || last == "\t" {
            line.removeLast()
            line += last == " " ? "=20" : "=09"
        }
        return out + line
    }

    /// Base64 in lines of 76 characters.
    static func encodeBase64Lines(_ bytes: [UInt8]) -> String {
        let s = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(s)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }
}
