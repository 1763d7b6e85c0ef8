import Foundation
import Hummingbird
import HummingbirdWebSocket
import KotaeCore
import KotaeStore
import Logging

/// `GET /chat/socket?inbox=<id>`: the widget's WebSocket. The first frame is `hello`; then
/// messages, typing, reads, pages and an email address go up, and messages, acknowledgements,
/// typing and "seen" come down (`ChatFrames`). A message carries the widget's own id (`cid`)
/// and is stored once however often it is sent; after a reconnect the widget says the newest
/// message it has and is sent everything after it.
struct ChatSocketRoute {
    let app: AppServices

    func addRoutes(to router: Router<SocketContext>) {
        let app = self.app
        router.ws("/chat/socket") { request, _ in
            guard let id = request.uri.queryParameters.get("inbox", as: Int64.self), let inbox = try await app.store.inboxes.find(id: id),
                inbox.channel == .chat
            else { throw APIError.notFound("chat inbox") }
            // Only the shop's own sites may run its widget (when the inbox names them).
            guard try ChatSettings(stored: inbox.settings).allows(origin: request.headers[.origin]) else {
                throw APIError(.forbidden, code: "origin_refused", detail: "this site may not run this inbox's chat widget")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let id = context.request.uri.queryParameters.get("inbox", as: Int64.self), let inbox = try await app.store.inboxes.find(id: id)
            else { return }
            let client = context.requestContext.remoteAddress?.ipAddress ?? "?"
            let session = VisitorSession(app: app, inbox: inbox, client: client, outbound: outbound)
            do {
                for try await message in inbound.messages(maxSize: 64 << 10) {
                    guard case .text(let text) = message else { continue }
                    guard let frame = try? JSONDecoder().decode(VisitorFrame.self, from: Data(text.utf8)) else {
                        await session.write(.error("unreadable", "a frame must be a JSON object with a known \"t\""))
                        continue
                    }
                    guard try await session.handle(frame) else { break }
                }
            } catch {
                context.logger.debug("chat socket ended: \(error)")
            }
            await session.close()
        }
    }
}
