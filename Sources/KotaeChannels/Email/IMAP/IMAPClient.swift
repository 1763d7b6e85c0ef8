import Foundation
import NIOCore
import NIOPosix
import KotaeCore

/// A refusal or failure while reading mail over IMAP: what the client was doing and the
/// server's own words (`[AUTHENTICATIONFAILED] Authentication failed.`), for the agent.
public struct IMAPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let stage: String
    public let text: String
    /// A sign-in the server refused: retrying soon with the same credentials will not help.
    public let isSignIn: Bool

    public init(stage: String, text: String, isSignIn: Bool = false) {
        self.stage = stage
        self.text = text
        self.isSignIn = isSignIn
    }

    public var description: String { "\(stage): \(text)" }
}

/// What SELECT says about a mailbox: the cursor's two halves and its size.
public struct IMAPMailbox: Sendable, Equatable {
    public var uidValidity: UInt32
    public var uidNext: UInt32?
    public var exists: Int
}

/// An IMAP4rev1/rev2 client (RFC 3501, RFC 9051) for reading a shop's mailbox: TLS or
/// STARTTLS, sign-in by password or OAuth 2.0 (SASL XOAUTH2, OAUTHBEARER), SELECT, UID
/// SEARCH and FETCH, marking seen or moving, and IDLE (RFC 2177). One session per call.
public struct IMAPClient: Sendable {
    let group: any EventLoopGroup
    /// How long the server may stay silent while a command runs.
    let timeout: TimeAmount
    /// The longest IDLE a session waits in (servers end an IDLE after 30 minutes).
    public let idleLimit: Duration
    /// The largest response accepted: a mail arrives whole inside one FETCH response.
    let maxResponse: Int

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeout: TimeAmount = .seconds(60),
        idleLimit: Duration = .seconds(600), maxResponse: Int = 64 << 20
    ) {
        self.group = group
        self.timeout = timeout
        self.idleLimit = idleLimit
        self.maxResponse = maxResponse
    }

    /// Connects, signs in and runs `body` with the session; logs out and closes afterwards.
    public func withSession<T: Sendable>(
        _ server: MailServer, signIn: MailSignIn, _ body: (inout IMAPSession) async throws -> T
    ) async throws -> T {
        // A silent server ends the session; an IDLE may be silent up to its limit.
        let silence = timeout + .nanoseconds(Int64(idleLimit.components.seconds) * 1_000_000_000)
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await server.connect(
                group: group, connectTimeout: timeout, readTimeout: silence, framing: IMAPFrameDecoder(maxLength: maxResponse))
        } catch {
            throw IMAPError(stage: "connect", text: "cannot connect to \(server.host):\(server.port): \(error)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var session = IMAPSession(responses: inbound.makeAsyncIterator(), outbound: outbound, silence: silence)
            let greeting = try await session.nextResponse(stage: "greeting")
            guard case .untagged(.status(let status)) = greeting, status.kind == .ok || status.kind == .preauth else {
                throw IMAPError(stage: "greeting", text: "the server did not greet: \(greeting)")
            }
            session.capabilities = Self.capabilities(in: status.code) ?? []
            if session.capabilities.isEmpty { try await session.refreshCapabilities() }
            if server.security == .starttls {
                guard session.capabilities.contains("STARTTLS") else {
                    throw IMAPError(stage: "STARTTLS", text: "the server does not offer STARTTLS; not signing in in the clear")
                }
                try await session.run("STARTTLS", stage: "STARTTLS")
                try await server.startTLS(on: channel)
                try await session.refreshCapabilities()
            }
            if status.kind != .preauth { try await session.signIn(signIn, host: server.host, port: server.port) }
            let result = try await body(&session)
            _ = try? await session.run("LOGOUT", stage: "LOGOUT")
            return result
        }
    }

    /// `[CAPABILITY IMAP4rev1 …]` in a status response's code.
    static func capabilities(in code: String?) -> Set<String>? {
        guard let code, code.uppercased().hasPrefix("CAPABILITY ") else { return nil }
        return Set(code.dropFirst(11).split(separator: " ").map { $0.uppercased() })
    }
}

/// One signed-in connection. Commands are sent one at a time; untagged responses that
/// arrive meanwhile (new mail, expunges) are collected for the caller.
public struct IMAPSession {
    var responses: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let silence: TimeAmount
    var capabilities: Set<String> = []
    private var tagNumber = 0

    init(responses: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, silence: TimeAmount)
    {
        self.responses = responses
        self.outbound = outbound
        self.silence = silence
    }

    public var supportsIdle: Bool { capabilities.contains("IDLE") }

    // MARK: Mailbox

