import Logging

/// Copies the WAL back into the database file from its own connection and thread, and makes
/// the WAL start over at its beginning once it has grown.
///
/// Why a task of its own: with SQLite's automatic checkpoint, the commit that crosses the WAL
/// threshold does the copying itself, so one caller in a thousand waited for it (the p99
/// spikes in the ingest benchmark). The writer has automatic checkpoints turned off; this task
/// runs a PASSIVE checkpoint, which never blocks readers or the writer, a few times a second.
///
/// Why the restart: under a steady stream of writes a PASSIVE checkpoint never catches up with
/// the writer, and SQLite only starts the WAL over when everything in it has been copied, so
/// the file grew without bound (670 MB in 10 s of API ingest), every frame past its end making
/// the kernel allocate and zero a new block. Past `restartFrames`, the writer is held between
/// two batches (`writeLock`) while a RESTART checkpoint copies the last frames, the few written
/// since the PASSIVE one began; the next batch then writes the WAL from its start again.
final class Checkpointer: Sendable {
    private let connection: ThreadedSQLiteConnection
    private let task: Task<Void, Never>

    /// 8,192 frames: about 32 MB of WAL, half of its `journal_size_limit`.
    init(
        connection: ThreadedSQLiteConnection, writeLock: AsyncMutex, logger: Logger,
        interval: Duration = .milliseconds(200), restartFrames: Int = 8192
    ) {
        self.connection = connection
        task = Task(executorPreference: connection.thread) {
            // The WAL's frame count when a RESTART last completed: SQLite starts the WAL over
            // at the next write, so until one comes the count stays and nothing is left to do.
            var restartedAt: Int?
            var filling = false
            while !Task.isCancelled {
                do {
                    let frames = try await connection.run { try Self.checkpoint($0, mode: "PASSIVE") }.frames
                    if frames > restartFrames, frames != restartedAt {
                        let restart = try await writeLock.withLock {
                            try await connection.run { try Self.checkpoint($0, mode: "RESTART") }
                        }
                        if !restart.busy { restartedAt = restart.frames }
                    }
                    // A WAL filling fast is looked at again soon, so it starts over near the threshold.
                    filling = frames > restartFrames / 2 && frames != restartedAt
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: filling ? .milliseconds(20) : interval)
            }
        }
    }

    /// Runs a checkpoint: the frames the WAL holds (SQLite's `log` column), and whether it
    /// was kept from finishing (a RESTART that still finds a reader on an old snapshot after
    /// the connection's short busy timeout; it is tried again later).
    private static func checkpoint(_ handle: SQLiteHandle, mode: String) throws -> (frames: Int, busy: Bool) {
        var result = (frames: 0, busy: false)
        try handle.run("PRAGMA wal_checkpoint(\(mode))", []) { row in result = (Int(try row.int("log")), try row.int("busy") != 0) }
        return result
    }

    func stop() async {
        task.cancel()
        await task.value
        await connection.close()
    }
}
