import Foundation
import HummingbirdWebSocket
import KotaeCore
import KotaeStore

/// One widget socket's conversation with Kotae, frame by frame (`ChatSocketRoute` reads, this
/// answers). Until `hello` nothing but `hello` is taken.
final class VisitorSession {
    let app: AppServices
    let inbox: Inbox
    let client: String
    let outbound: WebSocketOutboundWriter
    private(set) var connection: VisitorConnection?
    private var typingSent = Date.distantPast

    init(app: AppServices, inbox: Inbox, client: String, outbound: WebSocketOutboundWriter) {
        self.app = app
        self.inbox = inbox
        self.client = client
        self.outbound = outbound
    }

    func write(_ frame: WidgetFrame) async {
        if let connection { return await connection.send(frame) }
        guard let text = frame.json else { return }
        try? await outbound.write(.text(text))
    }

    /// Answers one frame; false when the socket should close.
    func handle(_ frame: VisitorFrame) async throws -> Bool {
        guard let connection else {
            guard frame.t == .hello else {
                await write(.error("hello_first", "say hello first"))
                return true
            }
            return try await hello(frame)
        }
        switch frame.t {
        case .hello:
            await write(.error("hello_twice", "this socket already said hello"))
        case .send:
            try await send(frame, on: connection)
        case .typing:
            try await typing(frame, on: connection)
        case .read:
            guard let thread = frame.thread, await connection.conversation(of: thread) != nil else { break }
            let key = ThreadKind.chat.key("\(connection.visitor.key)/\(thread)")
            try await app.inbound.handle(.read(threadKey: key, at: app.clock.now), inbox: inbox)
        case .page:
            if let page = Self.page(frame.page, at: app.clock.now) {
                try await app.store.chatVisitors.seen(inbox: inbox.id, key: connection.visitor.key, locale: nil, page: page, now: app.clock.now)
            }
        case .email:
            let address = (frame.email ?? "").trimmingCharacters(in: .whitespaces)
            guard ContactPage.isAddress(address) else {
                await write(.error("email_invalid", "that is not an email address"))
                break
            }
            try await app.store.chatVisitors.setEmail(inbox: inbox.id, key: connection.visitor.key, email: address, now: app.clock.now)
            await write(.email(address))
        }
        return true
    }

    /// Who the visitor is (a forged identity closes the socket), what they have, and the shop's availability.
    private func hello(_ frame: VisitorFrame) async throws -> Bool {
        let visitor: VisitorIdentity.Visitor
        do {
            let settings = try ChatSettings(stored: inbox.settings)
            if let user = frame.user {
                let secret = try await app.store.inboxes.credentials(id: inbox.id, as: ChatCredentials.self).identitySecret
                visitor = try VisitorIdentity.visitor(user: user, inbox: inbox.id, secret: secret)
            } else if settings.identityRequired == "true" {
                throw VisitorIdentity.Refusal.signInRequired
            } else if let token = frame.token, !token.isEmpty {
                visitor = try app.chat.identity.visitor(token: token, inbox: inbox.id)
            } else {
                visitor = app.chat.identity.anonymous(inbox: inbox.id)
            }
        } catch let refusal as VisitorIdentity.Refusal {
            let detail =
                switch refusal {
                case .forgedToken: "this visitor token was not issued by this shop"
                case .forgedUser: "the customer's signature does not match"
                case .signInRequired: "this shop's chat is for signed-in customers"
                case .noSecret: "this inbox has no identity secret, so signed customers cannot be checked"
                }
            await write(.error("identity_refused", detail))
            return false
        }
        let now = app.clock.now
        let seen = try await app.store.chatVisitors.seen(
            inbox: inbox.id, key: visitor.key, locale: frame.locale.map { String($0.prefix(16)) }, page: Self.page(frame.page, at: now), now: now)
        let threads = try await app.store.chatVisitors.threads(inbox: inbox.id, visitor: visitor.key)
        let c = VisitorConnection(
            visitor: visitor, inbox: inbox, outbound: outbound, store: app.store, fileLinks: app.fileLinks,
            availability: app.chat.availability, since: max(frame.since ?? 0, 0))
        for t in threads { await c.watch(t.conversationId, thread: t.thread) }
        connection = c
        app.chat.sessions.add(c, conversations: threads.map(\.conversationId))
        let availability = try await app.chat.availability.now(for: inbox)
        await write(
            .welcome(
                token: visitor.token, upload: app.chat.identity.uploadToken(visitor: visitor.key, inbox: inbox.id, now: now),
                threads: threads.map {
                    WidgetThread(thread: $0.thread, open: $0.status != .resolved, lastMessageAt: $0.lastMessageAt, snippet: $0.snippet)
                },
                availability: availability, email: seen.email ?? visitor.verifiedEmail))
        await c.pull()
        return true
    }

