import Foundation
import CSQLiteOptions
import KotaeCore
import NIOCore
import SQLiteNIO
// The SQLite library that sqlite-nio builds (symbols prefixed `sqlite_nio_`). Kotae must use
// this same copy: two SQLite libraries in one process would not see each other's file locks.
import VaporCSQLite

/// An error reported by SQLite, with its extended result code.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }

    /// A statement asked of a connection after Kotae closed it (a task still running while the server stops).
    static let closed = SQLiteFailure(code: SQLITE_MISUSE, message: "the database is closed")
}

/// One raw SQLite connection with a prepared-statement cache. Not thread-safe: it is only
/// ever used from its `SQLiteThread`.
final class SQLiteHandle {
    private var db: OpaquePointer?
    private var statements: [String: Prepared] = [:]

    /// A prepared statement and the column names of its results, read once.
    private struct Prepared {
        let stmt: OpaquePointer
        var columns: SQLiteColumns?
    }
    /// Kotae issues a few hundred distinct statements; past this many the cache is reset.
    private let cacheLimit = 512

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(db)
            db = nil
            throw SQLiteFailure(code: rc, message: "\(message) (\(path))")
        }
        sqlite_nio_sqlite3_extended_result_codes(db, 1)
        // Without this, SQLite re-plans a statement whenever a newly bound value might allow
        // a better plan, which for Kotae's queries meant re-parsing on nearly every execution
        // and defeated the statement cache. Plans stay the ones chosen at prepare time.
        kotae_sqlite_enable_qpsg(UnsafeMutableRawPointer(db))
    }

    deinit { close() }

    func close() {
        finalizeAll()
        if let db { sqlite_nio_sqlite3_close_v2(db) }
        db = nil
    }

    /// Runs `sql` with `binds`, calling `onRow` with each result row.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteValuesRow) throws -> Void) throws {
        let stmt = try statement(for: sql)
        defer {
            sqlite_nio_sqlite3_reset(stmt)
            sqlite_nio_sqlite3_clear_bindings(stmt)
        }
        try bind(binds, to: stmt)
        while true {
            let rc = sqlite_nio_sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc) }
            let columns = self.columns(of: sql, stmt)
            var values: [SQLiteData] = []
            values.reserveCapacity(columns.names.count)
            for i in 0..<Int32(columns.names.count) { values.append(value(stmt, i)) }
            try onRow(SQLiteValuesRow(columns: columns, values: values))
        }
    }

    /// Runs statements that take no parameters, such as pragmas.
    func exec(_ sql: String) throws {
        guard db != nil else { throw SQLiteFailure.closed }
        let rc = sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    /// `kotae_normalize(text)`: SearchText.normalize inside SQL, so stored text and queries fold the same way.
    func installNormalizeFunction() throws {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        let rc = sqlite_nio_sqlite3_create_function_v2(
            db, "kotae_normalize", 1, flags, nil,
            { context, argc, argv in
                guard argc == 1, let arg = argv?[0], let text = sqlite_nio_sqlite3_value_text(arg) else {
                    sqlite_nio_sqlite3_result_text(context, "", 0, sqliteTransient)
                    return
                }
                let folded = SearchText.normalize(String(cString: text))
                sqlite_nio_sqlite3_result_text(context, folded, -1, sqliteTransient)
            }, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    private func statement(for sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached.stmt }
        guard db != nil else { throw SQLiteFailure.closed }
        if statements.count >= cacheLimit { finalizeAll() }
        var stmt: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw failure(rc) }
        statements[sql] = Prepared(stmt: stmt)
        return stmt
    }

    private func finalizeAll() {
        for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.stmt) }
        statements.removeAll()
    }

    /// Read after a step, when a statement re-prepared for a changed schema shows its new columns.
    private func columns(of sql: String, _ stmt: OpaquePointer) -> SQLiteColumns {
        if let known = statements[sql]?.columns, known.names.count == Int(sqlite_nio_sqlite3_column_count(stmt)) {
            return known
        }
        let columns = SQLiteColumns(columnNames(stmt))
        statements[sql]?.columns = columns
        return columns
    }

    private func bind(_ binds: [SQLiteData], to stmt: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let i = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let v): rc = sqlite_nio_sqlite3_bind_int64(stmt, i, Int64(v))
            case .float(let v): rc = sqlite_nio_sqlite3_bind_double(stmt, i, v)
            case .text(let v):
                rc = sqlite_nio_sqlite3_bind_text64(stmt, i, v, UInt64(v.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
            case .blob(let v):
                rc = v.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(stmt, i, $0.baseAddress, UInt64($0.count), sqliteTransient)
                }
            case .null: rc = sqlite_nio_sqlite3_bind_null(stmt, i)
            }
            guard rc == SQLITE_OK else { throw failure(rc) }
        }
    }

    private func columnNames(_ stmt: OpaquePointer) -> [String] {
        (0..<sqlite_nio_sqlite3_column_count(stmt)).map { i in
            sqlite_nio_sqlite3_column_name(stmt, i).map { String(cString: $0) } ?? ""
        }
    }

    private func value(_ stmt: OpaquePointer, _ i: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(stmt, i) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(stmt, i)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(stmt, i))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(stmt, i) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(stmt, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(stmt, i))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(stmt, i) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func failure(_ rc: Int32) -> SQLiteFailure {
        let message = sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "unknown error"
        return SQLiteFailure(code: rc, message: message)
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
