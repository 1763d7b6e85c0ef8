import ArgumentParser
import Foundation
import KotaeServer

#if canImport(Glibc)
    import Glibc
#endif

struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Orders from shop systems Kotae has no connection for.", subcommands: [ImportOrders.self])
}

struct ImportOrders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV of orders (one row per item) into a store of saved orders.",
        discussion: """
            Columns are found by their header, in English or Japanese: order_number (注文番号) and \
            ordered_at (注文日時) are required; email, phone, customer_name, status, payment, total, \
            currency, item, variant, sku, quantity, unit_price, carrier, tracking_number, tracking_url, \
            shipped_at, delivered_at, ship_to and note are read when present. docs/orders-template.csv \
            is a template. UTF-8 and Shift_JIS files are both read. Importing again replaces each order.
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("store"), help: "The name of the store of saved orders (made if missing).") var storeName = "CSV"
    @Option(name: .customLong("map"), help: "A column the file names otherwise: order_number=受注ID (repeatable).") var map: [String] = []
    @Argument(help: "The CSV file.") var path: String

    func run() async throws {
        var mapping: [String: String] = [:]
        for pair in map {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--map takes column=header, not \(pair)") }
            mapping[parts[0]] = parts[1]
        }
        let bar = ProgressBar(toTerminal: isatty(2) == 1)
        let summary: OrderImport.Summary
        do {
            summary = try await OrderImport.run(config: try await store.config(), storeName: storeName, path: path, mapping: mapping) {
                bar.show($0, $1)
            }
        } catch let failure as OrderImport.Failure {
            throw ValidationError(failure.description)
        }
        bar.finish()
        print(
            """
            Imported \(summary.orders) orders from \(summary.rows) rows (\(summary.charset)) into \(summary.created ? "the new store" : "the store") \
            "\(summary.store)" in \(String(format: "%.1f", summary.seconds)) s.
              rows with warnings: \(summary.warnings.count)
            """)
        for warning in summary.warnings.prefix(20) { print("  - " + warning) }
        if summary.warnings.count > 20 { print("  … and \(summary.warnings.count - 20) more") }
    }
}
