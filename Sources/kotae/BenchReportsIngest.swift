import Foundation
import KotaeCore
import KotaeStore
import Logging

/// Issue 16's other target: rollups add less than 5 % to ingest. Measured side by side in one
/// process on the store (no HTTP, whose spread would hide 5 %): customer messages, which write
/// the hour's traffic, and customer turns (a message in, an agent's reply delivered: the first
/// response's facts and their rollups by day and by month), with reports written and with
/// `Reports.recording` off, alternated, each run on a fresh database.
struct ReportsIngestBench {
    let dir: String
    let clients: Int
    let duration: Double
    let rounds = 5

    enum Kind: String, CaseIterable {
        case messages = "customer messages"
        case turns = "customer turns (message in, reply delivered)"
    }

    func run(report: inout BenchReport, logger: Logger) async throws {
        var rates: [String: [Double]] = [:]
        for round in 0..<rounds {
            for on in round % 2 == 0 ? [true, false] : [false, true] {
                for kind in Kind.allCases {
                    let rate = try await Reports.$recording.withValue(on) { try await measure(kind, logger: logger) }
                    rates["\(kind.rawValue) \(on)", default: []].append(rate)
                }
            }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        for kind in Kind.allCases {
            let with = rates["\(kind.rawValue) true"]!, without = rates["\(kind.rawValue) false"]!
            let change = (median(with) / median(without) - 1) * 100
            let runs = { (v: [Double]) in v.map { String(format: "%.0f", $0) }.joined(separator: " ") }
            report.add(
                "store, \(kind.rawValue)/s, reports written vs not (\(clients) tasks, SQLite, median of \(rounds) alternated)",
                String(format: "%.0f (%@) vs %.0f (%@): %+.1f %%", median(with), runs(with), median(without), runs(without), change),
                "reports cost < 5 %")
        }
    }

    private func measure(_ kind: Kind, logger: Logger) async throws -> Double {
        let d = dir + "/reports-ingest-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: d) }
        let db = try await KotaeDatabase.open(url: "sqlite:\(d)/k.sqlite", logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: "bench"))
        let inbox = try await store.inboxes.create(
            name: "b", channel: .api,
            slaPolicy: SLAPolicy(firstResponse: 3600, nextResponse: 3600, businessHours: .weekdays(from: 9, to: 18)))
        let agent = try await store.accounts.createUser(email: "agent@bench.kotae", name: "担当者", role: .agent, passwordHash: "x").id
        let rate = try await closedLoop(clients: clients, duration: duration) { c, n in
            let message = InboundMessage(
                identity: ("api", "c\(c)-\(n)"), externalId: "m\(c)-\(n)", text: "注文した自転車がまだ届きません #\(n)", sentAt: Date())
            let outcome = try await store.conversations.ingest(message, inbox: inbox)
            guard kind == .turns else { return }
            let (reply, _) = try await store.conversations.reply(
                conversationId: outcome.message.conversationId, text: "ご連絡ありがとうございます", author: agent, now: Date())
            try await store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: nil, at: Date())
        }
        await db.close()
        return rate
    }
}
