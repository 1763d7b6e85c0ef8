import Foundation
import KotaeCore
import SQLKit

extension KotaeStore {
    static let inboxColumns = "id, name, channel, settings, credentials, sla_policy, created_at"

    static func inbox(_ r: any SQLRow) throws -> Inbox {
        Inbox(
            id: try r.int("id"), name: try r.string("name"), channel: try r.enumValue("channel", ChannelKind.self),
            settings: try JSON.decode([String: String].self, try r.string("settings")),
            hasCredentials: try r.stringOpt("credentials") != nil,
            slaPolicy: try JSON.decode(SLAPolicy.self, try r.string("sla_policy")), createdAt: try r.date("created_at"))
    }

    public func createInbox(
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

    public func inboxes() async throws -> [Inbox] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.inboxColumns) FROM inboxes ORDER BY id").all().map(Self.inbox)
        }
    }

    public func inbox(id: ID) async throws -> Inbox? {
        if let cached = inboxCache.get(id) { return cached }
        let found = try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.inboxColumns) FROM inboxes WHERE id = \(bind: id)").first().map(Self.inbox)
        }
        if let found { inboxCache.put(found) }
        return found
    }

    /// Decrypted credentials; only channel clients should ask.
    public func inboxCredentials(id: ID) async throws -> [String: String] {
        let sealed = try await db.read { db in
            try await db.raw("SELECT credentials FROM inboxes WHERE id = \(bind: id)").first()?.stringOpt("credentials")
        }
        guard let sealed else { return [:] }
        return try JSON.decode([String: String].self, try secrets.open(sealed))
    }

    /// The inbox's credentials read as its channel's type.
    public func inboxCredentials<C: ChannelFieldSet>(id: ID, as type: C.Type) async throws -> C {
        try C(stored: try await inboxCredentials(id: id))
    }

    /// Why nothing can go on this inbox until an admin acts (a refused token, a policy
    /// block), shown on its settings; nil clears it (a delivery went through again).
    public func setChannelProblem(inboxId: ID, _ reason: String?) async throws {
        _ = try await updateInbox(id: inboxId, name: nil, settings: [Inbox.channelProblemSetting: reason ?? ""], credentials: nil, slaPolicy: nil)
    }

    /// `credentials` are merged into the stored ones: a key with a value replaces it, a key
    /// with "" removes it, a key not given is kept (an admin edits one secret without
    /// re-typing the others, which they cannot see).
    public func updateInbox(
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
        inboxCache.drop(id)
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
            guard let original = try await loadConversation(db, id: id) else { continue }
            var c = original
            c.clock.reapply(policy: inbox.slaPolicy)
            if c.clock != original.clock { try await saveConversation(db, c, original: original, now: now) }
        }
        try await appendEvent(
            db, type: "inbox.sla_policy", actor: nil, conversation: nil,
            data: ["inboxId": String(inbox.id), "conversations": String(ids.count)])
    }

    // MARK: Teams

    public func createTeam(name: String, memberIds: [ID]) async throws -> Team {
        try await db.write { db in
            if try await db.raw("SELECT id FROM teams WHERE name = \(bind: name)").first() != nil {
                throw StoreError.conflict("a team named \(name) exists")
            }
            let id = try await db.raw("INSERT INTO teams (name, created_at) VALUES (\(bind: name), \(bind: Date().epoch)) RETURNING id").first()!.int(
                "id")
            for m in Set(memberIds) {
                guard try await db.raw("SELECT id FROM users WHERE id = \(bind: m)").first() != nil else {
                    throw StoreError.invalid("memberIds: no user \(m)")
                }
                try await db.raw("INSERT INTO team_members (team_id, user_id) VALUES (\(bind: id), \(bind: m))").run()
            }
            return Team(id: id, name: name, memberIds: Set(memberIds).sorted())
        }
    }

    /// Renames a team and/or replaces its members, in one transaction.
    public func updateTeam(id: ID, name: String?, memberIds: [ID]?) async throws -> Team {
        try await db.write { db in
            guard let row = try await db.raw("SELECT name FROM teams WHERE id = \(bind: id)").first() else { throw StoreError.notFound("team") }
            var team = Team(id: id, name: try row.string("name"), memberIds: [])
            if let name, name != team.name {
                if try await db.raw("SELECT id FROM teams WHERE name = \(bind: name)").first() != nil {
                    throw StoreError.conflict("a team named \(name) exists")
                }
                try await db.raw("UPDATE teams SET name = \(bind: name) WHERE id = \(bind: id)").run()
                team.name = name
            }
            if let memberIds {
                try await db.raw("DELETE FROM team_members WHERE team_id = \(bind: id)").run()
                for m in Set(memberIds) {
                    guard try await db.raw("SELECT id FROM users WHERE id = \(bind: m)").first() != nil else {
                        throw StoreError.invalid("memberIds: no user \(m)")
                    }
                    try await db.raw("INSERT INTO team_members (team_id, user_id) VALUES (\(bind: id), \(bind: m))").run()
                }
            }
            team.memberIds = try await db.raw("SELECT user_id FROM team_members WHERE team_id = \(bind: id) ORDER BY user_id").all().map {
                try $0.int("user_id")
            }
            return team
        }
    }

    public func teams() async throws -> [Team] {
        try await db.read { db in
            let members = try await db.raw("SELECT team_id, user_id FROM team_members ORDER BY user_id").all()
            var byTeam: [ID: [ID]] = [:]
            for m in members { byTeam[try m.int("team_id"), default: []].append(try m.int("user_id")) }
            return try await db.raw("SELECT id, name FROM teams ORDER BY id").all().map {
                let id = try $0.int("id")
                return Team(id: id, name: try $0.string("name"), memberIds: byTeam[id] ?? [])
            }
        }
    }
}
