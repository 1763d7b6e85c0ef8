import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Which conversations an SLA pass looks at: those with a warning or breach moment in the
/// pass's window, however many others are due sooner.
@Suite struct SLAAlertsTests {
    @Test func aWarningIsNotLostBehindAThousandConversationsDueSooner() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let store = try await db.openStore()
        let inbox = try await store.inboxes.create(name: "セール", channel: .api, slaPolicy: SLAPolicy(firstResponse: 7200, nextResponse: 7200))
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        func customer(_ name: String, at: Date) async throws -> Int64 {
            let m = InboundMessage(identity: ("api", name), externalId: "m-\(name)", text: "注文した商品はいつ届きますか？", sentAt: at)
            return try await store.conversations.ingest(m, inbox: inbox, now: at).message.conversationId
        }
        // A sale's morning: a thousand customers write at once, all due two hours later.
        var rush: Set<Int64> = []
        for n in 0..<1_000 { rush.insert(try await customer("rush-\(n)", at: start)) }
        // Half an hour later one more writes, due half an hour after them.
        let late = try await customer("late", at: start.addingTimeInterval(1800))
        let offsets: [TimeInterval] = [3600, 900]

        // Its hour's warning falls in this pass; the thousand due sooner are not in it.
        let warningAt = start.addingTimeInterval(1800 + 7200 - 3600)
        let warned = try await store.slaAlerts.due(moments: offsets, after: warningAt.addingTimeInterval(-15), upTo: warningAt)
        #expect(warned.map(\.id) == [late])
        #expect(warned.first?.dueAt == start.addingTimeInterval(1800 + 7200))
        // The thousand's breach is one pass of its own, with all of them and no other.
        let breachAt = start.addingTimeInterval(7200)
        let breached = try await store.slaAlerts.due(moments: offsets, after: breachAt.addingTimeInterval(-15), upTo: breachAt)
        #expect(Set(breached.map(\.id)) == rush)
        #expect(breached.count == 1_000)
        // A pass between the moments finds nothing.
        let quiet = start.addingTimeInterval(600)
        #expect(try await store.slaAlerts.due(moments: offsets, after: quiet.addingTimeInterval(-15), upTo: quiet).isEmpty)
        await store.db.close()
    }
}
