import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit

/// A raw SQLite connection living on its own thread, usable through SQLKit.
///
/// Statements run synchronously when the calling task is already on the connection's thread
/// (see `onThread`), which is how the writer runs a whole group-committed batch; otherwise
/// each statement hops to the thread and back.
final class ThreadedSQLiteConnection: @unchecked Sendable {
    let thread: SQLiteThread
    /// Only touched on `thread`.
    private let handle: SQLiteHandle

    private init(thread: SQLiteThread, handle: SQLiteHandle) {
        self.thread = thread
        self.handle = handle
    }

    static func open(path: String, pragmas: [String], name: String) async throws -> ThreadedSQLiteConnection {
        let thread = SQLiteThread(name: name)
        do {
            let handle = try await withTaskExecutorPreference(thread) {
                let handle = try SQLiteHandle(path: path)
                for pragma in pragmas { try handle.exec(pragma) }
                try handle.installNormalizeFunction()
                return UncheckedBox(handle)
            }
            return ThreadedSQLiteConnection(thread: thread, handle: handle.value)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Runs `body` with the handle, on the connection's thread.
    func run<T>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        if thread.isCurrent { return try body(handle) }
        return try await withTaskExecutorPreference(thread) { try body(handle) }
    }

    /// Runs a whole async body on the connection's thread, so its statements need no hop.
    func onThread<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(thread, operation: body)
    }

    func sql(logger: Logger) -> any SQLDatabase {
        ThreadedSQLiteDatabase(connection: self, logger: logger)
    }

    func close() async {
        _ = try? await run { $0.close() }
        thread.stop()
    }
}

/// SQLKit's view of a `ThreadedSQLiteConnection`.
struct ThreadedSQLiteDatabase: SQLDatabase {
    let connection: ThreadedSQLiteConnection
    let logger: Logger
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        let values = try binds.map { try encoder.encode($0) }
        logger.debug("\(sql)")
        try await connection.run { handle in try handle.run(sql, values, onRow: onRow) }
    }
}

/// The column names of one statement's results, looked up by name for every row.
final class SQLiteColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    func position(_ name: String) -> Int? { positions[name] }
}

/// One result row.
struct SQLiteValuesRow: SQLRow {
    let columns: SQLiteColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.position(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let i = columns.position(column) else { return true }
        return values[i] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let i = columns.position(column) else {
            throw DatabaseError("no column \(column) in the result")
        }
        let value = values[i]
        // The common cases directly, optional or not (a conversation row alone has some twenty
        // optional columns); SQLiteDataDecoder is a full Decoder and costs far more.
        switch value {
        case .integer(let n):
            if D.self == Int64.self { return Self.same(Int64(n), as: D.self) }
            if D.self == Int64?.self { return Self.same(Int64?(Int64(n)), as: D.self) }
            if D.self == Int.self { return Self.same(n, as: D.self) }
        case .text(let text):
            if D.self == String.self { return Self.same(text, as: D.self) }
            if D.self == String?.self { return Self.same(String?(text), as: D.self) }
        case .float(let x):
            if D.self == Double.self { return Self.same(x, as: D.self) }
            if D.self == Double?.self { return Self.same(Double?(x), as: D.self) }
        case .null:
            if D.self == Int64?.self { return Self.same(Int64?.none, as: D.self) }
            if D.self == String?.self { return Self.same(String?.none, as: D.self) }
            if D.self == Double?.self { return Self.same(Double?.none, as: D.self) }
        default:
            break
        }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }

    /// `value` as `D`, which the caller has checked is `T` itself: no dynamic cast, whose
    /// cost showed on every row read.
    @inline(__always)
    private static func same<T, D>(_ value: T, as: D.Type) -> D { unsafeBitCast(value, to: D.self) }
}

/// Carries a non-Sendable value out of a closure that ran on the connection's thread.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
