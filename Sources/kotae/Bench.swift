import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import KotaeCore
import KotaeServer
import KotaeStore
import Logging
import NIOCore
import ServiceLifecycle

/// `kotae bench`: generates its own data and measures the targets on this machine.
/// Build with `-c release`. Prints a Markdown table for BENCHMARKS.md.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure ingest, inbox list, search, memory and start time.")

    @Option(help: "Work directory (kept between runs so the large data set is generated once).") var dir = "/tmp/kotae-bench"
    @Option(help: "Conversations in the large data set.") var conversations = 1_000_000
    @Option(name: .customLong("messages-per"), help: "Messages per conversation.") var messagesPer = 5
    @Option(help: "Seconds per ingest phase.") var duration = 10.0
    @Option(help: "Concurrent clients for the sustained ingest phase.") var clients = 32
    @Option(help: "PostgreSQL URL to also measure the inbox list and search on PostgreSQL.") var postgres: String?
    @Option(
        help:
            "Only these parts: store-ingest,ingest,webhook,import,list,page,search,startup,orders,help,chat,reports,reports-ingest (comma separated)."
    )
    var only: String?
    @Option(name: .customLong("import-threads"), help: "Mail threads (three mails each) in the generated import corpus.") var importThreads = 7_000

    func run() async throws {
        var logger = Logger(label: "kotae.bench")
        logger.logLevel = .warning
        let parts = Set((only ?? "ingest,webhook,import,list,page,search,startup,orders,help,chat").split(separator: ",").map(String.init))
        var report = BenchReport()
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)))

        if parts.contains("store-ingest") {
            // The store alone, without HTTP: where ingest time goes.
            let d = dir + "/store-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            let db = try await KotaeDatabase.open(url: "sqlite:\(d)/k.sqlite", logger: logger)
            try await db.migrate()
            let store = KotaeStore(db: db, secrets: SecretBox(secret: "bench"))
            let inbox = try await store.inboxes.create(name: "b", channel: .api)
            let rate = try await closedLoop(clients: clients, duration: duration) { c, n in
                _ = try await store.conversations.ingest(
                    InboundMessage(
                        identity: ("api", "c\(n % 5000)"), externalId: "s\(c)-\(n)",
                        text: "注文した自転車がまだ届きません #\(n)", sentAt: Date()), inbox: inbox)
            }
            report.add("store ingest without HTTP (\(clients) tasks, SQLite)", String(format: "%.0f messages/s", rate), "(diagnostic)")
            await db.close()
            try? FileManager.default.removeItem(atPath: d)
        }
        if parts.contains("ingest") {
            let ingestDir = dir + "/ingest-\(UUID().uuidString.prefix(8))"
            try await withServer(dataDir: ingestDir, database: nil, port: 18481, logger: logger) { base, token, inbox in
                try await IngestBench(http: http, base: base, token: token, inboxId: inbox).run(duration: duration, clients: clients, report: &report)
            }
            try? FileManager.default.removeItem(atPath: ingestDir)
        }
        if parts.contains("import") {
            try await ImportBench(dir: dir, threads: importThreads).run(report: &report, logger: logger)
        }
        if parts.contains("webhook") {
            // Each platform on a fresh server, so no run inherits the previous one's database.
            // A port of its own too: the shared HTTP client keeps connections open, and one kept
            // to the previous server (stopped, its socket not yet closed) took a request and
            // never answered (seen once in seven runs).
            for (i, platform) in WebhookBench.platforms.enumerated() {
                let webhookDir = dir + "/webhook-\(UUID().uuidString.prefix(8))"
                try await withServer(dataDir: webhookDir, database: nil, port: 18490 + i, logger: logger) { base, token, _ in
                    try await WebhookBench(base: base, token: token).run(platform, duration: duration, connections: clients, report: &report)
                }
                try? FileManager.default.removeItem(atPath: webhookDir)
            }
        }
        if parts.contains("list") || parts.contains("search") || parts.contains("startup") || parts.contains("page") {
            let dataDir = dir + "/large-v\(BenchData.version)-\(conversations)x\(messagesPer)"
            try await ensureDataset(dataDir: dataDir, database: nil, logger: logger)
            try await withServer(dataDir: dataDir, database: nil, port: 18482, logger: logger) { base, token, inbox in
                let q = QueryBench(http: http, base: base, token: token, inboxId: inbox, label: "SQLite")
                if parts.contains("list") { try await q.list(report: &report) }
                if parts.contains("page") { try await q.inboxPage(report: &report) }
                if parts.contains("search") { try await q.search(report: &report) }
            }
            if parts.contains("startup") { try await StartupBench(dataDir: dataDir, port: 18483).run(report: &report) }
            if let pg = postgres {
                try await ensureDataset(dataDir: dir + "/pg", database: pg, logger: logger)
                try await withServer(dataDir: dir + "/pg", database: pg, port: 18484, logger: logger) { base, token, inbox in
                    let q = QueryBench(http: http, base: base, token: token, inboxId: inbox, label: "PostgreSQL")
                    if parts.contains("list") { try await q.list(report: &report) }
                    if parts.contains("search") { try await q.search(report: &report) }
                }
            }
        }
        if parts.contains("orders") {
            let bench = OrdersBench(dir: dir)
            try await bench.ensureDataset(logger: logger)
            try await withServer(dataDir: bench.dataDir, database: nil, port: 18486, logger: logger) { base, token, inbox in
                try await bench.run(QueryBench(http: http, base: base, token: token, inboxId: inbox, label: "SQLite"), report: &report)
            }
        }
        if parts.contains("help") {
            let bench = HelpBench(dir: dir)
            try await bench.ensureDataset(logger: logger)
            try await withServer(dataDir: bench.dataDir, database: nil, port: 18487, logger: logger) { base, token, _ in
                try await bench.run(http: http, base: base, token: token, report: &report)
            }
        }
        if parts.contains("chat") {
            try await ChatBench(dir: dir, port: 18488).run(report: &report, logger: logger)
        }
        if parts.contains("reports-ingest") {
            try await ReportsIngestBench(dir: dir, clients: clients, duration: duration).run(report: &report, logger: logger)
        }
        if parts.contains("reports") {
            let bench = ReportsBench(dir: dir, conversations: conversations, http: http)
            try await bench.ensureDataset(database: nil, logger: logger)
            try await withServer(dataDir: bench.dataDir, database: nil, port: 18489, logger: logger) { base, token, _ in
                try await bench.measure(base: base, token: token, label: "SQLite", report: &report)
            }
            if let pg = postgres {
                try await bench.ensureDataset(database: pg, logger: logger)
                try await withServer(dataDir: bench.dataDir + "-pg", database: pg, port: 18480, logger: logger) { base, token, _ in
                    try await bench.measure(base: base, token: token, label: "PostgreSQL", report: &report)
                }
            }
        }
        try await http.shutdown()
        report.print(command: CommandLine.arguments.joined(separator: " "))
    }

    /// Generates the large data set once per directory (or database).
    func ensureDataset(dataDir: String, database: String?, logger: Logger) async throws {
        var config = KotaeConfig()
        config.dataDirectory = dataDir
        config.databaseURL = database
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: try SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: dataDir))))
        let marker = "bench_dataset"
        let want = "\(conversations)x\(messagesPer)"
        if try await store.setting(marker) != want {
            let inbox = try await store.inboxes.create(name: "bench", channel: .email)
            let start = Date()
            let total = conversations
            FileHandle.standardError.write(Data("generating \(conversations) conversations × \(messagesPer) messages in \(dataDir)…\n".utf8))
            try await BenchData.generate(store: store, inbox: inbox, conversations: conversations, messagesPerConversation: messagesPer) { done in
                if done % 100_000 == 0 || done == total {
                    FileHandle.standardError.write(Data("  \(done) conversations (\(Int(Date().timeIntervalSince(start))) s)\n".utf8))
                }
            }
            try await store.setSetting(marker, want)
        }
        if store.dialect == .sqlite, try await store.setting("bench_fts_optimized") == nil {
            // A bulk load leaves the search index in many segments; merge them as a shop's
            // long-running index would be (FTS5 also merges incrementally on its own).
            FileHandle.standardError.write(Data("merging the search index…\n".utf8))
            try await store.optimizeSearchIndex()
            try await store.setSetting("bench_fts_optimized", "1")
        }
        await db.close()
    }

    /// Runs a server in this process for the body, with an admin API token and the first inbox.
    func withServer(
        dataDir: String, database: String?, port: Int, logger: Logger,
        _ body: (String, String, Int64) async throws -> Void
    ) async throws {
        var config = KotaeConfig()
        config.dataDirectory = dataDir
        config.databaseURL = database
        config.port = port
        config.bcryptCost = 4
        // No platform is reachable from a bench: profile fetches fail at once instead of waiting on DNS.
        config.lineAPIBase = "http://127.0.0.1:9"
        config.lineDataBase = "http://127.0.0.1:9"
        let (app, services) = try await buildApplicationWithServices(config: config, logger: logger)
        var admin = try await services.store.accounts.userForLogin(email: "bench@kotae.local")?.0
        if admin == nil {
            admin = try await services.store.accounts.createUser(email: "bench@kotae.local", name: "Bench", role: .admin, passwordHash: "x")
        }
        let token = try await services.store.accounts.createAPIToken(userId: admin!.id, name: "bench").token
        var inbox = try await services.store.inboxes.all().first
        if inbox == nil { inbox = try await services.store.inboxes.create(name: "bench", channel: .api) }
        // Stopped as `kotae serve` stops on SIGTERM: a graceful shutdown, the HTTP server first
        // and the database last.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        let base = "http://127.0.0.1:\(port)"
        do {
            try await waitForHealth(base)
            try await body(base, token, inbox!.id)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await stopped(task, port: port)
            throw error
        }
        await group.triggerGracefulShutdown()
        try await stopped(task, port: port)
    }

    /// Waits for a stopping server's end, at most a minute: a server that never finishes
    /// stopping (a hang still to be found, BENCHMARKS.md, issue 12) is said, not waited on.
    private func stopped(_ server: Task<Void, any Error>, port: Int) async throws {
        // Watched from a task of its own: awaiting a task's value cannot be cancelled, so a
        // race in a task group would wait for the hung server too.
        let ended = Locked(false)
        Task {
            _ = try? await server.value
            ended.withLock { $0 = true }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while !ended.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard ended.withLock({ $0 }) else {
            throw BenchFailure("the server on port \(port) did not stop within 60 s of a graceful shutdown")
        }
        try await server.value
    }
}

func waitForHealth(_ base: String, timeout: TimeInterval = 30) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        var req = HTTPClientRequest(url: base + "/health")
        req.method = .GET
        if let r = try? await HTTPClient.shared.execute(req, timeout: .seconds(1)), r.status == .ok { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw ValidationError("server at \(base) did not become healthy")
}

/// Latencies in seconds → summary.
struct Latencies {
    var samples: [Double] = []
    mutating func add(_ s: Double) { samples.append(s) }
    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
    var summary: String { String(format: "p50 %.2f ms, p99 %.2f ms (n=%d)", percentile(0.5) * 1000, percentile(0.99) * 1000, samples.count) }
}

struct BenchReport {
    var rows: [(String, String, String)] = []
    mutating func add(_ what: String, _ measured: String, _ target: String) {
        rows.append((what, measured, target))
        FileHandle.standardError.write(Data("\(what): \(measured) (target \(target))\n".utf8))
    }

    func print(command: String) {
        Swift.print("| measurement | result | target |")
        Swift.print("|---|---|---|")
        for r in rows { Swift.print("| \(r.0) | \(r.1) | \(r.2) |") }
    }
}
