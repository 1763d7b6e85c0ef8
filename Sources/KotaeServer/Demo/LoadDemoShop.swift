import Foundation
import KotaeCore
import KotaeStore
import Logging

/// Loads the demo shop into the configured database without serving (`kotae demo`).
public func loadDemoShop(config: KotaeConfig) async throws {
    let logger = Logger(label: "kotae.demo")
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    let secret = try config.secretKey ?? SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: config.dataDirectory))
    let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
    do {
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: secret))
        let hub = EventHub(), metrics = KotaeMetrics()
        // Nothing is sent or fetched here: the server's runner does that once it starts.
        let pipeline = InboundPipeline(store: store, hub: hub, metrics: metrics, wake: RunnerWake(), rules: InboundPipeline.registeredRules)
        let services = AppServices(
            config: config, store: store, hub: hub, metrics: metrics, runner: nil, logger: logger,
            fileLinks: FileLinks(secret: secret, publicURL: config.publicURL), inbound: pipeline,
            channels: ChannelRegistry([]), clock: .system, mailTokens: MailTokens(secret: secret))
        if try await services.store.setting("demo_loaded") == nil {
            try await DemoShop.load(into: services)
        } else {
            print("The demo shop is already loaded.")
        }
        await db.close()
    } catch {
        await db.close()
        throw error
    }
}
