import Foundation
import KotaeCore
import SQLKit

/// The hour's traffic (`report_traffic`): what each change adds to its hour and inbox.
extension Reports {
    struct TrafficKey: Hashable {
        let hour: Int
        let inboxId: ID
    }

    struct TrafficDelta {
        var incoming = 0, created = 0, unanswered = 0, backlog = 0

        static func += (a: inout TrafficDelta, b: TrafficDelta) {
            a.incoming += b.incoming
            a.created += b.created
            a.unanswered += b.unanswered
            a.backlog += b.backlog
        }
    }

    /// Adds to the hour's traffic (UTC hours, so any time zone can read it). Inside a
    /// group-committed SQLite batch the additions are summed and written once, before the
    /// batch commits (`TrafficTally`): one upsert per hour and inbox instead of one per
    /// message, in the same transaction as the messages.
    static func addTraffic(
        _ db: any SQLDatabase, at: Date, inboxId: ID, incoming: Int, created: Int, unanswered: Int, backlog: Int
    ) async throws {
        let key = TrafficKey(hour: Int((at.timeIntervalSince1970 / 3600).rounded(.down)), inboxId: inboxId)
        let delta = TrafficDelta(incoming: incoming, created: created, unanswered: unanswered, backlog: backlog)
        if let tally = TrafficTally.current {
            tally.add(delta, to: key)
        } else {
            try await writeTraffic(db, [key: delta])
        }
    }

    static func writeTraffic(_ db: any SQLDatabase, _ deltas: [TrafficKey: TrafficDelta]) async throws {
        for (key, d) in deltas.sorted(by: { ($0.key.hour, $0.key.inboxId) < ($1.key.hour, $1.key.inboxId) }) {
            try await db.raw(
                """
                INSERT INTO report_traffic (hour, inbox_id, incoming, created, unanswered, backlog)
                VALUES (\(bind: key.hour), \(bind: key.inboxId), \(bind: d.incoming), \(bind: d.created), \(bind: d.unanswered), \(bind: d.backlog))
                ON CONFLICT (hour, inbox_id) DO UPDATE SET incoming = report_traffic.incoming + excluded.incoming,
                  created = report_traffic.created + excluded.created, unanswered = report_traffic.unanswered + excluded.unanswered,
                  backlog = report_traffic.backlog + excluded.backlog
                """
            ).run()
        }
    }
}

/// The traffic a SQLite write transaction has added so far, written by `flush` just before
/// it commits. `GroupCommit` empties it when a transaction begins (a rolled-back batch leaves
/// nothing behind) and makes it `current` while the batch's work runs.
final class TrafficTally: Sendable {
    @TaskLocal static var current: TrafficTally?

    private let pending = Locked<[Reports.TrafficKey: Reports.TrafficDelta]>([:])

    func add(_ delta: Reports.TrafficDelta, to key: Reports.TrafficKey) {
        pending.withLock { $0[key, default: Reports.TrafficDelta()] += delta }
    }

    func discard() { pending.withLock { $0 = [:] } }

    func flush(_ db: any SQLDatabase) async throws {
        let deltas = pending.withLock { p in
            defer { p = [:] }
            return p
        }
        if !deltas.isEmpty { try await Reports.writeTraffic(db, deltas) }
    }
}
