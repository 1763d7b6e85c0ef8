import Foundation
import KotaeCore
import KotaeStore

/// The demo shop's orders, so the panel beside 山田 太郎's 「まだ?」 shows his bicycle on its
/// way the moment a newcomer opens it. A store of saved orders (nothing to connect to offline):
/// the panel never asks it afresh, so it never says it is unreachable.
extension DemoShop {
    static func loadOrders(_ store: KotaeStore, now: Date) async throws {
        let shop = try await store.commerceStores.create(
            platform: .file, name: "みどりサイクル オンラインストア", settings: ["orderPrefix": "#"], now: now)
        func days(_ d: Double) -> Date { now.addingTimeInterval(-d * 86_400) }
        let yen = { (amount: String) in Money(amount: amount, currency: "JPY") }
        let address = PostalAddress(
            name: "山田 太郎", zip: "150-0001", province: "東京都", city: "渋谷区", address1: "神宮前1-2-3", phone: "090-1234-5678", country: "JP")
        let orders = [
            Order(
                key: OrderKey(store: shop.id, id: "demo-1042"), number: "#1042", email: "yamada.taro@example.jp", phone: "090-1234-5678",
                customerName: "山田 太郎", createdAt: days(8), updatedAt: days(5), payment: .paid, fulfilment: .fulfilled,
                total: yen("49800"),
                lines: [OrderLine(title: "折りたたみ自転車 ミドリ20", variant: "グリーン", sku: "FB20-GR", quantity: 1, unitPrice: yen("49800"))],
                shipments: [
                    Shipment(
                        id: "demo-1042-1", status: .delayed, createdAt: days(6), inTransitAt: days(5), estimatedAt: days(2),
                        tracking: [Tracking(company: "ヤマト運輸", number: "4512-3456-7890", url: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko")])
                ],
                shippingAddress: address, note: "日曜午前の配達希望"),
            Order(
                key: OrderKey(store: shop.id, id: "demo-0987"), number: "#0987", email: "yamada.taro@example.jp", customerName: "山田 太郎",
                createdAt: days(75), updatedAt: days(70), payment: .paid, fulfilment: .fulfilled, total: yen("3300"),
                lines: [OrderLine(title: "LEDライト", quantity: 1, unitPrice: yen("3300"))],
                shipments: [Shipment(id: "demo-0987-1", status: .delivered, createdAt: days(73), deliveredAt: days(71))],
                shippingAddress: address),
            Order(
                key: OrderKey(store: shop.id, id: "demo-1051"), number: "#1051", email: "kobayashi@example.co.jp", customerName: "小林 誠",
                createdAt: days(3), updatedAt: days(3), payment: .paid, fulfilment: .unfulfilled, total: yen("12100"),
                lines: [OrderLine(title: "ヘルメット", variant: "M", quantity: 1, unitPrice: yen("12100"))]),
        ]
        try await store.orders.save(orders.map { ($0, OrderKeys.of($0)) }, seenAt: now)
    }
}
