import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeServer
import KotaeStore
import Logging
import NIOCore

/// Issue 16's report target: every report over a year with 1,000,000 conversations under
/// 300 ms p99, on SQLite and PostgreSQL. The year is generated once per folder (or database).
struct ReportsBench {
    let dir: String
    let conversations: Int
    let http: HTTPClient
    /// The generated year ends the day before this one.
    static let end = LocalDate(2026, 12, 1)
    static let runs = 20

    var dataDir: String { dir + "/reports-v6-\(conversations)" }

    func ensureDataset(database: String?, logger: Logger) async throws {
        var config = KotaeConfig()
        config.dataDirectory = database == nil ? dataDir : dataDir + "-pg"
        config.databaseURL = database
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: try SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: config.dataDirectory))))
        let marker = "bench_reports", want = "\(conversations)"
        if try await store.setting(marker) != want {
            let email = try await store.inboxes.create(
                name: "メール", channel: .email,
                slaPolicy: SLAPolicy(firstResponse: 86_400, nextResponse: 86_400, businessHours: .weekdays(from: 9, to: 18)))
            let inboxes = [
                email, try await store.inboxes.create(name: "チャット", channel: .chat), try await store.inboxes.create(name: "LINE", channel: .line),
                try await store.inboxes.create(name: "Instagram", channel: .instagram),
            ]
            var agents: [ID] = []
            for i in 0..<10 {
                agents.append(
                    try await store.accounts.createUser(email: "agent\(i)@bench.kotae", name: "担当者\(i)", role: .agent, passwordHash: "x").id)
            }
            var teams: [ID] = []
            for i in 0..<3 { teams.append(try await store.teams.create(name: "チーム\(i)", memberIds: []).id) }
            var labels: [ID] = []
            for name in ["返品", "配送", "交換", "不良", "請求", "在庫", "ギフト", "VIP"] {
                labels.append(try await store.createLabel(name: name, color: "#5f6368", description: "").id)
            }
            let start = Date(), total = conversations
            FileHandle.standardError.write(Data("generating a year of reports for \(conversations) conversations…\n".utf8))
            try await ReportBenchData.generate(
                store: store, shape: .init(inboxes: inboxes, agents: agents, teams: teams, labels: labels), conversations: conversations,
                end: Self.end
            ) { done in
                if done % 200_000 == 0 || done == total {
                    FileHandle.standardError.write(Data("  \(done) conversations (\(Int(Date().timeIntervalSince(start))) s)\n".utf8))
                }
            }
            try await store.setSetting(marker, want)
        }
        await db.close()
    }

    /// Each report the page offers, asked `runs` times after one warm-up.
    func measure(base: String, token: String, label: String, report: inout BenchReport) async throws {
        let year = "from=\(Self.end.adding(days: -365))&to=\(Self.end.adding(days: -1))"
        let kinds: [(String, String)] = [
            ("a year by month", "\(year)&by=month"), ("a year by week, business hours", "\(year)&by=week&businessHours=true"),
            ("a year by day", "\(year)&by=day"), ("a year, one channel (email)", "\(year)&by=month&channel=email"),
            ("a year, one agent", "\(year)&by=month&agent=2"), ("a year, one label", "\(year)&by=month&label=1"),
            ("a year, channel and agent", "\(year)&by=month&channel=chat&agent=2"),
            ("a year, agent and label", "\(year)&by=month&agent=2&label=1"),
            // Agent 2's conversations go to the third team (`ReportBenchData`).
            ("a year, agent, team and label", "\(year)&by=month&agent=2&team=3&label=1"),
        ]
        for (name, query) in kinds {
            var lat = Latencies()
            for i in 0...Self.runs {
                var req = HTTPClientRequest(url: base + "/api/v1/reports?" + query)
                req.headers.add(name: "Authorization", value: "Bearer \(token)")
                let t0 = Date()
                let r = try await http.execute(req, timeout: .seconds(120))
                let body = try await r.body.collect(upTo: 64 << 20)
                guard r.status == .ok, body.readableBytes > 0 else { throw BenchFailure("report \(query): \(r.status)") }
                if i > 0 { lat.add(Date().timeIntervalSince(t0)) }
            }
            report.add("report API, \(name), \(conversations) conversations (\(label))", lat.summary, "< 300 ms p99")
        }
    }
}
