import Foundation
import KotaeCore
import KotaeStore

/// What happens on the first start of an empty database: an admin from the environment,
/// or a one-time set-up link printed to the console; and the demo shop when asked.
enum FirstRun {
    static func prepare(_ app: AppServices) async throws {
        if try await app.store.accounts.userCount() == 0 {
            if let email = app.config.adminEmail, let password = app.config.adminPassword {
                _ = try await app.store.accounts.createUser(
                    email: email, name: "Admin", role: .admin,
                    passwordHash: try await app.hashPassword(password))
                app.logger.notice("created the admin from the configuration", metadata: ["email": "\(email)"])
            } else if !app.config.demo {
                let token = TokenHash.newToken()
                try await app.store.setSetting("setup_token_hash", TokenHash.of(token))
                app.logger.notice(
                    "no users yet: open the one-time set-up link to create the admin",
                    metadata: ["link": "\(app.config.baseURL)/setup?token=\(token)"])
                print("\n  Kotae set-up: \(app.config.baseURL)/setup?token=\(token)\n")
            }
        }
        if app.config.demo, try await app.store.setting("demo_loaded") == nil {
            try await DemoShop.load(into: app)
        }
    }
}
