import Foundation
import KotaeCore
import KotaeStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Bridges the event hubs of several `kotae serve` instances through PostgreSQL
/// `LISTEN/NOTIFY`: what one publishes, the others deliver to their subscribers.
struct PostgresBridge: Service {
    static let channel = "kotae_events"
    let backend: PostgresBackend
    let hub: EventHub
    let logger: Logger
    private let outgoing = Locked<AsyncStream<HubEvent>.Continuation?>(nil)

    init(backend: PostgresBackend, hub: EventHub, logger: Logger) {
        self.backend = backend
        self.hub = hub
        self.logger = logger
    }

    /// Starts forwarding local events; call before `run`.
    func install() {
        let backend = self.backend
        let logger = self.logger
        let (stream, continuation) = AsyncStream<HubEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        hub.forward.withLock { $0 = { continuation.yield($0) } }
        outgoing.withLock { $0 = continuation }
        Task {
            for await event in stream {
                guard let data = try? JSONEncoder.kotae.encode(event) else { continue }
                do {
                    try await backend.notify(channel: Self.channel, payload: String(decoding: data, as: UTF8.self))
                } catch {
                    logger.warning("could not notify other instances", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func run() async throws {
        defer {
            // Stop forwarding: the sender task ends with the stream.
            hub.forward.withLock { $0 = nil }
            outgoing.withLock { $0?.finish() }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // Reconnect after a lost connection until shutdown.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await backend.client.withConnection { conn in
                    // UNLISTEN is sent when the closure ends.
                    try await conn.listen(on: Self.channel) { notifications in
                        for try await n in notifications.cancelOnGracefulShutdown() {
                            guard let event = try? decoder.decode(HubEvent.self, from: Data(n.payload.utf8)),
                                event.origin != hub.instanceId
                            else { continue }
                            hub.deliverLocally(event)
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
