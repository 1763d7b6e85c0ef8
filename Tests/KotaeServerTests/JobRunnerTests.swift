import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing
@testable import KotaeServer

/// Jobs are typed: the runner decodes each payload once, into its kind's type.
@Suite struct JobRunnerTests {
    @Test func aPayloadThatCannotBeReadDiesAtOnceWithTheReason() async throws {
        try await withTestApp { app in
            let now = Date().timeIntervalSince1970
            try await app.store.db.write { db in
                for (kind, payload) in [
                    ("deliver", #"{"messageId":"twelve"}"#), ("line.content", #"{"messageId":5}"#),
                    ("graph.profile", "not json"), ("no.such.kind", "{}"),
                ] {
                    try await db.raw(
                        """
                        INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
                        VALUES (\(bind: kind), \(bind: payload), 'queued', 0, 8, \(bind: now), \(bind: now), \(bind: now))
                        """
                    ).run()
                }
            }
            app.services.runner?.poke()
            #expect(try await eventually { try await app.store.jobs.list(state: .dead).count == 4 })
            let dead = Dictionary(uniqueKeysWithValues: try await app.store.jobs.list(state: .dead).map { ($0.kind, $0) })
            #expect(dead["deliver"]?.lastError == "cannot read the deliver job's payload: messageId: expected a Int64, as a number or a string")
            #expect(dead["line.content"]?.lastError == "cannot read the line.content job's payload: inboxId is missing")
            #expect(dead["graph.profile"]?.lastError == "cannot read the graph.profile job's payload: not JSON")
            #expect(dead["no.such.kind"]?.lastError == "no handler for job kind no.such.kind")
            // Given up on the first attempt, not retried eight times.
            #expect(dead.values.allSatisfy { $0.attempts == 1 })
        }
    }

    @Test func payloadsQueuedByAnEarlierVersionAreStillRead() throws {
        // Before payloads were typed, every value was written as a string.
        let decoder = JSONDecoder()
        #expect(try decoder.decode(DeliverMessage.self, from: Data(#"{"messageId":"12"}"#.utf8)).messageId == 12)
        let mention = try decoder.decode(
            InstagramMentionJob.Payload.self,
            from: Data(#"{"inboxId":"3","mediaId":"17","at":"1700000000.5","commentId":"9"}"#.utf8))
        #expect(mention.inboxId == 3 && mention.at == 1_700_000_000.5 && mention.commentId == "9")
        // And what is written now reads back the same.
        let now = try JSONEncoder().encode(DeliverMessage(messageId: 12))
        #expect(String(decoding: now, as: UTF8.self) == #"{"messageId":12}"#)
        #expect(try decoder.decode(DeliverMessage.self, from: now) == DeliverMessage(messageId: 12))
    }
}
