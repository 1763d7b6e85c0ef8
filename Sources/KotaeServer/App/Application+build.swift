import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWebSocket
import KotaeChannels
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Opens the database, migrates it, and builds the application with its background
/// services. `kotae serve` and the tests both start here.
public func buildApplication(config: KotaeConfig, logger: Logger? = nil) async throws -> some ApplicationProtocol {
    let (app, _) = try await buildApplicationWithServices(config: config, logger: logger)
    return app
}

public func buildApplicationWithServices(config: KotaeConfig, logger givenLogger: Logger? = nil, clock: AppClock = .system) async throws -> (
    some ApplicationProtocol, AppServices
) {
    var logger = givenLogger ?? Logger(label: "kotae")
    if givenLogger == nil { logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info }

    let dataDir = URL(fileURLWithPath: config.dataDirectory)
    try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
    let secret = try config.secretKey ?? SecretKeyFile.loadOrCreate(in: dataDir)
    let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: logger, maxConnections: config.databasePoolSize)
    try await db.migrate()
    let store = KotaeStore(db: db, secrets: SecretBox(secret: secret))
    let hub = EventHub()
    let metrics = KotaeMetrics()
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let fileLinks = FileLinks(secret: secret, publicURL: config.publicURL)

    let line = LINEClient(http: http, apiBase: config.lineAPIBase, dataBase: config.lineDataBase)
    let graph = GraphClient(http: http, base: config.graphAPIBase)
    let attachments = AttachmentStore(dataDirectory: config.dataDirectory)
    let pictures = ContactPicture(store: store, http: http, attachments: attachments)
    let wake = RunnerWake()
    let automation = RuleBook(store: store)
    let assignment = AssignmentBook(store: store)
    try await automation.reload()
    try await assignment.reload()
    let pipeline = InboundPipeline(
        store: store, hub: hub, metrics: metrics, wake: wake,
        rules: InboundPipeline.registeredRules(automation: automation, assignment: assignment))
    let mailTokens = MailTokens(secret: secret)
    let mailOAuth = MailOAuth(store: store, client: OAuthClient(http: http), clock: clock)

    // A private CA for mail servers (tests, a self-hosted relay); nil: the system's roots.
    let mailCA = try config.mailCAFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
    let email = EmailChannel(
        store: store, smtp: SMTPClient(heloName: URL(string: config.baseURL)?.host ?? "kotae.local"),
        tokens: mailTokens, oauth: mailOAuth, attachments: attachments, trustedCertificatePEM: mailCA)
    // The channels, one line each: what arrives on them and how replies leave.
    let channels = ChannelRegistry([
        APIChannel(store: store, client: APIChannelClient(http: http)),
        LINEChannel(
            store: store, client: line, fileLinks: fileLinks, clock: clock,
            jobs: LINEJobs(store: store, client: line, attachments: attachments, pictures: pictures, hub: hub)),
        MetaChannel(
            store: store, graph: graph, fileLinks: fileLinks, clock: clock,
            profiles: GraphProfileJob(store: store, graph: graph, pictures: pictures, hub: hub),
            mentions: InstagramMentionJob(store: store, graph: graph, inbound: pipeline)),
        email,
        ChatChannel(store: store, clock: clock, emailJob: EmailUnseenChatReplyJob(store: store, email: email)),
        // X checks its CRC about hourly: 10 a minute from one address is plenty.
        XChannel(
            store: store, client: XClient(http: http, base: config.xAPIBase), crcLimit: RateLimiter(limit: 10, window: 60),
            metrics: metrics, logger: logger),
    ])

    var jobs = JobHandlers()
    let delivery = DeliveryJob(store: store, channels: channels, hub: hub)
    jobs.on(DeliverMessage.self, run: delivery.run, dead: delivery.markFailed)
    jobs.on(FetchFile.self, run: FileFetchJob(store: store, http: http, attachments: attachments, hub: hub).run)
    let commerce = CommerceConnections(store: store, http: http, rakutenBase: config.rakutenAPIBase, baseBase: config.baseAPIBase)
    jobs.on(RefreshOrder.self, run: RefreshOrderJob(store: store, connections: commerce).run)
    let help = PublishedHelp(store: store)
    jobs.on(AnswerFromFAQ.self, run: FAQBotJob(store: store, help: help, hub: hub, clock: clock, publicURL: config.publicURL).run)
    jobs.on(ReconcileOrders.self, run: ReconcileOrdersJob(store: store, connections: commerce, clock: clock).run)
    jobs.on(SyncBaseOrders.self, run: SyncBaseOrdersJob(store: store, connections: commerce, clock: clock).run)
    let submit = SubmitOrderActionJob(store: store, connections: commerce, hub: hub, clock: clock)
    jobs.on(SubmitOrderAction.self, run: submit.run, dead: submit.markDead)
    jobs.on(
        SLAAlert.self, run: SLAAlertJob(store: store, hub: hub, http: http, clock: clock, baseURL: config.baseURL, book: automation, email: email).run
    )
    let engine = AutomationEngine(
        store: store, book: automation, channels: channels, commerce: commerce, hub: hub, http: http, clock: clock, wake: { wake.poke() },
        baseURL: config.baseURL)
    jobs.on(RunAutomation.self, run: engine.run)
    for channel in channels.adapters { channel.register(&jobs) }
    let workerId = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(hub.instanceId.prefix(8))"
    let runner: JobRunner? =
        config.role == .web
        ? nil
        : JobRunner(store: store, runnerId: workerId, handlers: jobs, metrics: metrics, logger: logger)
    wake.attach(runner)
    let services = AppServices(
        config: config, store: store, hub: hub, metrics: metrics, runner: runner, logger: logger,
        fileLinks: fileLinks, inbound: pipeline, channels: channels, clock: clock, mailTokens: mailTokens,
        mailOAuth: mailOAuth, commerce: commerce, surveyLinks: SurveyLinks(secret: secret, publicURL: config.publicURL),
        contactStamp: ContactStamp(secret: secret), help: help, secret: secret, automation: automation, assignment: assignment, http: http)

    try await FirstRun.prepare(services)

    let router = buildRouter(services, templates: try await WebTemplates.load())
    let wsRouter = Router(context: SocketContext.self)
    if config.role != .worker {
        StreamRoute(app: services).addRoutes(to: wsRouter)
        ChatSocketRoute(app: services).addRoutes(to: wsRouter)
    }

    var app = Application(
        router: router,
        server: .quiescingHTTP1WebSocketUpgrade(webSocketRouter: wsRouter),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Kotae"),
        logger: logger)
    // A ServiceGroup stops its services in reverse order: the HTTP server first, then the
    // workers, and the Closer (registered first) last, once nothing uses the database.
    var background: [any Service] = [Closer(db: db, http: http)]
    if let runner { background.append(runner) }
    // Where pages are served, their views are counted.
    if config.role != .worker { background.append(contentsOf: [services.helpViews, services.chat.sessions] as [any Service]) }
    background.append(BookRefresh(books: [automation, assignment], logger: logger))
    if config.role != .worker {
        background.append(PresenceHeartbeat(store: store, agents: services.chat.agents, clock: clock, logger: logger))
    }
    if config.role != .web {
        background.append(Housekeeping(store: store, hub: hub, metrics: metrics, logger: logger, clock: clock))
        background.append(OrderReconciliation(store: store, clock: clock, logger: logger))
        background.append(DeliveryFollowUpService(store: store, channels: channels, hub: hub, clock: clock, logger: logger))
        background.append(SurveyService(app: services))
        background.append(SLAEscalationService(store: store, clock: clock, logger: logger, wake: { wake.poke() }))
        background.append(AutomationClock(store: store, book: automation, clock: clock, logger: logger, wake: { wake.poke() }))
        background.append(AssignmentKeeper(store: store, hub: hub, clock: clock, logger: logger))
        background.append(MailboxWatchers(app: services, client: IMAPClient(), owner: workerId, trustedCertificatePEM: mailCA))
        if config.mailSMTPPort != nil || config.mailLMTPPort != nil { background.append(MailListeners(app: services)) }
    }
    if let pg = db.postgres {
        let bridge = PostgresBridge(backend: pg, hub: hub, logger: logger)
        bridge.install()
        background.append(bridge)
    }
    app.addServices(background)
    return (app, services)
}

