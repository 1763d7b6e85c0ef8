import Foundation
import KotaeCommerce
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import Testing

/// `kotae orders import`: a CSV of another shop system's orders, beside conversations like any
/// store's; a second import stores nothing twice; a file that is not orders stores nothing.
struct OrderImportTests {
    static let template = TestServerProcess.repository.appendingPathComponent("docs/orders-template.csv").path

    func config(_ app: TestApp) -> KotaeConfig {
        var config = KotaeConfig()
        config.dataDirectory = app.database.dataDirectory
        config.databaseURL = app.database.url
        config.secretKey = "test-secret-key"
        return config
    }

    @Test func theTemplateGoesBesideTheCustomersConversationOnce() async throws {
        try await withTestApp { app in
            let progress = Locked<[Int]>([])
            let first = try await OrderImport.run(config: config(app), storeName: "自社EC", path: Self.template, mapping: [:]) { done, _ in
                progress.withLock { $0.append(done) }
            }
            #expect(first.created && first.orders == 2 && first.rows == 3 && first.warnings.isEmpty)
            #expect(progress.withLock { $0 } == [2])
            let again = try await OrderImport.run(config: config(app), storeName: "自社EC", path: Self.template, mapping: [:]) { _, _ in }
            #expect(!again.created && again.orders == 2)
            #expect(try await app.store.commerceStores.all().map(\.name) == ["自社EC"])
            #expect(try await app.store.orders.of(emails: ["hanako.yamada@example.jp"], phones: []).count == 1)

            let conversation = try await OrdersPanelTests.mail(app, "#2001 の靴下が届いていません")
            let panel = try await OrdersPanelTests.panel(app, conversation)
            #expect(panel.orders.map(\.order.number) == ["#2001"])
            #expect(panel.orders.map(\.reasons) == [["numberInMessage", "email"]])
            #expect(panel.stores.map(\.reachable) == [nil], "a store of saved orders is never asked, nor said to be unreachable")
        }
    }

    @Test func aFileThatIsNotOrdersStoresNothingAndSaysWhy() async throws {
        try await withTestApp { app in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-orders-\(UUID().uuidString).csv").path
            try "name,price\nshirt,9800\n".write(toFile: path, atomically: true, encoding: .utf8)
            await #expect {
                try await OrderImport.run(config: config(app), storeName: "CSV", path: path, mapping: [:]) { _, _ in }
            } throws: { error in
                "\(error)".contains("no order_number or ordered_at column")
            }
            await #expect {
                try await OrderImport.run(config: config(app), storeName: "CSV", path: path, mapping: ["order_no": "x"]) { _, _ in }
            } throws: { error in
                "\(error)".contains("no column order_no")
            }
            #expect(try await app.store.commerceStores.all().isEmpty)
        }
    }
}
