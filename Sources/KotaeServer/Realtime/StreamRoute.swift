import Foundation
import Hummingbird
import HummingbirdWebSocket
import KotaeStore
import Logging
import NIOCore

/// `GET /api/v1/stream`: an authenticated WebSocket of hub events as JSON text frames.
/// Browsers authenticate with the session cookie; other clients with `Authorization: Bearer`.
/// Browsers also send presence frames up the stream (see `PresenceNote`).
struct StreamRoute {
    let app: AppServices

    func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        let store = app.store
        let hub = app.hub
        router.ws("/api/v1/stream") { request, _ in
            if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "),
               try await store.userForAPIToken(String(auth.dropFirst(7))) != nil {
                return .upgrade([:])
            }
            if let token = request.cookies[AuthMiddleware.cookieName]?.value, try await store.session(token: token) != nil {
                return .upgrade([:])
            }
            throw APIError.unauthorized()
        } onUpgrade: { inbound, outbound, context in
            let user = try await Self.user(of: context.request, store: store)
            let connection = UUID().uuidString
            let events = hub.subscribe()
            try await outbound.write(.text(#"{"type":"hello"}"#))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Reading keeps the connection's control frames flowing; when the client goes, we stop.
                    var current: Int64?
                    defer {
                        if let user, let current {
                            hub.publish(HubEvent(type: "presence", conversationId: current, presence: PresenceNote(
                                userId: user.id, userName: user.name, state: .left, join: false, connection: connection)))
                        }
                    }
                    for try await message in inbound.messages(maxSize: 4096) {
                        guard let user, case .text(let text) = message,
                              let frame = try? JSONDecoder().decode(PresenceFrame.self, from: Data(text.utf8)),
                              frame.type == "presence" else { continue }
                        if let previous = current, previous != frame.conversationId {
                            hub.publish(HubEvent(type: "presence", conversationId: previous, presence: PresenceNote(
                                userId: user.id, userName: user.name, state: .left, join: false, connection: connection)))
                        }
                        current = frame.state == .left ? nil : frame.conversationId
                        hub.publish(HubEvent(type: "presence", conversationId: frame.conversationId, presence: PresenceNote(
                            userId: user.id, userName: user.name, state: frame.state, join: frame.join ?? false, connection: connection)))
                    }
                }
                group.addTask {
                    for await event in events {
                        let data = try JSONOut.encoder.encode(event)
                        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The signed-in user behind a stream: presence needs a name. API-token clients only listen.
    static func user(of request: Request, store: KotaeStore) async throws -> User? {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { return try await store.session(token: token)?.user }
        return nil
    }
}
