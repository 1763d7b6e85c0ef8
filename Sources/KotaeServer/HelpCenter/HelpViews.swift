import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Article views, counted in memory and written every few seconds in one transaction, so a
/// reader's page never waits on a write (and thousands of readers make one write, not
/// thousands). What is pending at shutdown is written then.
final class HelpViews: Service, Sendable {
    let store: KotaeStore
    let logger: Logger
    let interval: Duration
    private let pending = Locked<[ID: Int]>([:])

    init(store: KotaeStore, logger: Logger, interval: Duration = .seconds(5)) {
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    func viewed(_ id: ID) { pending.withLock { $0[id, default: 0] += 1 } }

    func flush() async throws {
        let taken = pending.withLock { p -> [ID: Int] in
            defer { p = [:] }
            return p
        }
        guard !taken.isEmpty else { return }
        do { try await store.help.recordViews(taken) } catch {
            // Kept for the next try rather than lost.
            pending.withLock { p in for (id, n) in taken { p[id, default: 0] += n } }
            throw error
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            do { try await flush() } catch { logger.warning("help center views could not be written", metadata: ["error": "\(error)"]) }
        }
    }
}
