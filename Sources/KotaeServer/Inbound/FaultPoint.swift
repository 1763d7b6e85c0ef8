import Foundation

/// Places where a test may make the process die on purpose (`KOTAE_TEST_FAULT`), to prove
/// what a crash there leaves behind. Never set in production; nothing else reads it.
enum FaultPoint: String, Sendable {
    /// Right after a customer's message and its follow-up work are committed, before the
    /// platform is answered or any job runs.
    case afterIngestCommit = "crash-after-ingest-commit"

    static let armed: FaultPoint? = ProcessInfo.processInfo.environment["KOTAE_TEST_FAULT"].flatMap(FaultPoint.init(rawValue:))

    /// Kills the process (SIGKILL: no clean-up, as a power cut or the OOM killer would) when
    /// this point is armed.
    static func reach(_ point: FaultPoint) {
        if armed == point { kill(getpid(), SIGKILL) }
    }
}
