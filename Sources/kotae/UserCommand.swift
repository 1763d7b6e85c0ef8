import ArgumentParser
import Foundation
import HummingbirdBcrypt
import KotaeCore
import KotaeServer
import KotaeStore
import Logging

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [Create.self, ResetPassword.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @OptionGroup var store: StoreOptions
        @Option var email: String
        @Option var name: String
        @Option(help: "agent or admin") var role: String = "agent"
        @Option(help: "The password (or KOTAE_NEW_PASSWORD), at least 8 characters.") var password: String?

        func run() async throws {
            guard let role = UserRole(rawValue: role) else { throw ValidationError("--role is agent or admin") }
            let password = try newPassword(password)
            try await withStore(store) { store, config in
                let user = try await store.accounts.createUser(
                    email: email, name: name, role: role,
                    passwordHash: Bcrypt.hash(password, cost: config.bcryptCost))
                print("Created \(user.role.rawValue) \(user.email) (id \(user.id)).")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password; signs out the user's sessions.")
        @OptionGroup var store: StoreOptions
        @Option var email: String
        @Option(help: "The new password (or KOTAE_NEW_PASSWORD).") var password: String?

        func run() async throws {
            let password = try newPassword(password)
            try await withStore(store) { store, config in
                guard let (user, _) = try await store.accounts.userForLogin(email: email) else {
                    throw ValidationError("no user with email \(email)")
                }
                try await store.accounts.setPassword(userId: user.id, passwordHash: Bcrypt.hash(password, cost: config.bcryptCost))
                print("New password set for \(user.email).")
            }
        }
    }
}

func newPassword(_ given: String?) throws -> String {
    guard let p = given ?? ProcessInfo.processInfo.environment["KOTAE_NEW_PASSWORD"] else {
        throw ValidationError("give --password or set KOTAE_NEW_PASSWORD")
    }
    guard p.count >= 8 else { throw ValidationError("the password must be at least 8 characters") }
    return p
}

/// Opens and migrates the configured database for a one-off command.
func withStore(_ options: StoreOptions, _ body: (KotaeStore, KotaeConfig) async throws -> Void) async throws {
    let config = try await options.config()
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: Logger(label: "kotae.cli"))
    do {
        try await db.migrate()
        let secret = try config.secretKey ?? SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: config.dataDirectory))
        try await body(KotaeStore(db: db, secrets: SecretBox(secret: secret)), config)
        await db.close()
    } catch {
        await db.close()
        throw error
    }
}