    private func send(_ frame: VisitorFrame, on c: VisitorConnection) async throws {
        guard let cid = frame.cid, Self.isClientId(cid) else {
            return await write(.error("cid_invalid", "a message needs a cid of 8 to 64 letters, digits, - or _"))
        }
        let thread = frame.thread ?? cid
        guard Self.isClientId(thread) else { return await write(.error("thread_invalid", "thread must be a cid", cid: cid)) }
        let text = (frame.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= ChatServices.maxText else {
            return await write(.error("too_long", "a message may have at most \(ChatServices.maxText) characters", cid: cid))
        }
        let tokens = frame.files ?? []
        let files = tokens.compactMap { app.chat.identity.file(token: $0, visitor: c.visitor.key) }
        guard files.count == tokens.count, files.count <= 4 else {
            return await write(.error("file_invalid", "a file must be one this visitor uploaded, four at most", cid: cid))
        }
        guard !text.isEmpty || !files.isEmpty else { return await write(.error("empty", "a message needs text or a picture", cid: cid)) }
        let now = app.clock.now
        for (limiter, key) in [(app.chat.perVisitor, "\(inbox.id):\(c.visitor.key)"), (app.chat.perAddress, client)] {
            if let wait = await limiter.blockedFor(key, now: now) {
                return await write(.error("rate_limited", "too many messages; wait a moment", cid: cid, retryAfter: Int(wait.rounded(.up))))
            }
        }
        let visitor = c.visitor
        let message = InboundMessage(
            identity: visitor.identity, contactName: visitor.name ?? Self.anonymousName(visitor), contactEmail: visitor.verifiedEmail,
            externalId: ExternalIDKind.chat.id("\(visitor.key)/\(cid)"), threadKey: ThreadKind.chat.key("\(visitor.key)/\(thread)"),
            text: text, attachments: files, sentAt: now)
        let outcome = try await app.receive(message, inbox: inbox)
        if case .created = outcome {
            await app.chat.perVisitor.record("\(inbox.id):\(visitor.key)", now: now)
            await app.chat.perAddress.record(client, now: now)
        }
        let stored = outcome.message
        await write(.ack(cid: cid, thread: thread, id: stored.id))
        await app.chat.sessions.started(stored.conversationId, thread: thread, inbox: inbox.id, visitor: visitor.key)
        if case .created = outcome { await c.askForEmailIfNobodyCanAnswer(stored.conversationId) }
    }

    private func typing(_ frame: VisitorFrame, on c: VisitorConnection) async throws {
        guard let thread = frame.thread, let conversation = await c.conversation(of: thread) else { return }
        let writing = !(frame.text ?? "").isEmpty
        // At most one "typing" every two seconds reaches the agents; stopping always does.
        let now = Date()
        if writing, now.timeIntervalSince(typingSent) < 2 { return }
        typingSent = writing ? now : .distantPast
        app.hub.publish(
            .presence(
                conversation,
                PresenceNote(
                    userId: 0, userName: c.visitor.name ?? WebStrings.text("chat_visitor", "ja"), state: writing ? .replying : .left, join: false,
                    connection: ChatSessions.visitorPresence + c.visitor.key)))
    }

    func close() async {
        guard let connection else { return }
        app.chat.sessions.remove(connection, conversations: Array(await connection.threads.keys))
    }

    /// What the desk calls a visitor who gave no name: 「訪問者 3f9a2c」, the start of their key.
    static func anonymousName(_ visitor: VisitorIdentity.Visitor) -> String { "訪問者 " + visitor.key.dropFirst().prefix(6) }

    static func isClientId(_ s: String) -> Bool {
        (8...64).contains(s.utf8.count)
            && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
    }

    static func page(_ page: VisitorFrame.Page?, at now: Date) -> ChatVisitor.Page? {
        guard let page, let url = URL(string: page.url), ["http", "https"].contains(url.scheme ?? "") else { return nil }
        return ChatVisitor.Page(url: String(page.url.prefix(2048)), title: String((page.title ?? "").prefix(300)), at: now)
    }
}
