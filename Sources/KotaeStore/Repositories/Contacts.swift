import Foundation
import KotaeCore
import SQLKit

/// The shop's customers: one contact per person, with every platform identity found for
/// them; merges (an agent's, or Kotae's own) are recorded so each can be undone.
public struct Contacts: Sendable {
    let db: KotaeDatabase

    var dialect: SQLDialectKind { db.dialect }

    static func contactSearchText(name: String, email: String?, phone: String?, identities: [String]) -> String {
        SearchText.normalize(([name, email ?? "", phone ?? ""] + identities).joined(separator: " "))
    }

    static func loadContact(_ db: any SQLDatabase, id: ID) async throws -> Contact? {
        guard
            let r = try await db.raw("SELECT id, name, email, phone, merged_into, created_at, avatar_sha256 FROM contacts WHERE id = \(bind: id)")
                .first()
        else {
            return nil
        }
        let identities = try await db.raw("SELECT channel, external_id FROM contact_identities WHERE contact_id = \(bind: id) ORDER BY id").all().map
        {
            ContactIdentity(channel: try $0.string("channel"), externalId: try $0.string("external_id"))
        }
        return Contact(
            id: try r.int("id"), name: try r.string("name"), email: try r.stringOpt("email"),
            phone: try r.stringOpt("phone"), identities: identities, mergedInto: try r.intOpt("merged_into"),
            createdAt: try r.date("created_at"), avatarSHA256: try r.stringOpt("avatar_sha256"))
    }

    public func contact(id: ID) async throws -> Contact? {
        try await db.read { db in try await Self.loadContact(db, id: id) }
    }

    /// Finds the contact behind a platform identity, creating both on first sight.
    static func findOrCreateContact(
        _ db: any SQLDatabase, identity: (channel: String, externalId: String),
        name: String?, email: String?, phone: String?, at: Date
    ) async throws -> ID {
        if let r = try await db.raw(
            "SELECT contact_id FROM contact_identities WHERE channel = \(bind: identity.channel) AND external_id = \(bind: identity.externalId)"
        ).first() {
            return try r.int("contact_id")
        }
        let displayName = name ?? email ?? identity.externalId
        let search = Self.contactSearchText(name: displayName, email: email, phone: phone, identities: [identity.externalId])
        let id = try await db.raw(
            """
            INSERT INTO contacts (name, email, phone, search_text, created_at)
            VALUES (\(bind: displayName), \(bind: email), \(bind: phone), \(bind: search), \(bind: at.epoch)) RETURNING id
            """
        ).first()!.int("id")
        // A concurrent writer on PostgreSQL may have created the identity first: the
        // unique key decides, and the caller's transaction retries.
        let inserted = try await db.raw(
            """
            INSERT INTO contact_identities (contact_id, channel, external_id, created_at)
            VALUES (\(bind: id), \(bind: identity.channel), \(bind: identity.externalId), \(bind: at.epoch))
            ON CONFLICT (channel, external_id) DO NOTHING RETURNING contact_id
            """
        ).first()
        guard inserted != nil else { throw RetryableConflict() }
        return id
    }

    public func list(query: String?, limit: Int, afterId: ID?) async throws -> [Contact] {
        let q = query.map(SearchText.normalize) ?? ""
        var sql = SQLQueryString("SELECT id FROM contacts WHERE merged_into IS NULL AND id > \(bind: afterId ?? 0)")
        if dialect == .sqlite && q.count >= 3 {
            // Trigram index; one or two characters fall back to a scan.
            let phrase = KotaeStore.ftsPhrase(q)
            sql.appendLiteral(" AND id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ")
            sql.appendInterpolation(bind: phrase)
            sql.appendLiteral(")")
        } else if !q.isEmpty {
            sql.appendLiteral(" AND search_text LIKE ")
            sql.appendInterpolation(bind: "%" + KotaeStore.escapeLike(q) + "%")
            sql.appendLiteral(" ESCAPE '\\'")
        }
        sql.appendLiteral(" ORDER BY id LIMIT ")
        sql.appendInterpolation(bind: limit)
        let finalSQL = sql
        return try await db.read { db in
            var out: [Contact] = []
            for r in try await db.raw(finalSQL).all() {
                if let c = try await Self.loadContact(db, id: try r.int("id")) { out.append(c) }
            }
            return out
        }
    }

    public func update(id: ID, name: String?, email: String?, phone: String?) async throws -> Contact {
        try await db.write { db in
            guard var c = try await Self.loadContact(db, id: id) else { throw StoreError.notFound("contact") }
            if let name { c.name = name }
            if let email { c.email = email }
            if let phone { c.phone = phone }
            let search = Self.contactSearchText(name: c.name, email: c.email, phone: c.phone, identities: c.identities.map(\.externalId))
            try await db.raw(
                "UPDATE contacts SET name = \(bind: c.name), email = \(bind: c.email), phone = \(bind: c.phone), search_text = \(bind: search) WHERE id = \(bind: id)"
            ).run()
            return c
        }
    }

    /// Merges `source` into `target`: identities and conversations move, the source stays
    /// as a pointer (`merged_into`) so that nothing that referred to it breaks. Recorded
    /// (`contact_merges`) so that it can be undone.
    public func mergeContacts(source: ID, into target: ID, actor: ID?) async throws -> Contact {
        guard source != target else { throw StoreError.invalid("sourceId: cannot merge a contact into itself") }
        return try await db.write { db in
            try await Self.merge(db, source: source, into: target, actor: actor, reason: nil).contact
        }
    }

    /// The platform's profile for a contact known so far only by an id.
    public func setProfile(contactId: ID, name: String?, avatarURL: String?) async throws {
        try await db.write { db in
            if let name, !name.isEmpty {
                try await db.raw("UPDATE contacts SET name = \(bind: name) WHERE id = \(bind: contactId)").run()
            }
            if let avatarURL { try await db.raw("UPDATE contacts SET avatar_url = \(bind: avatarURL) WHERE id = \(bind: contactId)").run() }
        }
    }

    /// The contact's profile picture, once copied into the attachment store.
    public func setAvatar(contactId: ID, sha256: String) async throws {
        try await db.write { db in
            try await db.raw("UPDATE contacts SET avatar_sha256 = \(bind: sha256) WHERE id = \(bind: contactId)").run()
        }
    }

    public func avatarURL(contactId: ID) async throws -> String? {
        try await db.read { db in
            try await db.raw("SELECT avatar_url FROM contacts WHERE id = \(bind: contactId)").first()?.stringOpt("avatar_url")
        }
    }
}

/// A unique key was taken by a concurrent transaction; running the transaction again resolves it.
struct RetryableConflict: Error {}

extension Contacts {
    /// Every conversation of a contact, newest first (the sidebar's history).
    public func conversations(contactId: ID) async throws -> [Conversation] {
        try await db.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Conversations.conversationColumns) FROM \(unsafeRaw: Conversations.conversationFrom) WHERE c.contact_id = \(bind: contactId) ORDER BY c.last_message_at DESC LIMIT 100"
            ).all().map {
                try Conversations.conversation($0, labels: [])
            }
        }
    }
}
