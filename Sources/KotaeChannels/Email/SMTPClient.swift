import Foundation
import NIOCore
import NIOPosix

/// A reply from a mail server that refused something: its code, enhanced status and words.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let text: String
    /// What the client was doing ("MAIL FROM", "RCPT TO <a@b>", "DATA", "AUTH", "connect").
    public let stage: String

    /// 4xx: try again later. 5xx: will not work as it is.
    public var isTransient: Bool { code / 100 == 4 || code == 0 }
    /// RFC 3463's status (`5.1.1`) when the server gave one.
    public var enhancedStatus: String? {
        let first = text.split(separator: " ").first.map(String.init) ?? ""
        let parts = first.split(separator: ".")
        return parts.count == 3 && parts.allSatisfy({ Int($0) != nil }) ? first : nil
    }

    public var description: String { code == 0 ? "\(stage): \(text)" : "\(stage): \(code) \(text)" }
}

/// An SMTP client (RFC 5321) for replies: EHLO, STARTTLS, AUTH (PLAIN, LOGIN, XOAUTH2,
/// OAUTHBEARER), one envelope per call, dot-stuffed DATA. It reports the server's own words
/// for every refusal so the agent sees why.
public struct SMTPClient: Sendable {
    let group: any EventLoopGroup
    /// The name this client gives in EHLO.
    let heloName: String
    let timeout: TimeAmount

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, heloName: String, timeout: TimeAmount = .seconds(60)) {
        self.group = group
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Sends `message` (CRLF lines) from `sender` to `recipients`; answers the server's final
    /// words (usually its queue id). Throws `SMTPError` with the server's reply.
    @discardableResult
    public func send(_ message: [UInt8], from sender: String, to recipients: [String], via server: MailServer, signIn: MailSignIn) async throws
        -> String
    {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await server.connect(group: group, connectTimeout: timeout, readTimeout: timeout, framing: LineDecoder(maxLength: 8192))
        } catch {
            throw SMTPError(code: 0, text: "cannot connect to \(server.host):\(server.port): \(error)", stage: "connect")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var session = Session(lines: inbound.makeAsyncIterator(), outbound: outbound, timeout: self.timeout)
            try await session.expect(220, stage: "greeting")
            var capabilities = try await session.command("EHLO \(heloName)", expect: 250, stage: "EHLO")
            if server.security == .starttls {
                guard capabilities.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                    throw SMTPError(code: 0, text: "the server does not offer STARTTLS; not sending in the clear", stage: "STARTTLS")
                }
                _ = try await session.command("STARTTLS", expect: 220, stage: "STARTTLS")
                try await server.startTLS(on: channel)
                capabilities = try await session.command("EHLO \(heloName)", expect: 250, stage: "EHLO")
            }
            try await session.authenticate(signIn, capabilities: capabilities, host: server.host, port: server.port)
            let eightBit = capabilities.contains { $0.uppercased() == "8BITMIME" }
            _ = try await session.command("MAIL FROM:<\(sender)>" + (eightBit ? " BODY=8BITMIME" : ""), expect: 250, stage: "MAIL FROM")
            for r in recipients {
                _ = try await session.command("RCPT TO:<\(r)>", expect: 250, also: [251], stage: "RCPT TO <\(r)>")
            }
            _ = try await session.command("DATA", expect: 354, stage: "DATA")
            try await session.write(Self.dotStuffed(message))
            let done = try await session.expect(250, stage: "DATA")
            try? await session.write(Array("QUIT\r\n".utf8))
            return done.joined(separator: " ")
        }
    }

    /// The message with CRLF line ends, lines starting with "." doubled, and the end mark.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 64)
        var atLineStart = true
        var i = 0
        while i < message.count {
            let b = message[i]
            if atLineStart && b == UInt8(ascii: ".") { out.append(b) }
            if b == 0x0A && (i == 0 || message[i - 1] != 0x0D) { out.append(0x0D) }
            out.append(b)
            atLineStart = b == 0x0A
            i += 1
        }
        if !atLineStart { out += [0x0D, 0x0A] }
        out += Array(".\r\n".utf8)
        return out
    }

    /// One conversation with the server: commands out, multi-line replies in.
    struct Session {
        var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let timeout: TimeAmount

        mutating func write(_ bytes: [UInt8]) async throws {
            try await outbound.write(ByteBuffer(bytes: bytes))
        }

        /// The next reply: its code and the text of each line (`250-…` continues, `250 …` ends).
        mutating func reply(stage: String) async throws -> (Int, [String]) {
            var texts: [String] = []
            while true {
                guard let line = try await next(stage: stage) else {
                    throw SMTPError(code: 0, text: "the server closed the connection", stage: stage)
                }
                let s = String(buffer: line)
                guard s.count >= 3, let code = Int(s.prefix(3)) else {
                    throw SMTPError(code: 0, text: "not an SMTP reply: \(s.prefix(200))", stage: stage)
                }
                texts.append(String(s.dropFirst(4)))
                if s.count == 3 || s[s.index(s.startIndex, offsetBy: 3)] != "-" { return (code, texts) }
            }
        }

        private mutating func next(stage: String) async throws -> ByteBuffer? {
            do {
                return try await lines.next()
            } catch is ReadTimeout {
                throw SMTPError(code: 0, text: "no answer within \(timeout.nanoseconds / 1_000_000_000) s", stage: stage)
            }
        }

        @discardableResult
        mutating func expect(_ code: Int, also: [Int] = [], stage: String) async throws -> [String] {
            let (got, texts) = try await reply(stage: stage)
            guard got == code || also.contains(got) else {
                throw SMTPError(code: got, text: texts.joined(separator: " "), stage: stage)
            }
            return texts
        }

        mutating func command(_ line: String, expect code: Int, also: [Int] = [], stage: String) async throws -> [String] {
            try await write(Array((line + "\r\n").utf8))
            return try await expect(code, also: also, stage: stage)
        }

        mutating func authenticate(_ signIn: MailSignIn, capabilities: [String], host: String, port: Int) async throws {
            let offered = Set(
                capabilities.filter { $0.uppercased().hasPrefix("AUTH") }.flatMap {
                    $0.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst().map(String.init)
                })
            switch signIn {
            case .none:
                return
            case .password(let user, let password):
                if offered.contains("PLAIN") || !offered.contains("LOGIN") {
                    _ = try await command("AUTH PLAIN " + MailSignIn.plain(user: user, password: password), expect: 235, stage: "AUTH")
                } else {
                    _ = try await command("AUTH LOGIN", expect: 334, stage: "AUTH")
                    _ = try await command(Data(user.utf8).base64EncodedString(), expect: 334, stage: "AUTH")
                    _ = try await command(Data(password.utf8).base64EncodedString(), expect: 235, stage: "AUTH")
                }
            case .xoauth2, .oauthBearer:
                let (mechanism, response) = signIn.initialResponse(host: host, port: port)!
                try await write(Array("AUTH \(mechanism) \(response)\r\n".utf8))
                let (code, texts) = try await reply(stage: "AUTH")
                if code == 235 { return }
                if code == 334 {
                    // The server's error (JSON, base64) comes as a challenge: end the exchange
                    // to get the final refusal, and show the server's own words.
                    let detail = texts.first.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    try await write(Array((mechanism == "OAUTHBEARER" ? "AQ==\r\n" : "\r\n").utf8))
                    let (final, words) = try await reply(stage: "AUTH")
                    throw SMTPError(
                        code: final, text: ([words.joined(separator: " ")] + (detail.isEmpty ? [] : [detail])).joined(separator: " "), stage: "AUTH")
                }
                throw SMTPError(code: code, text: texts.joined(separator: " "), stage: "AUTH")
            }
        }
    }
}
