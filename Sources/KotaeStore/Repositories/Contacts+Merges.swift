import Foundation
import KotaeCore
import SQLKit

/// A merge of two contacts as it was made: what moved, so that undoing it moves exactly that back.
public struct ContactMerge: Codable, Sendable, Equatable {
    public var id: ID
    public var sourceId: ID
    public var targetId: ID
    public var identities: [ContactIdentity]
    public var conversationIds: [ID]
    /// Why Kotae merged them by itself; nil for an agent's merge.
    public var reason: String?
    public var actorUserId: ID?
    public var at: Date
    public var undoneAt: Date?
}

extension Contacts {
    /// Moves `source`'s identities and conversations to `target` inside `db`'s transaction
    /// and records the merge (and an audit event) for an undo.
    static func merge(
        _ db: any SQLDatabase, source: ID, into target: ID, actor: ID?, reason: String?,
        now: Date = Date()
    ) async throws -> (contact: Contact, merge: ID) {
        guard let s = try await Self.loadContact(db, id: source), s.mergedInto == nil else { throw StoreError.notFound("source contact") }
        guard var t = try await Self.loadContact(db, id: target), t.mergedInto == nil else { throw StoreError.notFound("target contact") }
        let moved = try await db.raw("SELECT id FROM conversations WHERE contact_id = \(bind: source) ORDER BY id").all().map { try $0.int("id") }
        let mergeId = try await db.raw(
            """
            INSERT INTO contact_merges (source_id, target_id, identities, conversation_ids, target_email, target_phone, reason, actor_user_id, at)
            VALUES (\(bind: source), \(bind: target), \(bind: JSON.string(s.identities)), \(bind: JSON.string(moved)),
              \(bind: t.email), \(bind: t.phone), \(bind: reason), \(bind: actor), \(bind: now.epoch)) RETURNING id
            """
        ).first()!.int("id")
        try await db.raw("UPDATE contact_identities SET contact_id = \(bind: target) WHERE contact_id = \(bind: source)").run()
        try await db.raw("UPDATE conversations SET contact_id = \(bind: target) WHERE contact_id = \(bind: source)").run()
        try await db.raw("UPDATE contacts SET merged_into = \(bind: target) WHERE id = \(bind: source)").run()
        t.email = t.email ?? s.email
        t.phone = t.phone ?? s.phone
        t.identities += s.identities
        try await Self.saveContactDetails(db, t)
        var data = ["source": String(source), "target": String(target), "merge": String(mergeId)]
        data["reason"] = reason
        for conversation in moved.isEmpty ? [nil] : moved.map(Optional.some) {
            try await KotaeStore.appendEvent(db, type: "contact.merged", actor: actor, conversation: conversation, data: data)
        }
        return (t, mergeId)
    }

    private static func saveContactDetails(_ db: any SQLDatabase, _ c: Contact) async throws {
        let search = Self.contactSearchText(name: c.name, email: c.email, phone: c.phone, identities: c.identities.map(\.externalId))
        try await db.raw(
            "UPDATE contacts SET email = \(bind: c.email), phone = \(bind: c.phone), search_text = \(bind: search) WHERE id = \(bind: c.id)"
        ).run()
    }

    /// The merges into a contact that can still be undone, newest first.
    public func merges(targetId: ID) async throws -> [ContactMerge] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id, source_id, target_id, identities, conversation_ids, reason, actor_user_id, at, undone_at
                FROM contact_merges WHERE target_id = \(bind: targetId) AND undone_at IS NULL ORDER BY id DESC
                """
            ).all().map(Self.contactMerge)
        }
    }

    static func contactMerge(_ r: any SQLRow) throws -> ContactMerge {
        ContactMerge(
            id: try r.int("id"), sourceId: try r.int("source_id"), targetId: try r.int("target_id"),
            identities: try JSON.decode([ContactIdentity].self, try r.string("identities")),
            conversationIds: try JSON.decode([ID].self, try r.string("conversation_ids")),
            reason: try r.stringOpt("reason"), actorUserId: try r.intOpt("actor_user_id"),
            at: try r.date("at"), undoneAt: try r.dateOpt("undone_at"))
    }

    /// Undoes a merge: the source contact is itself again, with the identities and
    /// conversations it brought. Refused once either contact was merged on since.
    public func undoMerge(id: ID, actor: ID?, now: Date = Date()) async throws -> (source: Contact, target: Contact) {
        try await db.write { db in
            guard
                let r = try await db.raw(
                    """
                    SELECT id, source_id, target_id, identities, conversation_ids, reason, actor_user_id, at, undone_at, target_email, target_phone
                    FROM contact_merges WHERE id = \(bind: id)
                    """
                ).first()
            else { throw StoreError.notFound("contact merge") }
            let m = try Self.contactMerge(r)
            guard m.undoneAt == nil else { throw StoreError.conflict("this merge was already undone") }
            guard let source = try await Self.loadContact(db, id: m.sourceId), source.mergedInto == m.targetId,
                var target = try await Self.loadContact(db, id: m.targetId), target.mergedInto == nil
            else {
                throw StoreError.conflict("the contacts changed since this merge; merge or split them by hand")
            }
            for identity in m.identities {
                try await db.raw(
                    """
                    UPDATE contact_identities SET contact_id = \(bind: m.sourceId)
                    WHERE channel = \(bind: identity.channel) AND external_id = \(bind: identity.externalId) AND contact_id = \(bind: m.targetId)
                    """
                ).run()
            }
            for conversation in m.conversationIds {
                try await db.raw(
                    "UPDATE conversations SET contact_id = \(bind: m.sourceId) WHERE id = \(bind: conversation) AND contact_id = \(bind: m.targetId)"
                ).run()
            }
            try await db.raw("UPDATE contacts SET merged_into = NULL WHERE id = \(bind: m.sourceId)").run()
            target.email = try r.stringOpt("target_email")
            target.phone = try r.stringOpt("target_phone")
            target.identities.removeAll { m.identities.contains($0) }
            try await Self.saveContactDetails(db, target)
            try await db.raw("UPDATE contact_merges SET undone_at = \(bind: now.epoch) WHERE id = \(bind: id)").run()
            let data = ["source": String(m.sourceId), "target": String(m.targetId), "merge": String(id)]
            for conversation in m.conversationIds.isEmpty ? [nil] : m.conversationIds.map(Optional.some) {
                try await KotaeStore.appendEvent(db, type: "contact.unmerged", actor: actor, conversation: conversation, data: data)
            }
            return (try await Self.loadContact(db, id: m.sourceId)!, try await Self.loadContact(db, id: m.targetId)!)
        }
    }
}
