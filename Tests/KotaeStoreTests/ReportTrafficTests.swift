import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeStore

/// The hour's traffic is summed per group-committed batch on SQLite and written once before
/// it commits: still every message exactly once, and nothing from a write that failed.
@Suite struct ReportTrafficTests {
    struct Refused: Error {}

    @Test func concurrentMessagesAreCountedOnceAndAFailedWriteAddsNothing() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let store = try await db.openStore()
        let a = try await store.inboxes.create(name: "a", channel: .api)
        let b = try await store.inboxes.create(name: "b", channel: .api)
        let firstHour = 490_000
        let start = Date(timeIntervalSince1970: Double(firstHour) * 3600 + 60)
        // 200 messages at once, in two inboxes and two hours, with writes that add traffic and
        // then fail among them: a failed write's batch is rolled back and its other parts run
        // again, each alone.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let at = start.addingTimeInterval(i < 100 ? 0 : 3600)
                    let m = InboundMessage(identity: ("api", "c\(i % 7)"), externalId: "t\(i)", text: "届きません", sentAt: at)
                    _ = try await store.conversations.ingest(m, inbox: i % 2 == 0 ? a : b, now: at)
                }
                if i % 10 == 0 {
                    group.addTask {
                        await #expect(throws: Refused.self) {
                            try await store.db.write { db in
                                try await Reports.addTraffic(
                                    db, at: start, inboxId: a.id, incoming: 1000, created: 1000, unanswered: 1000, backlog: 1000)
                                throw Refused()
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let rows = try await store.db.read { db in
            try await db.raw("SELECT hour, inbox_id, incoming, created, unanswered FROM report_traffic ORDER BY hour, inbox_id").all()
        }
        let incoming = try rows.map { [try $0.int("hour") - Int64(firstHour), try $0.int("inbox_id"), try $0.int("incoming")] }
        #expect(incoming == [[0, a.id, 50], [0, b.id, 50], [1, a.id, 50], [1, b.id, 50]])
        for inbox in [a.id, b.id] {
            let mine = try rows.filter { try $0.int("inbox_id") == inbox }
            // Seven customers in each inbox: seven conversations opened, each waiting once.
            #expect(try mine.reduce(0) { $0 + (try $1.int("created")) } == 7)
            #expect(try mine.reduce(0) { $0 + (try $1.int("unanswered")) } == 7)
        }
        await store.db.close()
    }
}
