import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import KotaeCore
import KotaeServer
import KotaeStore
import Logging
import NIOCore

/// A running Kotae for one test, on a fresh database, served on a real loopback port
/// (so background services such as the job runner run as in production).
public struct TestApp: Sendable {
    public let client: any TestClientProtocol
    public let services: AppServices
    public let database: TestDatabase
    public let adminToken: String
    public let agentToken: String
    public let admin: User
    public let agent: User

    public var store: KotaeStore { services.store }

    /// Sends a request; `json` is the raw body text (sent as bytes, not re-encoded).
    @discardableResult
    public func request(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
        body: ByteBuffer? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var h = headers
        if let token { h[.authorization] = "Bearer \(token)" }
        if json != nil || body != nil { h[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: h, body: body ?? json.map { ByteBuffer(string: $0) })
    }

    /// Sends a request as the admin and parses a JSON object answer.
    public func admin(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        let r = try await request(method, path, token: adminToken, json: json)
        return (r.status, TestApp.object(r))
    }

    /// Replies as the admin and waits until the platform took it: the sent message, or nil
    /// when it was refused or not sent within the wait.
    public func replySent(_ conversation: Int64, _ body: [String: Any]) async throws -> Message? {
        let (_, out) = try await admin(.post, "/api/v1/conversations/\(conversation)/reply", jsonString(body))
        guard let id = ((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value,
            try await eventually({ try await store.conversations.message(id: id)?.deliveryState == .sent })
        else { return nil }
        return try await store.conversations.message(id: id)
    }

    public static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any] ?? [:]
    }

    /// Creates an API-channel inbox and returns its id.
    public func makeInbox(channel: String = "api", settings: [String: String] = [:], credentials: [String: String]? = nil) async throws -> Int64 {
        var body: [String: Any] = ["name": "Test \(channel)", "channel": channel, "settings": settings]
        if let credentials { body["credentials"] = credentials }
        let (status, obj) = try await admin(.post, "/api/v1/inboxes", jsonString(body))
        precondition(status == .created, "inbox not created: \(obj)")
        return (obj["id"] as! NSNumber).int64Value
    }

    /// Ingests a message: through the API channel's HTTP route into an API inbox; into any
    /// other inbox (email, chat, before those channels have doors of their own) through the
    /// same inbound pipeline a platform's webhook uses. The answer has the API's shape.
    @discardableResult
    public func ingest(
        inbox: Int64, externalId: String, contact: String = "cust-1", name: String? = nil, text: String = "hello",
        extra: [String: Any] = [:]
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        if let target = try await store.inboxes.find(id: inbox), target.channel != .api {
            let sentAt = (extra["sentAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) } ?? Date()
            let m = InboundMessage(
                identity: (target.channel.rawValue, contact), contactName: name ?? "Customer " + contact, externalId: externalId,
                threadKey: extra["threadKey"] as? String, text: text, isPublic: extra["isPublic"] as? Bool ?? false,
                sentAt: sentAt)
            let outcome = try await services.receive(m, inbox: target)
            var duplicate = false
            if case .duplicate = outcome { duplicate = true }
            return (.ok, ["messageId": Int(outcome.message.id), "conversationId": Int(outcome.message.conversationId), "duplicate": duplicate])
        }
        var body: [String: Any] = [
            "contact": ["channel": "api", "externalId": contact, "name": name ?? "Customer " + contact],
            "externalId": externalId, "text": text,
        ]
        body.merge(extra) { _, b in b }
        let r = try await request(.post, "/api/v1/inboxes/\(inbox)/messages", token: agentToken, json: jsonString(body))
        return (r.status, TestApp.object(r))
    }
}

public func jsonString(_ value: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}

/// Runs `body` against a fresh Kotae with an admin and an agent, each with an API token.
public func withTestApp<T: Sendable>(
    seedUsers: Bool = true, clock: AppClock = .system, configure: @Sendable (inout KotaeConfig) -> Void = { _ in },
    _ body: @escaping @Sendable (TestApp) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.make()
    defer { database.remove() }
    var config = KotaeConfig()
    config.dataDirectory = database.dataDirectory
    config.databaseURL = database.url
    config.port = 0
    config.bcryptCost = 4
    config.databasePoolSize = 4
    config.secretKey = "test-secret-key"
    configure(&config)
    var logger = Logger(label: "kotae.test")
    logger.logLevel = ProcessInfo.processInfo.environment["KOTAE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    let (app, services) = try await buildApplicationWithServices(config: config, logger: logger, clock: clock)
    var admin = User(id: 0, email: "", name: "", role: .admin, locale: "ja", timeZone: "Asia/Tokyo", disabled: false, createdAt: Date())
    var agent = admin
    var adminToken = "", agentToken = ""
    if seedUsers {
        admin = try await services.store.accounts.createUser(
            email: "admin@test.kotae", name: "Admin", role: .admin,
            passwordHash: try await services.hashPassword("admin-password"))
        agent = try await services.store.accounts.createUser(
            email: "agent@test.kotae", name: "佐藤", role: .agent,
            passwordHash: try await services.hashPassword("agent-password"))
        adminToken = try await services.store.accounts.createAPIToken(userId: admin.id, name: "test").token
        agentToken = try await services.store.accounts.createAPIToken(userId: agent.id, name: "test").token
    }
    let (a, b, c, d) = (admin, agent, adminToken, agentToken)
    return try await app.test(.live) { client in
        // HummingbirdTesting connects its client without waiting; a body that ends before the
        // connection is made leaves it open (the client's close fails it as "not open"), and the
        // server's graceful shutdown then waits for that idle connection for ever. One request
        // first makes sure the client holds the connection it will close.
        _ = try await client.execute(uri: "/health", method: .get)
        return try await body(
            TestApp(
                client: client, services: services, database: database, adminToken: c,
                agentToken: d, admin: a, agent: b))
    }
}
