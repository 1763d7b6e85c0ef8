import Foundation
import KotaeCore
import SQLKit

/// The workspace's own key-value settings (the first-run token, the demo marker).
extension KotaeStore {
    // MARK: Settings

    public func setting(_ key: String) async throws -> String? {
        try await db.read { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.string("value")
        }
    }

    /// A setting that lists ids (inboxes, users), stored comma-separated; empty when unset.
    public func ids(_ key: String) async throws -> [ID] {
        try await setting(key).map(Self.ids) ?? []
    }

    /// An id list as stored, and back (nil, removing the setting, for none).
    public static func ids(_ stored: String) -> [ID] { stored.split(separator: ",").compactMap { ID($0) } }
    public static func stored(ids: [ID]) -> String? { ids.isEmpty ? nil : ids.map(String.init).joined(separator: ",") }

    public func setSetting(_ key: String, _ value: String?) async throws {
        try await db.write { db in
            try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
            if let value {
                try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))").run()
            }
        }
    }

    /// Several settings in one transaction (`nil` removes one): all of them, or none.
    public func setSettings(_ values: [String: String?]) async throws {
        try await db.write { db in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
                if let value { try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))").run() }
            }
        }
    }
}
