import Foundation
import KotaeCore
import SQLKit

/// The shop's inboxes: one per channel account, with its settings, its credentials (sealed
/// with `SecretBox`; their values never leave the server) and its SLA policy. Read on every
/// ingest, so kept in a short per-process cache that a change here drops at once.
public struct Inboxes: Sendable {
    let db: KotaeDatabase
    let secrets: SecretBox
    let cache: InboxCache

    static let inboxColumns = "id, name, channel, settings, credentials, sla_policy, created_at"

    static func inbox(_ r: any SQLRow) throws -> Inbox {
        Inbox(
            id: try r.int("id"), name: try r.string("name"), channel: try r.enumValue("channel", ChannelKind.self),
            settings: try JSON.decode([String: String].self, try r.string("settings")),
            hasCredentials: try r.stringOpt("credentials") != nil,
            slaPolicy: try JSON.decode(SLAPolicy.self, try r.string("sla_policy")), createdAt: try r.date("created_at"))
    }

    public func create(
        name: String, channel: ChannelKind, settings: [String: String] = [:],
        credentials: [String: String]? = nil, slaPolicy: SLAPolicy? = nil
    ) async throws -> Inbox {
        let policy = slaPolicy ?? .defaults(for: channel)
        let sealed = try credentials.map { try secrets.seal(JSON.string($0)) }
        return try await db.write { db in
            let r = try await db.raw(
                """
                INSERT INTO inboxes (name, channel, settings, credentials, sla_policy, created_at)
                VALUES (\(bind: name), \(bind: channel.rawValue), \(bind: JSON.string(settings)), \(bind: sealed),
                        \(bind: JSON.string(policy)), \(bind: Date().epoch))
                RETURNING \(unsafeRaw: Self.inboxColumns)
                """
            ).first()!
            return try Self.inbox(r)
        }
    }

    public func all() async throws -> [Inbox] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.inboxColumns) FROM inboxes ORDER BY id").all().map(Self.inbox)
        }
    }

    public func find(id: ID) async throws -> Inbox? {
        if let cached = cache.get(id) { return cached }
        let found = try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.inboxColumns) FROM inboxes WHERE id = \(bind: id)").first().map(Self.inbox)
        }
        if let found { cache.put(found) }
        return found
    }

    /// Decrypted credentials; only channel clients should ask.
    public func credentials(id: ID) async throws -> [String: String] {
        let sealed = try await db.read { db in
            try await db.raw("SELECT credentials FROM inboxes WHERE id = \(bind: id)").first()?.stringOpt("credentials")
        }
        guard let sealed else { return [:] }
        return try JSON.decode([String: String].self, try secrets.open(sealed))
    }

    /// The inbox's credentials read as its channel's type.
    public func credentials<C: ChannelFieldSet>(id: ID, as type: C.Type) async throws -> C {
        try C(stored: try await credentials(id: id))
    }

    /// Why nothing can go on this inbox until an admin acts (a refused token, a policy
    /// block), shown on its settings; nil clears it (a delivery went through again).
    public func setChannelProblem(inboxId: ID, _ reason: String?) async throws {
        _ = try await update(id: inboxId, name: nil, settings: [Inbox.channelProblemSetting: reason ?? ""], credentials: nil, slaPolicy: nil)
    }

    /// `credentials` are merged into the stored ones: a key with a value replaces it, a key
    /// with "" removes it, a key not given is kept (an admin edits one secret without
    /// re-typing the others, which they cannot see).
    public func update(
        id: ID, name: String?, settings: [String: String]?, credentials: [String: String]?,
        slaPolicy: SLAPolicy?
    ) async throws -> Inbox {
        let updated = try await db.write { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.inboxColumns) FROM inboxes WHERE id = \(bind: id)").first() else {
                throw StoreError.notFound("inbox")
            }
            var inbox = try Self.inbox(r)
            if let name { inbox.name = name }
            // Merged like credentials: "" removes a key, a key not given is kept.
            for (key, value) in settings ?? [:] { inbox.settings[key] = value.isEmpty ? nil : value }
            let policyChanged = slaPolicy != nil && slaPolicy != inbox.slaPolicy
            if let slaPolicy { inbox.slaPolicy = slaPolicy }
            try await db.raw(
                """
                UPDATE inboxes SET name = \(bind: inbox.name), settings = \(bind: JSON.string(inbox.settings)),
                sla_policy = \(bind: JSON.string(inbox.slaPolicy)) WHERE id = \(bind: id)
                """
            ).run()
            if policyChanged { try await self.reapplyPolicy(db, inbox: inbox) }
            if let credentials {
                // Merged inside the transaction, so two admins' edits cannot drop each other's keys.
                let stored = try await db.raw("SELECT credentials FROM inboxes WHERE id = \(bind: id)").first()?.stringOpt("credentials")
                var merged = try stored.map { try JSON.decode([String: String].self, try self.secrets.open($0)) } ?? [:]
                for (key, value) in credentials { merged[key] = value.isEmpty ? nil : value }
                let sealed: String? = merged.isEmpty ? nil : try self.secrets.seal(JSON.string(merged))
                try await db.raw("UPDATE inboxes SET credentials = \(bind: sealed) WHERE id = \(bind: id)").run()
                inbox.hasCredentials = sealed != nil
            }
            return inbox
        }
        cache.drop(id)
        return updated
    }

    /// Every unresolved conversation of the inbox gets its due times under the new policy,
    /// in the same transaction as the policy (a page never shows the old targets' times).
    private func reapplyPolicy(_ db: any SQLDatabase, inbox: Inbox) async throws {
        let ids = try await db.raw("SELECT id FROM conversations WHERE inbox_id = \(bind: inbox.id) AND status <> 'resolved'").all().map {
            try $0.int("id")
        }
        let now = Date()
        for id in ids {
            guard let original = try await Conversations.loadConversation(db, id: id) else { continue }
            var c = original
            c.clock.reapply(policy: inbox.slaPolicy)
            if c.clock != original.clock { try await Conversations.saveConversation(db, c, original: original, inbox: inbox, now: now) }
        }
        try await KotaeStore.appendEvent(
            db, type: "inbox.sla_policy", actor: nil, conversation: nil,
            data: ["inboxId": String(inbox.id), "conversations": String(ids.count)])
    }
}
