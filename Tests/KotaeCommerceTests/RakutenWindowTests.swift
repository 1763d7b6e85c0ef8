import KotaeFixtures
import Foundation
import KotaeCommerce
import KotaeCore
import Testing

struct RakutenWindowTests {
    @Test func twoYearsInWindowsOfAtMost63DaysWithNoGapAndNoOverlap() {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let windows = RakutenRMS.windows(until: now)
        #expect(windows.count == 12)
        #expect(windows.first?.to == now)
        #expect(windows.last?.from == now.addingTimeInterval(-730 * 86_400))
        for w in windows { #expect(w.to.timeIntervalSince(w.from) <= 63 * 86_400 && w.to > w.from) }
        for (newer, older) in zip(windows, windows.dropFirst()) { #expect(newer.from.timeIntervalSince(older.to) == 1) }
    }

    @Test func onlyRakutensMaskedAddressesAreRakutens() {
        #expect(OrderLookup.isRakutenMasked("a1b2c3@pc.fw.rakuten.ne.jp"))
        #expect(OrderLookup.isRakutenMasked("A1B2C3@FW.RAKUTEN.NE.JP"))
        #expect(!OrderLookup.isRakutenMasked("hanako@example.jp"))
        #expect(!OrderLookup.isRakutenMasked("shop@shop.rakuten.co.jp"))
    }

    @Test func aGetOrderBodyReadsAsAnOrderWithTheStatusInRakutensCode() throws {
        let doc = try Fixture.json("rakuten/getOrder-minimal.doc-example.json")
        let body = try JSONSerialization.data(withJSONObject: ((doc["response"] as! [String: Any])["body"] as! [String: Any])["OrderModelList"]!)
        let order = try JSONDecoder().decode([RakutenOrder].self, from: body)[0].order(store: 3, seenAt: Date())
        #expect(order.key == OrderKey(store: 3, id: "123456-20261028-0000012345"))
        #expect(order.number == "123456-20261028-0000012345")
        #expect(order.platformStatus == "500" && order.fulfilment == .fulfilled)
        #expect(order.customerName == "山田 花子" && order.phone == "090-1234-5678")
        #expect(order.email == "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6@pc.fw.rakuten.ne.jp")
        #expect(order.lines.map(\.title) == ["リネンシャツ", "ソックス"] && order.lines[0].variant == "カラー:ネイビー / サイズ:M")
        #expect(order.total == Money(amount: "12800", currency: "JPY"))
        #expect(order.shipments.map(\.status) == [.shipped])
        #expect(order.shipments[0].tracking == [Tracking(company: "ヤマト運輸", number: "123456789012")])
        #expect(order.createdAt == Date(timeIntervalSince1970: 1_793_149_964))
    }
}
