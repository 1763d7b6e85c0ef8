import Foundation
import KotaeCore
import SQLKit

/// Where reading an IMAP mailbox got to (UIDVALIDITY and the last UID taken in), and which
/// worker reads it now: a lease renewed while reading, so two workers never read one
/// mailbox at once and another takes over when one stops.
public struct MailCursors: Sendable {
    let db: KotaeDatabase

    public struct Cursor: Sendable, Equatable {
        public var uidValidity: UInt32
        public var lastUID: UInt32

        public init(uidValidity: UInt32, lastUID: UInt32) {
            self.uidValidity = uidValidity
            self.lastUID = lastUID
        }
    }

    /// Takes or renews the lease on `folder` of `inboxId` until `until`; false while another
    /// owner's lease runs.
    public func claim(inboxId: ID, folder: String, owner: String, until: Date, now: Date) async throws -> Bool {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO mail_cursors (inbox_id, folder, lease_owner, lease_until)
                VALUES (\(bind: inboxId), \(bind: folder), \(bind: owner), \(bind: until.epoch))
                ON CONFLICT (inbox_id, folder) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
                WHERE mail_cursors.lease_owner IS NULL OR mail_cursors.lease_owner = excluded.lease_owner
                  OR mail_cursors.lease_until < \(bind: now.epoch)
                RETURNING lease_owner
                """
            ).first() != nil
        }
    }

    /// Gives the lease up (a stopping worker), so another can read at once.
    public func release(inboxId: ID, folder: String, owner: String) async throws {
        try await db.write { db in
            try await db.raw(
                """
                UPDATE mail_cursors SET lease_owner = NULL, lease_until = NULL
                WHERE inbox_id = \(bind: inboxId) AND folder = \(bind: folder) AND lease_owner = \(bind: owner)
                """
            ).run()
        }
    }

    public func cursor(inboxId: ID, folder: String) async throws -> Cursor? {
        try await db.read { db in
            guard
                let r = try await db.raw(
                    "SELECT uid_validity, last_uid FROM mail_cursors WHERE inbox_id = \(bind: inboxId) AND folder = \(bind: folder)"
                ).first()
            else { return nil }
            return Cursor(uidValidity: UInt32(try r.int("uid_validity")), lastUID: UInt32(try r.int("last_uid")))
        }
    }

    /// Moves the cursor, only for the lease's owner; false when the lease was lost (the
    /// caller stops reading).
    public func save(_ cursor: Cursor, inboxId: ID, folder: String, owner: String) async throws -> Bool {
        try await db.write { db in
            try await db.raw(
                """
                UPDATE mail_cursors SET uid_validity = \(bind: Int64(cursor.uidValidity)), last_uid = \(bind: Int64(cursor.lastUID))
                WHERE inbox_id = \(bind: inboxId) AND folder = \(bind: folder) AND lease_owner = \(bind: owner)
                RETURNING inbox_id
                """
            ).first() != nil
        }
    }
}
