extension Migration {
    /// 3: contacts.
    static let v03Contacts = Migration(
        version: 3, name: "contacts",
        statements: [
            """
            CREATE TABLE contacts (id {id}, name TEXT NOT NULL, email TEXT, phone TEXT,
              search_text TEXT NOT NULL DEFAULT '', merged_into {int} REFERENCES contacts(id),
              created_at {real} NOT NULL)
            """,
            """
            CREATE TABLE contact_identities (id {id}, contact_id {int} NOT NULL REFERENCES contacts(id),
              channel TEXT NOT NULL, external_id TEXT NOT NULL, created_at {real} NOT NULL,
              UNIQUE (channel, external_id))
            """,
            "CREATE INDEX contact_identities_contact ON contact_identities (contact_id)",
        ])
}
