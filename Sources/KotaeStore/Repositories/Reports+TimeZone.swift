import Foundation
import KotaeCore
import SQLKit

/// The shop's time zone decides which day each fact counts in. Changing it counts every fact's
/// day again and rebuilds the daily rollups from the fact rows, in one transaction with the
/// settings saved beside it: reports never show days of two zones. (Traffic is kept in UTC
/// hours and needs nothing.)
extension Reports {
    public enum TimeZoneProblem: Error, Equatable {
        case unknown(String)
    }

    /// Saves `settings` (nil removes one) and the zone `identifier`, and counts every report day
    /// again in it.
    public func setTimeZone(_ identifier: String, with settings: [String: String?] = [:]) async throws {
        guard let zone = TimeZone(identifier: identifier) else { throw TimeZoneProblem.unknown(identifier) }
        try await db.write { db in
            var all = settings
            all[Self.timeZoneKey] = identifier
            for (key, value) in all.sorted(by: { $0.key < $1.key }) {
                try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
                if let value { try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))").run() }
            }
            try await Self.rebuildRollups(db, zone: zone)
        }
    }
}
