import AsyncHTTPClient
import Foundation
import HummingbirdBcrypt
import KotaeChannels
import KotaeCore
import KotaeStore
import Logging
import NIOPosix

/// What routes and background services share; built once in `buildApplication`.
public struct AppServices: Sendable {
    public let config: KotaeConfig
    public let store: KotaeStore
    public let hub: EventHub
    public let metrics: KotaeMetrics
    let runner: JobRunner?
    /// The one door every channel's customer messages and events come in through.
    let inbound: InboundService
    /// The registered channels.
    let channels: ChannelRegistry
    /// What agents do to conversations, stored and then told.
    let conversations: ConversationService
    /// Contact merges, stored and then told.
    let contacts: ContactService
    /// Sign-outs, passwords, revoked tokens and disabled users, stored and then told.
    let accounts: AccountService
    let logger: Logger
    /// Signed links to stored files, for platforms that fetch a shop's picture.
    let fileLinks: FileLinks
    /// Signed links to satisfaction surveys.
    let surveyLinks: SurveyLinks
    let limits = Limits()
    /// A bcrypt hash of nothing at the configured cost: an unknown address is checked
    /// against it, so sign-in takes as long whether or not the address exists.
    let dummyPasswordHash: String
    /// Storage that ran full, for the 503 answers and `/health`.
    let storage: StorageStatus
    /// What "now" is for windows, tokens and SLA states (a test moves it by hand).
    public let clock: AppClock
    /// The conversation tags in the Message-IDs and reply-to addresses of sent mail.
    let mailTokens: MailTokens
    /// Access tokens and device sign-ins of email inboxes that use OAuth 2.0.
    let mailOAuth: MailOAuth
    /// The connection to each connected store (its token and rate-limit bucket).
    let commerce: CommerceConnections
    /// The help center as readers see it: published articles, their HTML, the search index (also the bot's).
    let help: PublishedHelp
    /// Article views, written in batches.
    let helpViews: HelpViews
    /// The contact form's signed time stamps.
    let contactStamp: ContactStamp
    /// The chat widget's sockets, visitors and limits.
    let chat: ChatServices
    /// The enabled automation rules, kept in memory for the inbound path.
    let automation: RuleBook
    /// The inboxes that assign by themselves, in memory for the inbound path.
    let assignment: AssignmentBook
    /// The client Kotae's own calls out go through (webhooks of rules and alerts).
    let http: HTTPClient
    /// The ports the SMTP and LMTP listeners took (port 0 in the configuration: any free one).
    let mailListenerPorts = Locked<[MailListener.Dialect: Int]>([:])

    init(
        config: KotaeConfig, store: KotaeStore, hub: EventHub, metrics: KotaeMetrics, runner: JobRunner?, logger: Logger,
        fileLinks: FileLinks, inbound: InboundPipeline, channels: ChannelRegistry, clock: AppClock, mailTokens: MailTokens,
        mailOAuth: MailOAuth, commerce: CommerceConnections, surveyLinks: SurveyLinks, contactStamp: ContactStamp,
        help: PublishedHelp? = nil, secret: String, automation: RuleBook? = nil, assignment: AssignmentBook? = nil,
        http: HTTPClient = .shared
    ) {
        self.automation = automation ?? RuleBook(store: store)
        self.assignment = assignment ?? AssignmentBook(store: store)
        self.http = http
        self.commerce = commerce
        self.clock = clock
        self.mailTokens = mailTokens
        self.mailOAuth = mailOAuth
        self.config = config
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.runner = runner
        self.inbound = InboundService(store: store, hub: hub, pipeline: inbound, logger: logger)
        self.channels = channels
        conversations = ConversationService(store: store, hub: hub, wake: inbound.wake, automation: self.automation)
        contacts = ContactService(store: store, hub: hub)
        accounts = AccountService(store: store, hub: hub)
        self.logger = logger
        self.fileLinks = fileLinks
        self.surveyLinks = surveyLinks
        self.help = help ?? PublishedHelp(store: store)
        helpViews = HelpViews(store: store, logger: logger)
        self.contactStamp = contactStamp
        chat = ChatServices(store: store, hub: hub, secret: secret, clock: clock, perAddress: config.chatMessagesPerAddress)
        dummyPasswordHash = Bcrypt.hash(TokenHash.newToken(), cost: config.bcryptCost)
        storage = StorageStatus(dataDirectory: config.dataDirectory)
    }

    var attachments: AttachmentStore { AttachmentStore(dataDirectory: config.dataDirectory) }

    var automationEngine: AutomationEngine {
        AutomationEngine(
            store: store, book: automation, channels: channels, commerce: commerce, hub: hub, http: http, clock: clock,
            wake: { [wake = inbound.pipeline.wake] in wake.poke() },
            baseURL: config.baseURL)
    }

    public func hashPassword(_ password: String) async throws -> String {
        let cost = config.bcryptCost
        // bcrypt is deliberately slow (a quarter second): on NIO's blocking pool, not on a
        // cooperative thread, where it would hold up every other task.
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a sign-in against the user's hash, or the dummy hash when there is no such user.
    func verifyLogin(_ password: String, hash: String?) async -> Bool {
        let ok = await verifyPassword(password, hash: hash ?? dummyPasswordHash)
        return hash != nil && ok
    }

    func verifyPassword(_ password: String, hash: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
    }
}

/// Per-client limits, each with bounded memory.
struct Limits: Sendable {
    /// Failed sign-ins for one address and email: 5 in 5 minutes.
    let loginPerAccount = RateLimiter(limit: 5, window: 300)
    /// Failed sign-ins from one address across every email (password spraying): 20 in 15 minutes.
    let loginPerClient = RateLimiter(limit: 20, window: 900)
    /// Contact forms from one network address: 5 an hour.
    let contactPerClient = RateLimiter(limit: 5, window: 3600)
    /// Contact forms from one email address: 3 an hour.
    let contactPerAddress = RateLimiter(limit: 3, window: 3600)
}
