extension Migration {
    /// 7: contact search index (SQLite).
    static let v07ContactSearchIndexSqlite = Migration(
        version: 7, name: "contact search index (SQLite)", statements: [],
        sqliteOnly: [
            // Contacts are found by any part of a name, email, phone or platform id; without an
            // index that is a scan of every contact. (PostgreSQL has contacts_search, pg_trgm.)
            "CREATE VIRTUAL TABLE contacts_fts USING fts5(body, content='', contentless_delete=1, tokenize='trigram')",
            "INSERT INTO contacts_fts (rowid, body) SELECT id, search_text FROM contacts",
            "CREATE TRIGGER contacts_after_insert AFTER INSERT ON contacts BEGIN INSERT INTO contacts_fts (rowid, body) VALUES (new.id, new.search_text); END",
            """
            CREATE TRIGGER contacts_after_update AFTER UPDATE OF search_text ON contacts BEGIN
              DELETE FROM contacts_fts WHERE rowid = old.id;
              INSERT INTO contacts_fts (rowid, body) VALUES (new.id, new.search_text);
            END
            """,
        ])
}
