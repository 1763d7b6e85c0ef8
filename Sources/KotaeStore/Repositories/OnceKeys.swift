import Foundation
import KotaeCore
import SQLKit

/// Keys claimed once (`channel_event_keys`): a platform's delivery id, "this contact's profile
/// was asked for", "this picture was sent". Work done once per thing however often it is asked.
enum OnceKeys {
    /// Inserts `key` unless it is there: true when this call put it there.
    static func claim(_ key: String, in tx: any SQLDatabase, now: Date = Date()) async throws -> Bool {
        try await tx.raw(
            """
            INSERT INTO channel_event_keys (key, created_at) VALUES (\(bind: key), \(bind: now.epoch))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """
        ).first() != nil
    }
}