/// Routes of the REST API, the agent UI and the system endpoints.
func buildRouter(_ services: AppServices, templates: WebTemplates) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routes = RouteTable()
    // Hummingbird's own: a log line per request with its `hb.request.id` (installed only when
    // the log level shows it: at info and above it would be one more step per request that
    // prints nothing), and request counts and latency through swift-metrics into Prometheus
    // (`KotaeMetrics.shared` bootstraps it), with `OneWriteMiddleware` outside it so a small
    // answer still leaves in one write.
    _ = KotaeMetrics.shared
    if services.logger.logLevel <= .debug { router.add(middleware: LogRequestsMiddleware(.debug)) }
    router.add(middleware: OneWriteMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: NoSniffMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes, storage: services.storage, page: ErrorPage(app: services, templates: templates).render))
    if services.config.role == .worker {
        // A worker runs the job runner and background services; it answers only its
        // probes, and the web instances serve everything else.
        SystemController(app: services).addProbeRoutes(to: router)
        routes.load(from: router)
        return router
    }
    SystemController(app: services).addRoutes(to: router)
    WebhookRoute(app: services, channels: services.channels).addRoutes(to: router)
    ShopifyWebhookRoute(app: services).addRoutes(to: router)
    PublicFileController(app: services).addRoutes(to: router)
    SurveyPage(app: services).addRoutes(to: router)
    HelpPages(app: services, templates: templates).addRoutes(to: router)
    ContactPage(app: services, pages: HelpPages(app: services, templates: templates)).addRoutes(to: router)
    ChatController(app: services).addRoutes(to: router)
    if services.config.demo { DemoShopPage(app: services).addRoutes(to: router) }
    let auth = AuthController(app: services)
    SetupPage(auth: auth).addRoutes(to: router)
    let api = APIRouteGroups(
        router.group("api/v1").add(middleware: AuthMiddleware(store: services.store, maxBodyBytes: services.config.maxBodyBytes)))
    auth.addRoutes(to: api)
    ConversationController(app: services).addRoutes(to: api.signedIn)
    ReplyCheckController(app: services).addRoutes(to: api.signedIn)
    AutomationController(app: services).addRoutes(to: api.admin)
    AssignmentController(app: services).addRoutes(to: api.admin)
    ApprovalController(app: services).addRoutes(to: api.admin)
    ContactController(app: services).addRoutes(to: api.signedIn)
    AdminController(app: services).addRoutes(to: api)
    APIChannelController(app: services, attachments: services.attachments).addRoutes(to: api.signedIn)
    RawMailController(app: services).addRoutes(to: api.signedIn)
    MailSignInController(app: services).addRoutes(to: api.admin)
    LabelController(app: services).addRoutes(to: api)
    ModerationController(app: services).addRoutes(to: api.signedIn)
    NotificationController(app: services).addRoutes(to: api.signedIn)
    StatsController(app: services).addRoutes(to: api.signedIn)
    ReportsController(app: services).addRoutes(to: api.admin)
    SearchController(app: services).addRoutes(to: api.signedIn)
    CommerceController(app: services).addRoutes(to: api)
    OrderActionController(app: services).addRoutes(to: api)
    HelpCenterController(app: services).addRoutes(to: api)
    WorkspaceSettingsController(app: services).addRoutes(to: api)
    // The UI's own files: fixed names, so a short cache; pages themselves are never cached.
    if let assets = try? WebTemplates.resourceFolder("assets") {
        router.add(middleware: FileMiddleware(assets, urlBasePath: "/assets", cacheControl: .init([(MediaType(type: .any), [.maxAge(300)])])))
    }
    WebController(app: services, templates: templates).addRoutes(to: router)
    routes.load(from: router)
    return router
}

/// Closes the database and HTTP client when the application stops.
struct Closer: Service {
    let db: KotaeDatabase
    let http: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try? await http.shutdown()
        await db.close()
    }
}

/// The secret key, generated once into the data directory when none is configured.
public enum SecretKeyFile {
    public static func loadOrCreate(in dir: URL) throws -> String {
        let url = dir.appendingPathComponent("secret.key")
        if let s = try? String(contentsOf: url, encoding: .utf8), !s.isEmpty {
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let key = TokenHash.newToken()
        try key.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return key
    }
}
