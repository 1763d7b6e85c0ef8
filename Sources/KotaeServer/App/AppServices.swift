import Foundation
import HummingbirdBcrypt
import KotaeStore
import Logging

/// What routes and background services share; built once in `buildApplication`.
public struct AppServices: Sendable {
    public let config: KotaeConfig
    public let store: KotaeStore
    public let hub: EventHub
    public let metrics: KotaeMetrics
    let runner: JobRunner?
    let logger: Logger
    /// Signed links to stored files, for platforms that fetch a shop's picture.
    let fileLinks: FileLinks
    let loginLimiter = LoginRateLimiter()

    var body: JSONBody { JSONBody(maxBytes: config.maxBodyBytes) }
    var attachments: AttachmentStore { AttachmentStore(dataDirectory: config.dataDirectory) }

    public func hashPassword(_ password: String) async -> String {
        let cost = config.bcryptCost
        // bcrypt is deliberately slow: keep it off the event loops.
        return await Task.detached { Bcrypt.hash(password, cost: cost) }.value
    }

    func verifyPassword(_ password: String, hash: String) async -> Bool {
        await Task.detached { Bcrypt.verify(password, hash: hash) }.value
    }
}
