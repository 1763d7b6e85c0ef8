import KotaeFixtures
import Foundation
import KotaeCommerce
import KotaeCore
import Testing

struct OrderCSVTests {
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/orders-template.csv")

    @Test func theTemplateReadsAsTwoOrdersWithTheirItemsAndParcel() throws {
        let read = try OrderCSV().read(try Data(contentsOf: Self.template), store: 4)
        #expect(read.rows == 3 && read.warnings.isEmpty)
        #expect(read.orders.map(\.number) == ["#2001", "#2002"])
        let first = read.orders[0]
        #expect(first.key == OrderKey(store: 4, id: "#2001"))
        #expect(first.lines.map(\.title) == ["リネンシャツ", "ソックス"] && first.lines[1].quantity == 2)
        #expect(first.shipments.count == 1 && first.shipments[0].status == .shipped)
        #expect(first.shipments[0].tracking == [Tracking(company: "ヤマト運輸", number: "4512-3456-7890")])
        #expect(first.payment == .paid && first.fulfilment == .fulfilled)
        #expect(first.createdAt == Date(timeIntervalSince1970: 1_795_137_120))  // 2026-11-20 10:12 in Tokyo
        #expect(read.orders[1].total == Money(amount: "3300", currency: "JPY") && read.orders[1].payment == .pending)
    }

    @Test func aShiftJISFileFromAnotherSystemWithAMappedColumn() throws {
        let data = try Fixture.data("orders/orders-sjis.csv")
        #expect(throws: OrderCSV.Failure.self) { try OrderCSV().read(data, store: 1) }
        let read = try OrderCSV(mapping: [.orderNumber: "受注ID"]).read(data, store: 1)
        #expect(read.charset != "utf-8")
        #expect(read.orders.map(\.number) == ["R-0001", "R-0002"])
        let gift = read.orders[0]
        #expect(gift.lines.map(\.title) == ["髙島屋の紙袋（ギフト）"] && gift.lines[0].variant == "①赤" && gift.lines[0].quantity == 1)
        #expect(gift.phone == "０９０－１２３４－５６７８" && gift.total == Money(amount: "1100", currency: "JPY"))
        #expect(read.orders[1].note == "㈱コバヤシ宛の領収書")
        #expect(
            read.warnings == ["row 3: quantity \"二\" is not a number; read as 1", "row 4: order R-0003 has no readable order date (empty); left out"])
    }

    @Test func aFileWithoutTheRequiredColumnsSaysWhichAndWhatItHas() {
        let data = Data("id,date,mail\n1,2026-11-20,a@example.jp\n".utf8)
        #expect {
            try OrderCSV().read(data, store: 1)
        } throws: { error in
            "\(error)".contains("no order_number or ordered_at column") && "\(error)".contains("it has: id, date, mail")
        }
        #expect(throws: OrderCSV.Failure.self) { try OrderCSV(mapping: [.orderNumber: "注文ID"]).read(data, store: 1) }
    }
}
