import Foundation
import Hummingbird
import HummingbirdWebSocket
import KotaeCore
import KotaeStore
import Logging
import NIOCore

/// `GET /api/v1/stream`: an authenticated WebSocket of hub events as JSON text frames.
/// Browsers authenticate with the session cookie; other clients with `Authorization: Bearer`.
/// Browsers also send presence frames up the stream (see `PresenceNote`).
struct StreamRoute {
    let app: AppServices

    func addRoutes(to router: Router<SocketContext>) {
        let store = app.store
        let hub = app.hub
        let publicURL = app.config.publicURL
        let recheck = app.config.streamRecheckSeconds
        let logger = app.logger
        let agents = app.chat.agents
        router.ws("/api/v1/stream") { request, _ in
            // A page on another site may open a WebSocket with the agent's cookie (browsers
            // send it): only Kotae's own pages may. Clients other than browsers send no Origin.
            if let origin = request.headers[.origin], !Self.isOwnOrigin(origin, host: request.head.authority, publicURL: publicURL) {
                logger.warning("stream refused: foreign origin", metadata: ["origin": "\(origin.prefix(200))"])
                throw APIError(.forbidden, code: "origin_refused", detail: "this stream is only for Kotae's own pages")
            }
            guard try await Self.caller(of: request, store: store) != nil else { throw APIError.unauthorized() }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let caller = try await Self.caller(of: context.request, store: store) else { return }
            let user = caller.user
            let connection = UUID().uuidString
            // A signed-in browser is an agent at the desk (the chat widget says whether anyone is).
            if caller.isBrowser {
                agents.connected(user.id)
                // At their desk from now, for assignment on every instance (the heartbeat keeps it fresh).
                try? await store.assignments.markSeen([user.id], at: Date())
            }
            defer { if caller.isBrowser { agents.disconnected(user.id) } }
            let events = hub.subscribe()
            try await outbound.write(.text(#"{"type":"hello"}"#))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Reading keeps the connection's control frames flowing; when the client goes, we stop.
                    var current: Int64?
                    defer {
                        if caller.isBrowser, let current {
                            hub.publish(
                                .presence(
                                    current,
                                    PresenceNote(
                                        userId: user.id, userName: user.name, state: .left, join: false, connection: connection)))
                        }
                    }
                    // API-token clients only listen; presence comes from signed-in browsers.
                    for try await message in inbound.messages(maxSize: 4096) {
                        guard caller.isBrowser, case .text(let text) = message,
                            let frame = try? JSONDecoder().decode(PresenceFrame.self, from: Data(text.utf8)),
                            frame.type == "presence"
                        else { continue }
                        if let previous = current, previous != frame.conversationId {
                            hub.publish(
                                .presence(
                                    previous,
                                    PresenceNote(
                                        userId: user.id, userName: user.name, state: .left, join: false, connection: connection)))
                        }
                        current = frame.state == .left ? nil : frame.conversationId
                        hub.publish(
                            .presence(
                                frame.conversationId,
                                PresenceNote(
                                    userId: user.id, userName: user.name, state: frame.state, join: frame.join ?? false, connection: connection)))
                    }
                }
                group.addTask {
                    for await event in events {
                        if event.type == .sessionsEnded {
                            // Signed out, disabled, new password or revoked token: is this stream's credential still good?
                            if event.userId == user.id, try await Self.caller(of: context.request, store: store) == nil { return }
                            continue
                        }
                        // Someone else's notifications are theirs alone.
                        if event.type.isPersonal && event.userId != user.id { continue }
                        let data = try JSONEncoder.kotae.encode(event)
                        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
                    }
                }
                group.addTask {
                    // Sessions also end by expiring, and on another instance without PostgreSQL
                    // notifications: check the credential again now and then.
                    while true {
                        try await Task.sleep(for: .seconds(recheck))
                        if try await Self.caller(of: context.request, store: store) == nil { return }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
            try? await outbound.close(.policyViolation, reason: "session ended")
        }
    }

    /// Who opened a stream: a signed-in browser (session cookie) or an API-token client.
    struct Caller { let user: User; let isBrowser: Bool }

    static func caller(of request: Request, store: KotaeStore) async throws -> Caller? {
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer "), let user = try await store.accounts.userForAPIToken(String(auth.dropFirst(7))) else { return nil }
            return Caller(user: user, isBrowser: false)
        }
        if let token = request.cookies[AuthMiddleware.cookieName]?.value, let session = try await store.accounts.session(token: token) {
            return Caller(user: session.user, isBrowser: true)
        }
        return nil
    }

    /// Whether an `Origin` may open a stream. Browsers send their page's http(s) origin (or
    /// "null"), which must be Kotae itself: the host it asked for, or the public URL. Other
    /// clients (a `ws://` origin, as some WebSocket libraries send) are not web pages.
    static func isOwnOrigin(_ origin: String, host: String?, publicURL: String?) -> Bool {
        guard let o = URLComponents(string: origin), let scheme = o.scheme?.lowercased(), let oHost = o.host else { return false }
        if scheme != "http" && scheme != "https" { return true }
        let originAuthority = (oHost + (o.port.map { ":\($0)" } ?? "")).lowercased()
        if let host, ["http", "https"].contains(scheme), originAuthority == host.lowercased() { return true }
        if let publicURL, let p = URLComponents(string: publicURL), let pHost = p.host {
            return scheme == p.scheme && originAuthority == (pHost + (p.port.map { ":\($0)" } ?? "")).lowercased()
        }
        return false
    }
}
