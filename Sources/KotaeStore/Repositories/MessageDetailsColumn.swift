import KotaeCore
import Synchronization

/// A message's `details` column as JSON (nil when there are none).
///
/// Most customer messages carry only their triage, and a triage is one of some 16,000 values
/// (13 intents, confidence in hundredths, 3 tones, 2 flags), so its JSON is made once per
/// value and kept. Foundation's encoder costs several microseconds a call, whatever the size,
/// and every message paid it on the writer's thread that all messages wait for.
enum MessageDetailsColumn {
    private static let triageOnly = Mutex<[TriageResult: String]>([:])
    /// More than the values a triage can take; a bound all the same, should that change.
    static let triageLimit = 20_000

    static func json(_ details: MessageDetails) -> String? {
        if details.isEmpty { return nil }
        guard let triage = details.triage, details == MessageDetails(triage: triage) else { return JSON.string(details) }
        if let known = triageOnly.withLock({ $0[triage] }) { return known }
        let made = JSON.string(details)
        triageOnly.withLock { if $0.count < triageLimit { $0[triage] = made } }
        return made
    }
}
