import ArgumentParser
import Foundation
import KotaeServer
import KotaeCore
import KotaeStore
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo shop into the database (once) and exit.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await loadDemoShop(config: try await store.config())
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the SQLite database while Kotae keeps running.",
        discussion: "Uses SQLite's VACUUM INTO, which reads one snapshot: writers are not stopped. For PostgreSQL use pg_dump.")
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("to"), help: "The file to write (must not exist).") var destination: String

    func run() async throws {
        let config = try await store.config()
        guard config.databaseURL == nil || config.databaseURL!.hasPrefix("sqlite:") else {
            throw ValidationError("kotae backup copies SQLite databases; for PostgreSQL use pg_dump")
        }
        guard !FileManager.default.fileExists(atPath: destination) else { throw ValidationError("\(destination) exists; choose a new file") }
        let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: Logger(label: "kotae.backup"))
        do {
            try await db.backup(to: URL(fileURLWithPath: destination).path)
            await db.close()
        } catch {
            await db.close()
            throw error
        }
        print("Backed up to \(destination).")
    }
}
