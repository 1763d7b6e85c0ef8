import Foundation
import Hummingbird
import HummingbirdWebSocket
import KotaeStore
import Logging
import NIOCore

/// `GET /api/v1/stream`: an authenticated WebSocket of hub events as JSON text frames.
/// Browsers authenticate with the session cookie; other clients with `Authorization: Bearer`.
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
        } onUpgrade: { inbound, outbound, _ in
            let events = hub.subscribe()
            try await outbound.write(.text(#"{"type":"hello"}"#))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Reading keeps the connection's control frames flowing; when the client goes, we stop.
                    for try await _ in inbound {}
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
}
