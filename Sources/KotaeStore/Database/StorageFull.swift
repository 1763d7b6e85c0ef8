import Foundation
import PostgresNIO

/// Whether an error means the storage is full: SQLite's SQLITE_FULL, PostgreSQL's
/// `disk_full` (53100), or a file write that found no space (ENOSPC). Such an error is
/// the operator's to fix, not a bug: the server answers 503 and `/health` says so.
public enum StorageFull {
    public static func matches(_ error: any Error) -> Bool {
        switch error {
        case let e as SQLiteFailure:
            return e.code & 0xff == 13  // SQLITE_FULL and its extended codes
        case let e as PSQLError:
            return e.serverInfo?[.sqlState] == "53100"
        case let e as CocoaError:
            return e.code == .fileWriteOutOfSpace || (e.underlying as? POSIXError)?.code == .ENOSPC
        case let e as POSIXError:
            return e.code == .ENOSPC
        default:
            return false
        }
    }
}

private extension CocoaError {
    var underlying: (any Error)? { userInfo[NSUnderlyingErrorKey] as? any Error }
}
