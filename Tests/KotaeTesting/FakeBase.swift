import Foundation

/// A fake BASE API (`Tests/commerce/fake_base.py`): the refresh-token grant (each renewal
/// replaces the refresh token), orders by date and each order's detail, an hourly limit when
/// set. It starts with the corpus's order of 山田 花子, placed a week ago.
public final class FakeBase: Sendable {
    public let clientId = "base-app"
    public let clientSecret = "base-secret"
    public let firstRefreshToken = "refresh-1"
    public static let corpusOrder = "7F3A21C9B04D5E68"
    private let fake: PythonFake

    public struct Request: Decodable, Sendable {
        public let path: String
        public let query: String
        public let errors: [String]
    }

    public init() async throws { fake = try await PythonFake("commerce/fake_base.py") }

    public var base: String { fake.base }

    public func stop() { fake.stop() }

    public func requests() async throws -> [Request] { try await fake.requests() }

    /// Adds orders as `/1/orders/detail` returns them.
    public func add(orders: [[String: Any]]) async throws { try await fake.control("orders", ["orders": orders]) }

    /// After `hour` more calls, BASE answers `hour_api_limit`.
    public func limit(hour: Int) async throws { try await fake.control("limit", ["hour": hour]) }

    /// Every access token stops working, as after an hour.
    public func expireAccessTokens() async throws { try await fake.control("expire", [:]) }

    public static func corpusDetail() throws -> [String: Any] {
        let doc = try PythonFake.fixture("base/orders-detail.doc-example.json")
        let step = (doc["steps"] as! [[String: Any]])[1]
        return ((step["response"] as! [String: Any])["body"] as! [String: Any])["order"] as! [String: Any]
    }
}
