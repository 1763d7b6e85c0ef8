import Foundation
import KotaeCore
import SQLKit

/// Reports: facts as they happened, rollups by day and month, and hourly traffic (migrations 33, 40). Written
/// by the changes they report (`Reports+Record`), read by `Reports+Read`.
public struct Reports: Sendable {
    let db: KotaeDatabase

    /// Whether changes write their facts, rollups and traffic. Off only in the benchmark that
    /// measures what reports cost on the way in, side by side with it on
    /// (`kotae bench --only reports-ingest`).
    @TaskLocal public static var recording = true

    /// The workspace setting naming the shop's IANA time zone, and its default.
    public static let timeZoneKey = "reports.timeZone"
    public static let defaultTimeZone = "Asia/Tokyo"

    /// The shop's time zone, which report days are counted in.
    public func timeZone() async throws -> TimeZone {
        try await db.read { db in try await Self.timeZone(db) }
    }
}
