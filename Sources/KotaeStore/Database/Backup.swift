import Foundation
import SQLKit

extension KotaeDatabase {
    /// A consistent online copy of the SQLite database: `VACUUM INTO` reads one snapshot,
    /// so a running server's writers neither block nor tear the copy.
    public func backup(to path: String) async throws {
        guard case .sqlite(let b) = backend else { throw DatabaseError("backup copies SQLite databases; use pg_dump for PostgreSQL") }
        try await b.outsideTransaction { db in
            try await db.raw("VACUUM INTO \(bind: path)").run()
        }
    }
}
