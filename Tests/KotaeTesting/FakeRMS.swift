import Foundation

/// A fake Rakuten RMS (`Tests/commerce/fake_rms.py`): searchOrder and getOrder with RMS's
/// limits enforced (ESA signature, 63-day windows over two years, 100 numbers per getOrder),
/// starting with the corpus's order from 山田 花子's masked address.
public final class FakeRMS: Sendable {
    public let serviceSecret = "SP123456_test"
    public let licenseKey = "SL123456_test"
    /// The corpus buyer's masked address, and her order placed five days ago.
    public static let maskedAddress = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6@pc.fw.rakuten.ne.jp"
    public static let recentOrder = "123456-20261028-0000012345"
    private let fake: PythonFake

    public struct Request: Decodable, Sendable {
        public let operation: String
        public let errors: [String]
        public let body: Body

        public struct Body: Decodable, Sendable {
            public let startDatetime: String?
            public let endDatetime: String?
            public let ordererMailAddress: String?
            public let orderNumberList: [String]?
        }
    }

    public init() async throws { fake = try await PythonFake("commerce/fake_rms.py") }

    public var base: String { fake.base }

    public func stop() { fake.stop() }

    public func requests() async throws -> [Request] { try await fake.requests() }

    /// Adds orders as getOrder returns them.
    public func add(orders: [[String: Any]]) async throws { try await fake.control("orders", ["orders": orders]) }

    /// The corpus order, as a template for more.
    public static func corpusOrder() throws -> [String: Any] {
        let doc = try PythonFake.fixture("rakuten/getOrder-minimal.doc-example.json")
        return (((doc["response"] as! [String: Any])["body"] as! [String: Any])["OrderModelList"] as! [[String: Any]])[0]
    }
}
