import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeCore
import KotaeStore
import Logging
import NIOCore

/// The request context every route sees: who is signed in (`identity`, set by
/// `AuthMiddleware`; routes behind `IsAuthenticatedMiddleware` read it with
/// `requireIdentity()`) and how.
public struct AppRequestContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: User?
    /// Set when the user came by session cookie: changes then need the CSRF token.
    public var sessionCSRF: String?
    public var remoteAddress: SocketAddress?
    /// The largest body a route decodes (`--max-body-bytes`; set by `AuthMiddleware`).
    public var maxUploadSize = KotaeConfig.defaultMaxBodyBytes
    public var requestDecoder: KotaeRequestDecoder { KotaeRequestDecoder() }
    public var responseEncoder: JSONEncoder { .kotae }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
