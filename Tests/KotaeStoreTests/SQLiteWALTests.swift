import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing

@Suite struct SQLiteWALTests {
    /// Writes that never pause (a burst of messages) used to grow the WAL file for as long as
    /// they lasted: the checkpoint never caught up, so SQLite never started the WAL over. Now
    /// it starts over past 32 MB (the file then keeps its size), and no write is lost doing so.
    @Test(.enabled(if: !TestDatabase.isPostgres, "SQLite's WAL"))
    func theWALStartsOverUnderWritesThatNeverPause() async throws {
        let test = try await TestDatabase.make()
        defer { test.remove() }
        let store = try await test.openStore()
        let db = store.db
        try await db.write { try await $0.raw("CREATE TABLE wal_burst (slot INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB)").run() }

        // 6,000 writes of 64 KB each (about 400 MB through the WAL) from 8 writers at once,
        // into 64 rows, so the database file itself stays small.
        let writes = 6000, writers = 8
        let walPath = test.dataDirectory + "/kotae.sqlite-wal"
        let largest = Locked(0)
        let watching = Locked(true)
        let watcher = Task {
            while watching.withLock({ $0 }) {
                let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
                largest.withLock { $0 = max($0, size) }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for n in stride(from: w, to: writes, by: writers) {
                        try await db.write {
                            try await $0.raw(
                                "INSERT OR REPLACE INTO wal_burst (slot, n, data) VALUES (\(bind: n % 64), \(bind: n), randomblob(65536))"
                            ).run()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        watching.withLock { $0 = false }
        await watcher.value

        let largestMB = largest.withLock { $0 } >> 20
        #expect(largestMB > 0, "the WAL file was seen")
        // Past 32 MB it starts over; what the writers add before the checkpointer's next look
        // (a few tens of milliseconds, more on a busy machine) comes on top.
        #expect(largestMB <= 128, "the WAL file reached \(largestMB) MB")
        // Every write is there: each slot holds the last of its writes.
        let (slots, newest) = try await db.read { sql in
            let row = try await sql.raw("SELECT count(*) AS slots, max(n) AS newest FROM wal_burst").first()!
            return (try row.decode(column: "slots", as: Int.self), try row.decode(column: "newest", as: Int.self))
        }
        #expect(slots == 64)
        #expect(newest == writes - 1)
        await db.close()
    }
}
