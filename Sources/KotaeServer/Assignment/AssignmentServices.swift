import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Writes down, every 30 seconds, which agents have a page of Kotae open on this instance,
/// so every instance's assignment knows who is at their desk.
struct PresenceHeartbeat: Service {
    let store: KotaeStore
    let agents: AgentsOnline
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await store.assignments.markSeen(agents.users, at: clock.now) } catch {
                logger.warning("presence could not be written", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// Moves the waiting conversations of an agent who has been offline longer than the setting
/// to the next agent online with room, in the inboxes that assign by themselves.
struct AssignmentKeeper: Service {
    let store: KotaeStore
    let hub: EventHub
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // A pass an interval after the start, not at it: a starting server (or test) has enough to do.
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            do { try await pass() } catch { logger.warning("assignments could not be moved", metadata: ["error": "\(error)"]) }
        }
    }

    /// Returns how many conversations moved.
    @discardableResult
    func pass() async throws -> Int {
        let now = clock.now
        let minutes = try await AssignmentBook.offlineMinutes(store)
        var moved = 0
        let stranded = try await store.assignments.stranded(
            inboxIds: try await AssignmentBook.inboxIds(store), offlineSince: now.addingTimeInterval(-minutes * 60))
        for (conversation, from) in stranded {
            guard
                let to = try await store.assignments.move(
                    conversationId: conversation, from: from, onlineSince: now.addingTimeInterval(-Assignments.onlineWindow),
                    offlineMinutes: minutes, now: now)
            else { continue }
            moved += 1
            hub.publish(.conversationUpdated(conversation, inbox: nil))
            hub.publish(.notificationCreated(for: to, conversation: conversation, message: nil))
        }
        return moved
    }
}
