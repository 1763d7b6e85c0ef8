import Foundation
import KotaeCore
import SQLKit

/// Reports: facts as they happened, daily rollups and hourly traffic (migration 33). Written
/// by the changes they report (`Reports+Record`), read by `Reports+Read`.
public struct Reports: Sendable {
    let db: KotaeDatabase

    /// The workspace setting naming the shop's IANA time zone, and its default.
    public static let timeZoneKey = "reports.timeZone"
    public static let defaultTimeZone = "Asia/Tokyo"

    /// The shop's time zone, which report days are counted in.
    public func timeZone() async throws -> TimeZone {
        try await db.read { db in try await Self.timeZone(db) }
    }
}
