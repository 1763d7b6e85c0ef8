extension Migration {
    /// 20: contact merges are recorded and can be undone.
    static let v20ContactMergesAreRecordedAndCanBeUndone = Migration(
        version: 20, name: "contact merges are recorded and can be undone",
        statements: [
            // What a merge moved, so an undo moves exactly that back. `reason` is set when
            // Kotae merged by itself (the platform said the two ids are one person).
            """
            CREATE TABLE contact_merges (id {id}, source_id {int} NOT NULL REFERENCES contacts(id),
              target_id {int} NOT NULL REFERENCES contacts(id), identities TEXT NOT NULL, conversation_ids TEXT NOT NULL,
              target_email TEXT, target_phone TEXT, reason TEXT, actor_user_id {int}, at {real} NOT NULL, undone_at {real})
            """,
            "CREATE INDEX contact_merges_target ON contact_merges (target_id, id)",
        ])
}
