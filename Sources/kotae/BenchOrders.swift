import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeServer
import KotaeStore
import Logging

/// The orders panel over a large order cache: a million orders of 200,000 customers in a store
/// of saved orders (so no platform is asked and only the cache is measured), and 500 email
/// conversations, each from a customer and naming one of their orders.
struct OrdersBench {
    static let orders = 1_000_000
    static let customers = 200_000
    static let conversations = 500

    let dir: String

    var dataDir: String { dir + "/orders-\(Self.orders)" }

    /// Generates the data set once per directory.
    func ensureDataset(logger: Logger) async throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: "sqlite:\(dataDir)/kotae.sqlite", logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: try SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: dataDir))))
        let marker = "bench_orders", want = "\(Self.orders)x\(Self.customers)x\(Self.conversations)"
        if try await store.setting(marker) != want {
            FileHandle.standardError.write(Data("generating \(Self.orders) cached orders in \(dataDir)…\n".utf8))
            let shop = try await store.commerceStores.create(platform: .file, name: "bench shop", settings: ["orderPrefix": "#"])
            let start = Date()
            let batch = 5_000
            for first in stride(from: 0, to: Self.orders, by: batch) {
                let orders = (first..<min(first + batch, Self.orders)).map { n in
                    (Self.order(n, store: shop.id, at: start), CommerceOrders.Keys(email: Self.email(n % Self.customers), phone: nil))
                }
                try await store.orders.save(orders, seenAt: start)
                if (first + batch) % 100_000 == 0 {
                    FileHandle.standardError.write(Data("  \(first + batch) orders (\(Int(Date().timeIntervalSince(start))) s)\n".utf8))
                }
            }
            let inbox = try await store.inboxes.create(name: "bench mail", channel: .email)
            for c in 0..<Self.conversations {
                let customer = (c * 397) % Self.customers
                // One of the customer's five orders (n ≡ customer mod customers).
                let number = "#\(customer + 2 * Self.customers + 1000)"
                _ = try await store.conversations.ingest(
                    InboundMessage(
                        identity: ("email", Self.email(customer)), contactName: "お客様 \(customer)", contactEmail: Self.email(customer),
                        externalId: "<bench-\(c)@example.jp>", text: "注文番号 \(number) がまだ届きません。まだ?", sentAt: Date()),
                    inbox: inbox)
            }
            try await store.setSetting(marker, want)
        }
        await db.close()
    }

    static func email(_ customer: Int) -> String { "customer\(customer)@example.jp" }

    static func order(_ n: Int, store: ID, at: Date) -> Order {
        let created = at.addingTimeInterval(-Double(n % 700) * 86_400)
        return Order(
            key: OrderKey(store: store, id: "bench-\(n)"), number: "#\(n + 1000)", email: email(n % customers), customerName: "お客様",
            createdAt: created, updatedAt: created, payment: .paid, fulfilment: n % 3 == 0 ? .unfulfilled : .fulfilled,
            total: Money(amount: "12800", currency: "JPY"),
            lines: [OrderLine(title: "リネンシャツ", variant: "ネイビー / M", sku: "LS-NV-M", quantity: 1, unitPrice: Money(amount: "9800", currency: "JPY"))],
            shipments: n % 3 == 0
                ? []
                : [Shipment(id: "bench-\(n)-1", status: .inTransit, createdAt: created, tracking: [Tracking(company: "ヤマト運輸", number: "4512\(n)")])])
    }

    /// The panel of every conversation in turn, through HTTP as the sidebar asks for it.
    func run(_ q: QueryBench, report: inout BenchReport) async throws {
        let ids = (1...Int64(Self.conversations)).map { "/api/v1/conversations/\($0)/orders" }
        // What is timed must be the real panel: the customer's five orders, one by its number.
        let panel = try JSONSerialization.jsonObject(with: try await q.body(ids[0])) as? [String: Any]
        let shown = panel?["orders"] as? [[String: Any]] ?? []
        guard shown.count == 5, shown.contains(where: { ($0["reasons"] as? [String])?.contains("numberInMessage") == true }) else {
            throw BenchFailure("the orders panel did not show the customer's five orders: \(shown.count)")
        }
        for path in ids.prefix(50) { _ = try await q.get(path) }
        var all = Latencies()
        for i in 0..<2_000 { all.add(try await q.get(ids[i % ids.count])) }
        report.add(
            "orders panel from the cache (\(Self.orders.formatted()) cached orders, a number in the message and the sender's address, SQLite)",
            all.summary, "p99 < 20 ms")
    }
}
