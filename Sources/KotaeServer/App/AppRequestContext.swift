import Hummingbird
import KotaeCore
import KotaeStore
import Logging
import NIOCore

/// The request context every route sees: who is signed in and how.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    /// Set when the user came by session cookie: changes then need the CSRF token.
    public var sessionCSRF: String?
    public var remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    func requireUser() throws -> User {
        guard let user else { throw APIError.unauthorized() }
        return user
    }

    func requireAdmin() throws -> User {
        let user = try requireUser()
        guard user.role == .admin else { throw APIError.forbidden("only an admin can do this") }
        return user
    }
}
