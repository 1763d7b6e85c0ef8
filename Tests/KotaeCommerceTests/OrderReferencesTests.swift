import KotaeCommerce
import KotaeCore
import Testing

struct OrderReferencesTests {
    let shopify = StoreNumbering(store: 1, platform: .shopify)
    let rakuten = StoreNumbering(store: 2, platform: .rakuten, prefix: "", suffix: "")

    @Test func aShopifyNameInTheStoresFormat() {
        #expect(OrderReferences.find(in: "#1042 がまだ届きません", stores: [shopify]) == [OrderReference(store: 1, number: "#1042")])
        // Full-width, as a Japanese phone keyboard writes it.
        #expect(OrderReferences.find(in: "＃１０４２の件", stores: [shopify]) == [OrderReference(store: 1, number: "#1042")])
        let english = StoreNumbering(store: 3, platform: .shopify, prefix: "EN", suffix: "-A")
        #expect(OrderReferences.find(in: "about EN1042-A please", stores: [english]) == [OrderReference(store: 3, number: "EN1042-A")])
        #expect(OrderReferences.find(in: "about 1042-A please", stores: [english]).isEmpty)
    }

    @Test func aBareNumberCountsOnlyAfterALabelThatSaysSo() {
        #expect(OrderReferences.find(in: "1042個ください", stores: [shopify]).isEmpty)
        #expect(OrderReferences.find(in: "注文番号：1042 です", stores: [shopify]) == [OrderReference(store: 1, number: "#1042")])
        #expect(OrderReferences.find(in: "Order no. 1042", stores: [shopify]) == [OrderReference(store: 1, number: "#1042")])
    }

    @Test func aRakutenNumberWithAnyDash() {
        let number = "123456-20260417-0207814266"
        for text in ["注文番号 \(number) の件", "123456ー20260417ー0207814266", "１２３４５６－２０２６０４１７－０２０７８１４２６６"] {
            #expect(OrderReferences.find(in: text, stores: [rakuten]) == [OrderReference(store: 2, number: number)], "\(text)")
        }
        #expect(OrderReferences.find(in: "1234567-20260417-0207814266", stores: [rakuten]).isEmpty)
    }

    @Test func aRakutenNumberIsNotAlsoAShopifyOne() {
        let found = OrderReferences.find(in: "注文番号 123456-20260417-0207814266", stores: [shopify, rakuten])
        #expect(found == [OrderReference(store: 2, number: "123456-20260417-0207814266")])
    }

    @Test func theSameNumberInTwoStoresIsAskedOfBoth() {
        let other = StoreNumbering(store: 5, platform: .shopify)
        #expect(
            OrderReferences.find(in: "#1001", stores: [shopify, other]) == [
                OrderReference(store: 1, number: "#1001"), OrderReference(store: 5, number: "#1001"),
            ])
    }
}
