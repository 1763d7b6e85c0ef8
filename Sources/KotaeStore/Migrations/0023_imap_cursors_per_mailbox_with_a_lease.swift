extension Migration {
    /// 23: an IMAP cursor per mailbox, with a lease so one worker reads it at a time.
    static let v23ImapCursorsPerMailboxWithALease = Migration(
        version: 23, name: "imap cursors per mailbox with a lease",
        statements: [
            """
            CREATE TABLE mail_cursors (
              inbox_id {int} NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
              folder TEXT NOT NULL,
              uid_validity {int} NOT NULL DEFAULT 0,
              last_uid {int} NOT NULL DEFAULT 0,
              lease_owner TEXT,
              lease_until {real},
              PRIMARY KEY (inbox_id, folder)
            )
            """
        ])
}
