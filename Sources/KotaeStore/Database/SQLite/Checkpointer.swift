import Logging

/// Copies the WAL back into the database file from its own connection and thread.
///
/// Why: with SQLite's automatic checkpoint, the commit that crosses the WAL threshold does
/// the copying itself, so one caller in a thousand waited for it (the p99 spikes in the
/// ingest benchmark). The writer has automatic checkpoints turned off; this task runs a
/// PASSIVE checkpoint, which never blocks readers or the writer, a few times a second.
final class Checkpointer: Sendable {
    private let connection: ThreadedSQLiteConnection
    private let task: Task<Void, Never>

    init(connection: ThreadedSQLiteConnection, logger: Logger, interval: Duration = .milliseconds(200)) {
        self.connection = connection
        task = Task(executorPreference: connection.thread) {
            while !Task.isCancelled {
                do {
                    try await connection.run { try $0.exec("PRAGMA wal_checkpoint(PASSIVE)") }
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func stop() async {
        task.cancel()
        await task.value
        await connection.close()
    }
}