    /// Opens `folder` read-write.
    public mutating func select(_ folder: String) async throws -> IMAPMailbox {
        let untagged = try await run("SELECT \(Self.quoted(folder))", stage: "SELECT \(folder)")
        var box = IMAPMailbox(uidValidity: 0, uidNext: nil, exists: 0)
        for u in untagged {
            switch u {
            case .exists(let n): box.exists = n
            case .status(let s):
                let parts = (s.code ?? "").split(separator: " ")
                if parts.first?.uppercased() == "UIDVALIDITY", parts.count > 1 { box.uidValidity = UInt32(parts[1]) ?? 0 }
                if parts.first?.uppercased() == "UIDNEXT", parts.count > 1 { box.uidNext = UInt32(parts[1]) }
            default: break
            }
        }
        guard box.uidValidity != 0 else { throw IMAPError(stage: "SELECT \(folder)", text: "the server gave no UIDVALIDITY") }
        return box
    }

    /// The UIDs at or above `first`, ascending (`n:*` also names the last message when
    /// every UID is below `n`, so the answer is filtered).
    public mutating func uids(from first: UInt32) async throws -> [UInt32] {
        let untagged = try await run("UID SEARCH UID \(max(first, 1)):*", stage: "UID SEARCH")
        var found: [UInt32] = []
        for case .search(let ids) in untagged { found += ids }
        return found.filter { $0 >= first }.sorted()
    }

