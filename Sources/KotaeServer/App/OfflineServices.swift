import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import Logging

/// The server's services without HTTP and without the job runner, for commands that write
/// through the same paths as the server (`kotae demo`, `kotae import`). Nothing is sent or
/// fetched here: the server's runner does that once it starts.
func withOfflineServices<T: Sendable>(config: KotaeConfig, label: String, _ body: (AppServices) async throws -> T) async throws -> T {
    let logger = Logger(label: label)
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    let secret = try config.secretKey ?? SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: config.dataDirectory))
    let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger)
    do {
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: secret))
        let hub = EventHub(), metrics = KotaeMetrics()
        // Rules are not read here: what is imported or loaded offline sets off no automation and assigns no one.
        let pipeline = InboundPipeline(
            store: store, hub: hub, metrics: metrics, wake: RunnerWake(),
            rules: InboundPipeline.registeredRules(automation: RuleBook(store: store), assignment: AssignmentBook(store: store)))
        let services = AppServices(
            config: config, store: store, hub: hub, metrics: metrics, runner: nil, logger: logger,
            fileLinks: FileLinks(secret: secret, publicURL: config.publicURL), inbound: pipeline,
            channels: ChannelRegistry([]), clock: .system, mailTokens: MailTokens(secret: secret),
            mailOAuth: MailOAuth(store: store, client: OAuthClient(http: .shared), clock: .system),
            commerce: CommerceConnections(store: store, http: .shared), surveyLinks: SurveyLinks(secret: secret, publicURL: config.publicURL),
            contactStamp: ContactStamp(secret: secret), secret: secret)
        let result = try await body(services)
        await db.close()
        return result
    } catch {
        await db.close()
        throw error
    }
}
