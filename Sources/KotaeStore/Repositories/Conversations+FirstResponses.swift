import Foundation
import KotaeCore
import SQLKit

extension Conversations {
    /// The measured first-response times (in the policy's time: business seconds where
    /// business hours count) of the conversations of `inboxId` first answered since `since`.
    public func firstResponseSeconds(inboxId: ID, since: Date) async throws -> [Double] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT first_response_seconds FROM conversations
                WHERE inbox_id = \(bind: inboxId) AND first_responded_at >= \(bind: since.epoch) AND first_response_seconds IS NOT NULL
                """
            ).all().map { try $0.decode(column: "first_response_seconds", as: Double.self) }
        }
    }
}
