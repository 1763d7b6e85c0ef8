import KotaeCore
/// One shop system, spoken to as the shop's own connection: the sidebar's lookups and the
/// actions' submissions go through this.
public protocol OrderSource: Sendable {
    var platform: CommercePlatform { get }
    /// The orders of one customer or with one number, newest first.
    func orders(_ lookup: OrderLookup, _ value: String) async throws -> [Order]
    /// One order, fresh from the platform; nil when it no longer exists.
    func order(id: String) async throws -> Order?
}

/// A source failed in a way the agent should read: the platform's own words.
public struct CommerceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The store could not be reached or did not answer in time.
        case unreachable
        /// Credentials refused.
        case signIn
        /// The platform refused the request itself.
        case refused
        /// The answer could not be read.
        case badAnswer
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
