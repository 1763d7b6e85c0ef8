import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A fake Shopify store (`Tests/commerce/fake_shopify.py`): the client-credentials grant and
/// the GraphQL Admin API, every query validated against Shopify's published schema and charged
/// to a leaky bucket that answers THROTTLED as Shopify does. It starts with the corpus's orders
/// (山田 花子's #1042 and #1007).
public final class FakeShopify: Sendable {
    public let base: String
    public let clientId = "kotae-app"
    public let clientSecret = "kotae-secret"
    public let staticToken = "shpat_static_token"
    private let server: ChildProcess
    private let directory: URL

    /// One GraphQL call or token request the fake received.
    public struct Request: Decodable, Sendable {
        public let path: String
        public let grant: String?
        public let token: String?
        public let operationName: String?
        public let variables: [String: JSONScalar]?
        /// Schema validation errors and refusals: a test expects none for Kotae's own queries.
        public let errors: [String]?
        public let cost: Double?
        public let throttled: Bool?
    }

    public init() async throws {
        directory = try TestServerProcess.folder("kotae-shopify")
        let (server, ready) = try await TestServerProcess.start("commerce/fake_shopify.py", [], in: directory)
        self.server = server
        guard let port = ready.first.flatMap({ Int($0) }) else { throw TestServerProcess.Failed("the fake Shopify gave no port: \(ready)") }
        base = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    public func stop() { server.end(grace: .seconds(5)) }

    public func requests() async throws -> [Request] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/_fake/requests"), timeout: .seconds(10))
        return try JSONDecoder().decode([Request].self, from: Data(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    /// The GraphQL calls only, in order.
    public func calls() async throws -> [Request] { try await requests().filter { $0.path.hasSuffix("/graphql.json") } }

    /// Sets the bucket: its size, how fast it refills, what it holds now, and the HTTP status
    /// a THROTTLED answer comes with.
    public func bucket(maximum: Double, restore: Double, available: Double, throttleStatus: Int = 200) async throws {
        try await control("bucket", ["maximum": maximum, "restore": restore, "available": available, "throttleStatus": throttleStatus])
    }

    /// Adds or replaces orders, written as the GraphQL API returns them.
    public func add(orders: [[String: Any]]) async throws { try await control("orders", ["orders": orders]) }

    /// Every issued client-credentials token stops working, as after a day.
    public func expireTokens() async throws { try await control("expire-tokens", [:]) }

    public func tokenLifetime(seconds: Int) async throws { try await control("token-lifetime", ["seconds": seconds]) }

    private func control(_ what: String, _ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: base + "/_fake/" + what)
        request.method = .POST
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw TestServerProcess.Failed("fake Shopify refused \(what): \(response.status)") }
    }
}

/// A JSON variable's value as the fake recorded it.
public enum JSONScalar: Decodable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null, other

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else {
            self = .other
        }
    }
}

extension FakeShopify {
    /// A fixture from `Tests/Fixtures` as JSON.
    public static func fixture(_ path: String) throws -> [String: Any] {
        let url = TestServerProcess.repository.appendingPathComponent("Tests/Fixtures/" + path)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