    /// The raw messages for `uids`, each with its UID, without setting \Seen.
    public mutating func fetch(_ uids: [UInt32]) async throws -> [(uid: UInt32, raw: [UInt8])] {
        guard !uids.isEmpty else { return [] }
        let untagged = try await run("UID FETCH \(Self.set(uids)) (UID BODY.PEEK[])", stage: "UID FETCH")
        var out: [(UInt32, [UInt8])] = []
        for case .fetch(_, let attributes) in untagged {
            guard let uid = attributes["UID"]?.number, let body = attributes["BODY[]"]?.bytes else { continue }
            out.append((uid, body))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Marks `uids` as read (the shop's mail client then shows them as handled).
    public mutating func markSeen(_ uids: [UInt32]) async throws {
        guard !uids.isEmpty else { return }
        try await run("UID STORE \(Self.set(uids)) +FLAGS.SILENT (\\Seen)", stage: "UID STORE")
    }

    /// Moves `uids` to `folder`: MOVE (RFC 6851) where offered, else COPY then delete.
    public mutating func move(_ uids: [UInt32], to folder: String) async throws {
        guard !uids.isEmpty else { return }
        let set = Self.set(uids)
        if capabilities.contains("MOVE") {
            try await run("UID MOVE \(set) \(Self.quoted(folder))", stage: "UID MOVE")
            return
        }
        try await run("UID COPY \(set) \(Self.quoted(folder))", stage: "UID COPY")
        try await run("UID STORE \(set) +FLAGS.SILENT (\\Seen \\Deleted)", stage: "UID STORE")
        try await run(capabilities.contains("UIDPLUS") ? "UID EXPUNGE \(set)" : "EXPUNGE", stage: "EXPUNGE")
    }

    /// Creates `folder` if it is missing (the processed folder).
    public mutating func ensureFolder(_ folder: String) async throws {
        do {
            try await run("CREATE \(Self.quoted(folder))", stage: "CREATE \(folder)")
        } catch let e as IMAPError where e.text.uppercased().contains("ALREADYEXISTS") || e.text.lowercased().contains("exists") {
        }
    }

    /// Waits for the server to announce new mail (IDLE), at most `limit`. True if it did.
    public mutating func idle(upTo limit: Duration) async throws -> Bool {
        let tag = nextTag()
        try await send("\(tag) IDLE")
        let go = try await nextResponse(stage: "IDLE")
        guard case .continuation = go else { throw IMAPError(stage: "IDLE", text: "the server did not accept IDLE: \(go)") }
        // IDLE ends when the client sends DONE: at once when mail is announced, or from a
        // timer at the limit. Reads are never abandoned (that would end NIO's stream).
        let ended = Locked(false)
        let outbound = self.outbound
        @Sendable func end() async {
            guard
                ended.withLock({ was in
                    defer { was = true }; return !was
                })
            else { return }
            try? await outbound.write(ByteBuffer(string: "DONE\r\n"))
        }
        let timer = Task {
            try await Task.sleep(for: limit)
            await end()
        }
        defer { timer.cancel() }
        var arrived = false
        while true {
            switch try await nextResponse(stage: "IDLE") {
            case .untagged(.exists):
                arrived = true
                await end()
            case .untagged(.status(let s)) where s.kind == .bye:
                throw IMAPError(stage: "IDLE", text: "the server closed the session: \(s.words)")
            case .tagged(let t, let status) where t == tag:
                guard status.kind == .ok else { throw IMAPError(stage: "IDLE", text: status.words) }
                return arrived
            default:
                continue
            }
        }
    }

    /// Asks the server for news without IDLE (polling); true if new mail was announced.
    public mutating func noop() async throws -> Bool {
        try await run("NOOP", stage: "NOOP").contains { if case .exists = $0 { true } else { false } }
    }

    // MARK: Sign-in

    mutating func refreshCapabilities() async throws {
        var found: Set<String> = []
        for case .capability(let c) in try await run("CAPABILITY", stage: "CAPABILITY") { found.formUnion(c) }
        capabilities = found
    }

    mutating func signIn(_ signIn: MailSignIn, host: String, port: Int) async throws {
        let initialResponse = capabilities.contains("SASL-IR")
        var mechanism: String, response: String
        switch signIn {
        case .none:
            return
        case .password(let user, let password):
            guard capabilities.contains("AUTH=PLAIN") else {
                guard !capabilities.contains("LOGINDISABLED") else {
                    throw IMAPError(stage: "LOGIN", text: "the server refuses password sign-in on this connection (LOGINDISABLED)", isSignIn: true)
                }
                try await run("LOGIN \(Self.quoted(user)) \(Self.quoted(password))", stage: "LOGIN", signIn: true)
                try await refreshCapabilities()
                return
            }
            (mechanism, response) = ("PLAIN", MailSignIn.plain(user: user, password: password))
        case .xoauth2(let user, let token) where !capabilities.contains("AUTH=XOAUTH2") && capabilities.contains("AUTH=OAUTHBEARER"):
            // The same token, by the standard mechanism, for a server without Google's.
            (mechanism, response) = MailSignIn.oauthBearer(user: user, accessToken: token).initialResponse(host: host, port: port)!
        case .xoauth2, .oauthBearer:
            (mechanism, response) = signIn.initialResponse(host: host, port: port)!
        }
        let tag = nextTag()
        try await send(initialResponse ? "\(tag) AUTHENTICATE \(mechanism) \(response)" : "\(tag) AUTHENTICATE \(mechanism)")
        var answered = initialResponse
        var detail = ""
        while true {
            let r = try await nextResponse(stage: "AUTHENTICATE \(mechanism)")
            switch r {
            case .continuation(let challenge):
                if !answered {
                    answered = true
                    try await send(response)
                } else {
                    // An OAuth error comes as a challenge (JSON, base64): end the exchange to
                    // get the refusal, and keep the server's own words.
                    detail = Data(base64Encoded: challenge).map { String(decoding: $0, as: UTF8.self) } ?? challenge
                    try await send(mechanism == "OAUTHBEARER" ? "AQ==" : "")
                }
            case .tagged(let t, let status) where t == tag:
                guard status.kind == .ok else {
                    throw IMAPError(
                        stage: "AUTHENTICATE \(mechanism)", text: ([status.words] + (detail.isEmpty ? [] : [detail])).joined(separator: " "),
                        isSignIn: true)
                }
                if let caps = IMAPClient.capabilities(in: status.code) { capabilities = caps } else { try await refreshCapabilities() }
                return
            case .untagged(.status(let s)) where s.kind == .bye:
                throw IMAPError(stage: "AUTHENTICATE \(mechanism)", text: s.words, isSignIn: true)
            default:
                continue
            }
        }
    }

    // MARK: Commands

    /// Sends a command and returns the untagged responses before its OK; a NO or BAD is
    /// thrown with the server's words.
    @discardableResult
    mutating func run(_ command: String, stage: String, signIn: Bool = false) async throws -> [IMAPUntagged] {
        let tag = nextTag()
        try await send("\(tag) \(command)")
        return try await finish(tag: tag, stage: stage, signIn: signIn)
    }

    private mutating func finish(tag: String, stage: String, signIn: Bool = false) async throws -> [IMAPUntagged] {
        var untagged: [IMAPUntagged] = []
        while true {
            switch try await nextResponse(stage: stage) {
            case .tagged(let t, let status) where t == tag:
                guard status.kind == .ok else { throw IMAPError(stage: stage, text: status.words, isSignIn: signIn) }
                return untagged
            case .untagged(.status(let s)) where s.kind == .bye && stage != "LOGOUT":
                throw IMAPError(stage: stage, text: "the server closed the session: \(s.words)")
            case .untagged(let u):
                untagged.append(u)
            default:
                continue
            }
        }
    }

    private mutating func nextTag() -> String {
        tagNumber += 1
        return "k\(tagNumber)"
    }

    private func send(_ line: String) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
    }

    mutating func nextResponse(stage: String) async throws -> IMAPResponse {
        let frame: ByteBuffer?
        do {
            frame = try await responses.next()
        } catch is ReadTimeout {
            throw IMAPError(stage: stage, text: "no answer within \(silence.nanoseconds / 1_000_000_000) s")
        } catch {
            throw IMAPError(stage: stage, text: "\(error)")
        }
        guard let frame else { throw IMAPError(stage: stage, text: "the server closed the connection") }
        do {
            return try IMAPResponse(parsing: Array(frame.readableBytesView))
        } catch {
            throw IMAPError(stage: stage, text: "\(error)")
        }
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A UID set, with runs folded (`3:7,9`).
    static func set(_ uids: [UInt32]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = uids.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i]):\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
