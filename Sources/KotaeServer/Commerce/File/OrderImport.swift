import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// `kotae orders import`: a CSV of orders from any shop system into a store of saved orders,
/// which the panel matches by address, phone and number like any other. Importing the file
/// again replaces each order with its newer row; nothing is stored twice.
public enum OrderImport {
    public struct Summary: Sendable, Equatable {
        public var store: String
        public var created: Bool
        public var rows = 0
        public var orders = 0
        public var warnings: [String] = []
        public var charset = ""
        public var seconds = 0.0
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Imports `path` into the saved-orders store named `storeName` (made if missing);
    /// `mapping` names the headers of columns the file calls otherwise (`order_number=受注ID`).
    public static func run(
        config: KotaeConfig, storeName: String, path: String, mapping: [String: String],
        progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Summary {
        var columns: [OrderCSV.Column: String] = [:]
        for (key, header) in mapping {
            guard let column = OrderCSV.Column(rawValue: key) else {
                throw Failure(description: "no column \(key); the columns are \(OrderCSV.Column.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            columns[column] = header
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path) cannot be read") }
        let started = ContinuousClock.now
        // The file is read whole before anything is stored: a file that is not orders leaves
        // no store behind.
        let read: OrderCSV.Result
        do { read = try OrderCSV(mapping: columns).read(data, store: 0) } catch let failure as OrderCSV.Failure {
            throw Failure(description: failure.description)
        }
        return try await withOfflineServices(config: config, label: "kotae.orders") { app in
            let existing = try await app.store.commerceStores.all().first { $0.name == storeName }
            if let existing, existing.platform != .file {
                throw Failure(description: "\(storeName) is a \(existing.platform.rawValue) store; orders are imported into a store of saved orders")
            }
            let store: CommerceStore
            if let existing { store = existing } else { store = try await app.store.commerceStores.create(platform: .file, name: storeName) }
            let orders = read.orders.map { order in
                var o = order
                o.key.store = store.id
                return o
            }
            var summary = Summary(
                store: storeName, created: existing == nil, rows: read.rows, orders: orders.count, warnings: read.warnings, charset: read.charset)
            let batch = 1_000
            for start in stride(from: 0, to: orders.count, by: batch) {
                let part = orders[start..<min(start + batch, orders.count)]
                try await app.store.orders.save(part.map { ($0, OrderKeys.of($0)) })
                progress(start + part.count, orders.count)
            }
            summary.seconds = (ContinuousClock.now - started).seconds
            return summary
        }
    }
}
