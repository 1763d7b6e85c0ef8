import Foundation
import KotaeCore
import KotaeStore

/// Changes to who may act: signing out, a new password, a revoked token, a disabled user.
/// Each is stored, then every open live stream of that user hears of it and checks its
/// credentials again (so a revoked token stops listening now, not at its next check).
struct AccountService: Sendable {
    let store: KotaeStore
    let hub: EventHub

    func signOut(session token: String, user: ID?) async throws {
        try await store.accounts.deleteSession(token: token)
        if let user { hub.publish(.sessionsEnded(user: user)) }
    }

    /// A new password ends every session and revokes every API token of the old one.
    func setPassword(userId: ID, passwordHash: String) async throws {
        try await store.accounts.setPassword(userId: userId, passwordHash: passwordHash)
        hub.publish(.sessionsEnded(user: userId))
    }

    /// Revokes token `id` (of `ownerId` only, when given); nil when there is no such token.
    func revokeToken(id: ID, ownerId: ID?) async throws -> ID? {
        guard let owner = try await store.accounts.revokeAPIToken(id: id, ownerId: ownerId) else { return nil }
        hub.publish(.sessionsEnded(user: owner))
        return owner
    }

    /// Disabling ends the user's sessions and revokes their tokens (in the store's transaction).
    func updateUser(
        id: ID, name: String?, role: UserRole?, disabled: Bool?, locale: String?, timeZone: String?
    ) async throws -> User {
        let user = try await store.accounts.updateUser(id: id, name: name, role: role, disabled: disabled, locale: locale, timeZone: timeZone)
        if disabled == true { hub.publish(.sessionsEnded(user: id)) }
        return user
    }
}
