import AsyncHTTPClient
import Foundation
import KotaeCore
import HTTPTypes
import HummingbirdWSClient
import KotaeTesting
import Logging
import Testing
@testable import KotaeServer

/// Listens on the WebSocket stream and collects its text frames.
final class StreamListener: Sendable {
    let frames = Locked<[[String: Any]]>([])
    /// Set when the server closed the stream.
    let ended = Locked(false)
    private let task = Locked<Task<Void, any Error>?>(nil)

    func start(port: Int, headers: HTTPFields) {
        task.withLock {
            $0 = Task { [frames, ended] in
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/api/v1/stream",
                    configuration: .init(additionalHeaders: headers), logger: Logger(label: "ws-test")
                ) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let s) = message, let obj = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] {
                            frames.withLock { $0.append(obj) }
                        }
                    }
                }
                ended.withLock { $0 = true }
            }
        }
    }

    func stop() { task.withLock { $0?.cancel() } }
    var types: [String] { frames.withLock { $0.compactMap { $0["type"] as? String } } }
}

@Suite struct StreamTests {
    @Test func signedInClientsHearNewMessagesLive() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let listener = StreamListener()
            listener.start(port: port, headers: [.authorization: "Bearer \(app.agentToken)"])
            defer { listener.stop() }
            #expect(try await eventually { listener.types.contains("hello") })

            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "live-1", text: "届きました?")
            #expect(
                try await eventually {
                    listener.frames.withLock {
                        $0.contains { $0["type"] as? String == "message.created" && $0["conversationId"] as? Int == r["conversationId"] as? Int }
                    }
                })
            _ = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"]!)/priority", #"{"priority":"high"}"#)
            #expect(try await eventually { listener.types.contains("conversation.updated") })
        }
    }

    /// A WebSocket handshake on a fresh connection, with `headers`; the answer's status.
    func handshake(port: Int, _ headers: [(String, String)]) async throws -> HTTPResponse.Status {
        try await handshakeAt(port: port, path: "/api/v1/stream", headers)
    }

    func handshakeAt(port: Int, path: String, _ headers: [(String, String)]) async throws -> HTTPResponse.Status {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(
            contentsOf: [
                ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ] + headers)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return .init(code: Int(response.status.code))
    }

    @Test func strangersCannotListen() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            // The same handshake is upgraded with a real token and refused with a forged one or none.
            #expect(try await handshake(port: port, [("Authorization", "Bearer \(app.agentToken)")]) == .switchingProtocols)
            #expect(try await handshake(port: port, [("Authorization", "Bearer kt_forged")]) == .badRequest)
            #expect(try await handshake(port: port, []) == .badRequest)
            // Without the upgrade there is nothing there, signed in or not.
            #expect(try await app.request(.get, "/api/v1/stream").status == .notFound)
            #expect(try await app.request(.get, "/api/v1/stream", token: app.agentToken).status == .notFound)
        }
    }

    // Issue 10, part 9.

    /// Signs in as a browser would and returns the session cookie and its CSRF token.
    func signIn(_ app: TestApp, _ email: String, _ password: String) async throws -> (cookie: String, csrf: String) {
        let r = try await app.request(.post, "/api/v1/auth/login", json: jsonString(["email": email, "password": password]))
        let cookie = try #require(r.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        return (cookie, try #require(TestApp.object(r)["csrfToken"] as? String))
    }

    @Test func aPageOnAnotherSiteCannotOpenTheStream() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let (cookie, _) = try await signIn(app, "agent@test.kotae", "agent-password")
            // A WebSocket handshake on a fresh connection, as the browser on evil.example would send it.
            for origin in ["https://evil.example", "null", "http://127.0.0.1:\(port)"] {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/stream")
                request.headers.add(contentsOf: [
                    ("Cookie", cookie), ("Origin", origin), ("Connection", "Upgrade"), ("Upgrade", "websocket"),
                    ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                ])
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 16)
                // A refused handshake is not upgraded: Hummingbird answers it 400; Kotae's own page gets 101.
                let own = origin.hasPrefix("http://127.0.0.1")
                #expect(response.status == (own ? .switchingProtocols : .badRequest), "\(origin): \(response.status) \(String(buffer: body))")
            }
        }
        #expect(StreamRoute.isOwnOrigin("http://127.0.0.1:8080", host: "127.0.0.1:8080", publicURL: nil))
        #expect(StreamRoute.isOwnOrigin("https://desk.shop.jp", host: "10.0.0.5:8080", publicURL: "https://desk.shop.jp/"))
        #expect(!StreamRoute.isOwnOrigin("https://desk.shop.jp.evil.example", host: "desk.shop.jp", publicURL: "https://desk.shop.jp"))
        #expect(!StreamRoute.isOwnOrigin("http://desk.shop.jp", host: "127.0.0.1:8080", publicURL: "https://desk.shop.jp"))
    }

    @Test func signingOutOrBeingDisabledClosesTheStream() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let (cookie, csrf) = try await signIn(app, "agent@test.kotae", "agent-password")
            let browser = StreamListener()
            browser.start(port: port, headers: [.cookie: cookie])
            defer { browser.stop() }
            #expect(try await eventually { browser.types.contains("hello") })
            let out = try await app.client.execute(
                uri: "/api/v1/auth/logout", method: .post,
                headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf], body: nil)
            #expect(out.status == .noContent)
            #expect(try await eventually { browser.ended.withLock { $0 } }, "the signed-out browser's stream closed")

            let tokenClient = StreamListener()
            tokenClient.start(port: port, headers: [.authorization: "Bearer \(app.agentToken)"])
            defer { tokenClient.stop() }
            #expect(try await eventually { tokenClient.types.contains("hello") })
            // A revoked token's stream closes at once (the periodic re-check is 30 s away).
            let (second, info) = try await app.store.accounts.createAPIToken(userId: app.agent.id, name: "second")
            let revoked = StreamListener()
            revoked.start(port: port, headers: [.authorization: "Bearer \(second)"])
            defer { revoked.stop() }
            #expect(try await eventually { revoked.types.contains("hello") })
            #expect(try await app.request(.delete, "/api/v1/auth/tokens/\(info.id)", token: app.agentToken).status == .noContent)
            #expect(try await eventually(timeout: 5) { revoked.ended.withLock { $0 } }, "the revoked token's stream closed")
            #expect(!tokenClient.ended.withLock { $0 }, "the user's other token still streams")

            #expect(try await app.admin(.patch, "/api/v1/users/\(app.agent.id)", #"{"disabled":true}"#).0 == .ok)
            #expect(try await eventually { tokenClient.ended.withLock { $0 } }, "the disabled user's token stream closed")
        }
    }

    @Test func notificationsGoOnlyToTheirUser() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let admin = StreamListener(), agent = StreamListener()
            admin.start(port: port, headers: [.authorization: "Bearer \(app.adminToken)"])
            agent.start(port: port, headers: [.authorization: "Bearer \(app.agentToken)"])
            defer { admin.stop(); agent.stop() }
            #expect(try await eventually { admin.types.contains("hello") && agent.types.contains("hello") })
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "n1")
            let id = r["conversationId"] as! Int
            // The admin mentions the agent in a note: only the agent hears about it.
            let note = try await app.request(
                .post, "/api/v1/conversations/\(id)/notes", token: app.adminToken,
                json: jsonString(["text": "@佐藤 見てください", "mentions": [app.agent.id]]))
            #expect(note.status == .created)
            #expect(try await eventually { agent.types.contains("notification.created") })
            try await Task.sleep(for: .milliseconds(300))
            #expect(!admin.types.contains("notification.created"))
            #expect(admin.types.contains("message.created"), "shared events still reach everyone")
        }
    }
}
