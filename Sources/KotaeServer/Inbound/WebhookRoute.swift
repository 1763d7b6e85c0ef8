import Foundation
import Hummingbird
import KotaeCore
import KotaeStore
import NIOFoundationCompat

/// `/webhooks/<channel>/{inbox}` for every registered channel that arrives by webhook, one
/// way for all: the inbox is found, the signature is checked over the raw bytes before
/// anything is read, the body becomes events, each is committed, and only then the 200
/// (platforms redeliver what was not answered; a redelivery is recognised by its ids).
struct WebhookRoute {
    let app: AppServices
    let channels: ChannelRegistry

    func addRoutes(to router: Router<AppRequestContext>) {
        for adapter in channels.adapters {
            guard let path = adapter.webhookPath else { continue }
            if adapter.hasHandshake {
                router.get("webhooks/\(path)/:inbox") { request, context in
                    let (inbox, credentials) = try await inbox(context, adapter)
                    guard let answer = try await adapter.handshake(request, context: context, inbox: inbox, credentials: credentials) else {
                        throw APIError.notFound(adapter.name + " webhook check")
                    }
                    return answer
                }
            }
            router.post("webhooks/\(path)/:inbox") { request, context in
                let (inbox, credentials) = try await inbox(context, adapter)
                let body = Data(buffer: try await request.collectBody(upTo: app.config.maxBodyBytes))
                do {
                    try adapter.verify(WebhookDelivery(headers: request.headers, body: body), inbox: inbox, credentials: credentials)
                } catch {
                    app.metrics.webhookRejected.increment()
                    throw error
                }
                let events: [InboundEvent]
                do { events = try adapter.events(from: body, inbox: inbox) } catch { throw APIError.badRequest("bad_body", "\(error)") }
                for event in events { try await app.inbound.handle(event, inbox: inbox) }
                return Response(status: .ok)
            }
        }
    }

    private func inbox(_ context: AppRequestContext, _ adapter: any ChannelAdapter) async throws -> (Inbox, [String: String]) {
        let id = try context.parameters.require("inbox", as: Int64.self)
        guard let inbox = try await app.store.inboxes.find(id: id), adapter.kinds.contains(inbox.channel) else {
            throw APIError.notFound(adapter.name + " inbox")
        }
        return (inbox, try await app.store.inboxes.credentials(id: id))
    }
}
