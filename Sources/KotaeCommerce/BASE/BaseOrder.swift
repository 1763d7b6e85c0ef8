import Foundation
import KotaeCore

/// An order as BASE lists it: enough to tell whether it changed since Kotae read it.
public struct BaseOrderSummary: Decodable, Sendable {
    public let unique_key: String
    public let ordered: Double
    public let modified: Double?
}

/// An order's detail (`/1/orders/detail/:unique_key`), and its reading as an `Order`.
public struct BaseOrder: Decodable, Sendable {
    struct Item: Decodable, Sendable {
        let order_item_id: Int64?
        let variation_id: Int64?
        let title: String
        let variation: String?
        let price: Int?
        let amount: Int
    }
    let unique_key: String
    let ordered: Double
    let cancelled: Double?
    let dispatched: Double?
    let payment: String?
    let shipping_method: String?
    let total: Int?
    let first_name: String?
    let last_name: String?
    let zip_code: String?
    let prefecture: String?
    let address: String?
    let address2: String?
    let mail_address: String?
    let tel: String?
    let remark: String?
    let tracking_number: String?
    let dispatch_status: String?
    let modified: Double?
    let order_items: [Item]?

    public func order(store: ID) -> Order {
        let placed = Date(timeIntervalSince1970: ordered)
        let yen = { (n: Int) in Money(amount: String(n), currency: "JPY") }
        let name = [last_name, first_name].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        var shipments: [Shipment] = []
        if let dispatched {
            shipments.append(
                Shipment(
                    id: "\(unique_key)/1", status: .shipped, createdAt: Date(timeIntervalSince1970: dispatched),
                    tracking: tracking_number.map { [Tracking(company: shipping_method, number: $0)] } ?? []))
        }
        return Order(
            key: OrderKey(store: store, id: unique_key), number: unique_key, email: mail_address, phone: tel,
            customerName: name.isEmpty ? nil : name, createdAt: placed, updatedAt: modified.map { Date(timeIntervalSince1970: $0) } ?? placed,
            cancelledAt: cancelled.map { Date(timeIntervalSince1970: $0) },
            payment: dispatch_status == "unpaid" ? .pending : cancelled != nil ? .voided : .paid, fulfilment: Self.fulfilment(dispatch_status),
            total: total.map(yen),
            lines: (order_items ?? []).map {
                OrderLine(
                    id: $0.order_item_id.map(String.init), title: $0.title, variant: $0.variation, variantId: $0.variation_id.map(String.init),
                    quantity: $0.amount, unitPrice: $0.price.map(yen))
            },
            shipments: shipments,
            shippingAddress: PostalAddress(
                name: name.isEmpty ? nil : name, zip: zip_code, province: prefecture, city: address, address1: address2, phone: tel, country: "JP"),
            note: remark.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// ordered, unpaid, shipping, dispatched, cancelled.
    static func fulfilment(_ status: String?) -> FulfilmentState {
        switch status {
        case "ordered", "unpaid": .unfulfilled
        case "shipping": .inProgress
        case "dispatched": .fulfilled
        case "cancelled": .cancelled
        default: .unknown
        }
    }
}

/// A BASE shop: an order read by its number; everything else from Kotae's copy, which
/// `sync(since:)` keeps current (BASE cannot be searched by address).
public struct BaseOrderSource: OrderSource {
    public let store: ID
    let api: BaseAPI
    public var platform: CommercePlatform { .base }

    public init(store: ID, api: BaseAPI) {
        self.store = store
        self.api = api
    }

    public func orders(_ lookup: OrderLookup, _ value: String) async throws -> [Order] {
        guard lookup == .number else { return [] }
        return try await order(id: value).map { [$0] } ?? []
    }

    public func order(id: String) async throws -> Order? { try await api.detail(id)?.order(store: store) }

    /// Reads the orders placed since `since`, and the detail of each that changed since
    /// `known(key)` (the cached state's time): `save` gets them a page at a time.
    public func sync(since: Date, until: Date = Date(), known: (String) async throws -> Date?, save: ([Order]) async throws -> Void) async throws
        -> Int
    {
        var offset = 0
        var read = 0
        while true {
            let page = try await api.orders(from: since, to: until, offset: offset)
            var changed: [Order] = []
            for summary in page {
                let modified = Date(timeIntervalSince1970: summary.modified ?? summary.ordered)
                if let cached = try await known(summary.unique_key), cached >= modified { continue }
                if let detail = try await api.detail(summary.unique_key) { changed.append(detail.order(store: store)) }
            }
            try await save(changed)
            read += changed.count
            guard page.count == 100 else { return read }
            offset += 100
        }
    }
}
