import Foundation
import KotaeCore

/// One order of `getOrder` (version 7), as RMS writes it, and its reading as an `Order`.
public struct RakutenOrder: Decodable, Sendable {
    struct Person: Decodable, Sendable {
        let zipCode1, zipCode2, prefecture, city, subAddress, familyName, firstName: String?
        let phoneNumber1, phoneNumber2, phoneNumber3, emailAddress: String?

        var name: String? { [familyName, firstName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ").nilIfEmpty }
        var phone: String? { [phoneNumber1, phoneNumber2, phoneNumber3].compactMap { $0 }.joined(separator: "-").nilIfEmpty }
        var zip: String? { [zipCode1, zipCode2].compactMap { $0 }.joined(separator: "-").nilIfEmpty }
    }
    struct Item: Decodable, Sendable {
        let itemDetailId: Int64?
        let itemName: String
        let itemNumber: String?
        let price: Int?
        let units: Int
        let selectedChoice: String?
    }
    struct Shipping: Decodable, Sendable {
        let shippingDetailId: Int64?
        let shippingNumber: String?
        let deliveryCompany: String?
        let deliveryCompanyName: String?
        let shippingDate: String?
    }
    struct Package: Decodable, Sendable {
        let basketId: Int64?
        let SenderModel: Person?
        let senderModel: Person?
        let ItemModelList: [Item]?
        let ShippingModelList: [Shipping]?
    }

    public let orderNumber: String
    /// 100–900: 注文確認待ち … キャンセル確定.
    public let orderProgress: Int
    let orderDatetime: String
    let shippingCmplRptDatetime: String?
    let remarks: String?
    let totalPrice: Int?
    let OrdererModel: Person?
    let PackageModelList: [Package]?

    /// `adminBase`: none; RMS has no link to one order that a browser without R-Login opens.
    public func order(store: ID, seenAt: Date) -> Order {
        let ordered = Self.parse(orderDatetime) ?? seenAt
        let packages = PackageModelList ?? []
        let sender = packages.lazy.compactMap { $0.SenderModel ?? $0.senderModel }.first
        let shipments = packages.flatMap { p in
            (p.ShippingModelList ?? []).enumerated().map { i, s in
                Shipment(
                    id: "\(orderNumber)/\(p.basketId ?? 0)/\(s.shippingDetailId.map(String.init) ?? String(i))",
                    status: orderProgress == 900 ? .cancelled : .shipped,
                    createdAt: s.shippingDate.flatMap { Self.parse($0 + "T00:00:00+0900") },
                    tracking: [Tracking(company: s.deliveryCompanyName ?? s.deliveryCompany, number: s.shippingNumber, url: nil)])
            }
        }
        let yen = { (amount: Int) in Money(amount: String(amount), currency: "JPY") }
        return Order(
            key: OrderKey(store: store, id: orderNumber), number: orderNumber, email: OrdererModel?.emailAddress, phone: OrdererModel?.phone,
            customerName: OrdererModel?.name, createdAt: ordered,
            // RMS gives no last-change time; the latest it names, else when Kotae read it.
            updatedAt: Self.parse(shippingCmplRptDatetime ?? "") ?? seenAt,
            cancelledAt: orderProgress == 900 ? seenAt : nil, payment: .unknown, fulfilment: Self.fulfilment(orderProgress),
            platformStatus: String(orderProgress),
            // −9999: not fixed yet.
            total: totalPrice.flatMap { $0 == -9999 ? nil : yen($0) },
            lines: packages.flatMap { $0.ItemModelList ?? [] }.map {
                OrderLine(
                    id: $0.itemDetailId.map(String.init), title: $0.itemName, variant: $0.selectedChoice?.replacingOccurrences(of: "\n", with: " / "),
                    sku: $0.itemNumber, quantity: $0.units, unitPrice: $0.price.map(yen))
            },
            shipments: shipments,
            shippingAddress: sender.map {
                PostalAddress(
                    name: $0.name, zip: $0.zip, province: $0.prefecture, city: $0.city, address1: $0.subAddress, phone: $0.phone, country: "JP")
            },
            note: remarks)
    }

    static func fulfilment(_ progress: Int) -> FulfilmentState {
        switch progress {
        case 100, 200, 300, 400: .unfulfilled
        case 500, 600, 700: .fulfilled
        case 800, 900: .cancelled
        default: .unknown
        }
    }

    static func parse(_ text: String) -> Date? { ShopDates.formatter(RakutenRMS.pattern).date(from: text) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
