import NIOCore

/// One client's conversation with the listener: the command state machine of RFC 5321
/// (and RFC 2033's LHLO and per-recipient answers after DATA).
struct MailListenerSession<Delivery: MailDelivery> {
    let listener: MailListener
    let delivery: Delivery
    let out: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var greeted = false
    private var sender: String?
    private var recipients: [String] = []

    init(listener: MailListener, delivery: Delivery, out: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.listener = listener
        self.delivery = delivery
        self.out = out
    }

    private var lmtp: Bool { listener.dialect == .lmtp }

    mutating func serve(_ lines: NIOAsyncChannelInboundStream<ByteBuffer>) async throws {
        try await reply("220 \(listener.hostname) Kotae \(lmtp ? "LMTP" : "ESMTP") ready")
        var iterator = lines.makeAsyncIterator()
        do {
            while let line = try await iterator.next() {
                let text = String(buffer: line)
                let verb = text.prefix { $0 != " " }.uppercased()
                let argument = text.dropFirst(verb.count).drop { $0 == " " }
                switch verb {
                case "EHLO" where !lmtp, "HELO" where !lmtp, "LHLO" where lmtp:
                    reset()
                    greeted = true
                    if verb == "HELO" {
                        try await reply("250 \(listener.hostname)")
                    } else {
                        try await reply(
                            "250-\(listener.hostname)", "250-SIZE \(listener.maxMessageBytes)", "250-8BITMIME", "250-ENHANCEDSTATUSCODES",
                            "250 PIPELINING")
                    }
                case "EHLO", "HELO", "LHLO":
                    try await reply("500 5.5.1 this is an \(lmtp ? "LMTP" : "SMTP") server: say \(lmtp ? "LHLO" : "EHLO")")
                case "MAIL":
                    try await mail(String(argument))
                case "RCPT":
                    try await recipient(String(argument))
                case "DATA":
                    try await data(&iterator)
                case "RSET":
                    reset()
                    try await reply("250 2.0.0 OK")
                case "NOOP":
                    try await reply("250 2.0.0 OK")
                case "VRFY":
                    try await reply("252 2.5.0 not verified; send the mail and it will be answered")
                case "QUIT":
                    try await reply("221 2.0.0 bye")
                    return
                default:
                    try await reply("500 5.5.2 command not recognised")
                }
            }
        } catch is LineDecoder.LineTooLong {
            try? await reply("500 5.5.6 line too long; closing")
        } catch is ReadTimeout {
            try? await reply("421 4.4.2 \(listener.hostname) idle too long; closing")
        }
    }

    private mutating func reset() {
        sender = nil
        recipients = []
    }

    private mutating func mail(_ argument: String) async throws {
        guard greeted else { return try await reply("503 5.5.1 say \(lmtp ? "LHLO" : "EHLO") first") }
        guard sender == nil else { return try await reply("503 5.5.1 a mail is already begun (RSET to start over)") }
        guard argument.uppercased().hasPrefix("FROM:"), let path = Self.path(argument.dropFirst(5)) else {
            return try await reply("501 5.5.4 syntax: MAIL FROM:<address>")
        }
        let parameters = argument.split(separator: " ").dropFirst().map { $0.uppercased() }
        if let size = parameters.first(where: { $0.hasPrefix("SIZE=") }).flatMap({ Int($0.dropFirst(5)) }), size > listener.maxMessageBytes {
            return try await reply("552 5.3.4 a mail of \(size) bytes is over this server's limit of \(listener.maxMessageBytes)")
        }
        sender = path.address
        try await reply("250 2.1.0 OK")
    }

    private mutating func recipient(_ argument: String) async throws {
        guard sender != nil else { return try await reply("503 5.5.1 MAIL first") }
        guard argument.uppercased().hasPrefix("TO:"), let path = Self.path(argument.dropFirst(3)), !path.address.isEmpty else {
            return try await reply("501 5.5.4 syntax: RCPT TO:<address>")
        }
        guard recipients.count < listener.maxRecipients else { return try await reply("452 4.5.3 too many recipients") }
        guard await delivery.accepts(recipient: path.address) else {
            return try await reply("550 5.1.1 <\(path.address)>: no mailbox here by that name")
        }
        recipients.append(path.address)
        try await reply("250 2.1.5 OK")
    }

    private mutating func data(_ lines: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws {
        guard sender != nil else { return try await reply("503 5.5.1 MAIL first") }
        guard !recipients.isEmpty else { return try await reply(lmtp ? "503 5.5.1 no valid recipients" : "554 5.5.1 no valid recipients") }
        try await reply("354 end the mail with a line holding only a dot")
        var raw: [UInt8] = []
        var tooLarge = false
        // Read to the end even past the limit, so the answer comes where the client expects it.
        while true {
            guard let line = try await lines.next() else { return }
            var bytes = line.readableBytesView[...]
            if bytes.first == UInt8(ascii: ".") {
                if bytes.count == 1 { break }
                bytes = bytes.dropFirst()
            }
            if tooLarge { continue }
            raw += bytes
            raw += [0x0D, 0x0A]
            tooLarge = raw.count > listener.maxMessageBytes
        }
        let (from, to) = (sender ?? "", recipients)
        reset()
        if tooLarge {
            let refusal = "552 5.3.4 the mail is over this server's limit of \(listener.maxMessageBytes) bytes"
            return try await reply(contentsOf: lmtp ? to.map { _ in refusal } : [refusal])
        }
        let failures = await delivery.deliver(raw, from: from, to: to)
        if lmtp {
            try await reply(
                contentsOf: to.map { r in failures[r].map { "451 4.3.0 <\(r)>: not stored, try again later (\($0))" } ?? "250 2.0.0 <\(r)> stored" })
        } else if let failure = failures.values.first {
            try await reply("451 4.3.0 not stored, try again later (\(failure))")
        } else {
            try await reply("250 2.0.0 stored")
        }
    }

    /// `<address>` (or a bare address, as some clients send) and any parameters after it.
    static func path(_ s: Substring) -> (address: String, rest: Substring)? {
        let t = s.drop { $0 == " " }
        if t.first == "<" {
            guard let close = t.firstIndex(of: ">") else { return nil }
            var address = t[t.index(after: t.startIndex)..<close]
            // A source route (`<@relay:user@host>`, RFC 5321 Appendix C) names only the last hop.
            if address.first == "@", let colon = address.firstIndex(of: ":") { address = address[address.index(after: colon)...] }
            return (String(address), t[t.index(after: close)...])
        }
        let address = t.prefix { $0 != " " }
        return address.isEmpty ? nil : (String(address), t.dropFirst(address.count))
    }

    private func reply(_ lines: String...) async throws {
        try await reply(contentsOf: lines)
    }

    private func reply(contentsOf lines: [String]) async throws {
        try await out.write(ByteBuffer(string: lines.map { $0 + "\r\n" }.joined()))
    }
}
