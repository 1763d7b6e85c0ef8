import Foundation

/// Warnings before a conversation's SLA due time, and the alert at the breach: when each is
/// due, and the job that sends one. Pure; the service that scans and the job that sends are
/// in the server.
public enum SLAEscalation {
    /// Warnings unless the shop says otherwise: an hour and a quarter of an hour before.
    public static let defaultOffsets: [TimeInterval] = [3600, 900]

    /// The alert due now for a target due at `due`, whose clock started at `started`, among
    /// the moments `due − offset` (the breach is offset 0) that fell after `since` and by `now`:
    /// the latest one only, so a worker that was away sends "15 minutes left", not the hour's
    /// warning as well. A warning longer than the target itself (an hour before a 30-minute
    /// chat target) would come before the customer even wrote, and is not sent.
    public static func stage(due: Date, started: Date, offsets: [TimeInterval], since: Date, now: Date) -> TimeInterval? {
        (offsets + [0]).filter { offset in
            let moment = due.addingTimeInterval(-offset)
            return moment > since && moment <= now && (offset == 0 || moment > started)
        }.min()
    }
}

/// Send one SLA alert (a warning `before` seconds ahead, or the breach when 0) for the due
/// time it was raised for; checked again before it goes.
public struct SLAAlert: JobPayload, Equatable {
    public static let kind = "sla.alert"
    public var conversationId: Int64
    public var dueAt: Date
    public var before: TimeInterval

    public init(conversationId: Int64, dueAt: Date, before: TimeInterval) {
        self.conversationId = conversationId
        self.dueAt = dueAt
        self.before = before
    }

    public var isBreach: Bool { before == 0 }

    /// One alert per conversation, due time and stage, however many workers scan.
    public var onceKey: String { "sla-alert:\(conversationId):\(Int64(dueAt.timeIntervalSince1970.rounded())):\(Int64(before))" }
}
