import KotaeCore
import Foundation

/// The `OrderCard` fragment as Shopify answers it, and its reading as an `Order`.
struct ShopifyOrderCard: Decodable {
    struct MoneySet: Decodable {
        struct Amount: Decodable {
            let amount: String
            let currencyCode: String
        }
        let shopMoney: Amount
        var money: Money { Money(amount: shopMoney.amount, currency: shopMoney.currencyCode) }
    }
    struct Customer: Decodable {
        let id: String
        let displayName: String?
        let email: String?
        let phone: String?
    }
    struct Address: Decodable {
        let name, zip, province, city, address1, address2, phone, countryCodeV2: String?
    }
    struct Variant: Decodable { let id: String }
    struct Lines: Decodable {
        struct Line: Decodable {
            let id: String
            let title: String
            let variantTitle: String?
            let sku: String?
            let variant: Variant?
            let quantity: Int
            let currentQuantity: Int?
            let originalUnitPriceSet: MoneySet?
        }
        let nodes: [Line]
    }
    struct Fulfillment: Decodable {
        struct Track: Decodable { let company, number, url: String? }
        let id: String
        let status: String?
        let displayStatus: String?
        let createdAt, inTransitAt, estimatedDeliveryAt, deliveredAt: String?
        let trackingInfo: [Track]
    }

    let id: String
    let name: String
    let email: String?
    let phone: String?
    let createdAt: String
    let updatedAt: String
    let cancelledAt: String?
    let note: String?
    let tags: [String]
    let statusPageUrl: String?
    let displayFinancialStatus: String?
    let displayFulfillmentStatus: String?
    let currentTotalPriceSet: MoneySet?
    let customer: Customer?
    let shippingAddress: Address?
    let lineItems: Lines
    let fulfillments: [Fulfillment]

    func order(store: Int64, adminBase: String?) -> Order {
        let created = ShopifyTime.parse(createdAt) ?? Date(timeIntervalSince1970: 0)
        let shipments = fulfillments.map { f in
            Shipment(
                id: f.id, status: ShopifyStatus.shipment(display: f.displayStatus, status: f.status),
                createdAt: ShopifyTime.parse(f.createdAt), inTransitAt: ShopifyTime.parse(f.inTransitAt),
                estimatedAt: ShopifyTime.parse(f.estimatedDeliveryAt), deliveredAt: ShopifyTime.parse(f.deliveredAt),
                tracking: f.trackingInfo.map { Tracking(company: $0.company, number: $0.number, url: $0.url) })
        }
        return Order(
            key: OrderKey(store: store, id: id), number: name, email: email ?? customer?.email, phone: phone ?? customer?.phone,
            customerName: customer?.displayName ?? shippingAddress?.name, customerId: customer?.id, createdAt: created,
            updatedAt: ShopifyTime.parse(updatedAt) ?? created, cancelledAt: ShopifyTime.parse(cancelledAt),
            payment: ShopifyStatus.payment(displayFinancialStatus),
            fulfilment: cancelledAt != nil ? .cancelled : ShopifyStatus.fulfilment(displayFulfillmentStatus),
            total: currentTotalPriceSet?.money,
            lines: lineItems.nodes.map {
                OrderLine(
                    id: $0.id, title: $0.title, variant: $0.variantTitle, sku: $0.sku, variantId: $0.variant?.id, quantity: $0.quantity,
                    currentQuantity: $0.currentQuantity, unitPrice: $0.originalUnitPriceSet?.money)
            },
            shipments: shipments,
            shippingAddress: shippingAddress.map {
                PostalAddress(
                    name: $0.name, zip: $0.zip, province: $0.province, city: $0.city, address1: $0.address1, address2: $0.address2,
                    phone: $0.phone, country: $0.countryCodeV2)
            },
            note: note, tags: tags, statusURL: statusPageUrl,
            adminURL: adminBase.map { "\($0)/admin/orders/\(ShopifyID.number(id))" })
    }
}

/// `gid://shopify/Order/5829416312932` and its number.
enum ShopifyID {
    static func number(_ gid: String) -> String { String(gid.split(separator: "/").last ?? Substring(gid)) }
    static func gid(_ type: String, _ number: Int64) -> String { "gid://shopify/\(type)/\(number)" }
}

/// Shopify writes a status `PARTIALLY_REFUNDED` in GraphQL and `partially_refunded` in
/// webhooks; both read the same.
enum ShopifyStatus {
    static func payment(_ raw: String?) -> PaymentState {
        switch raw?.uppercased() {
        case "PENDING": .pending
        case "AUTHORIZED": .authorized
        case "PAID": .paid
        case "PARTIALLY_PAID": .partiallyPaid
        case "PARTIALLY_REFUNDED": .partiallyRefunded
        case "REFUNDED": .refunded
        case "VOIDED": .voided
        case "EXPIRED": .expired
        default: .unknown
        }
    }

    static func fulfilment(_ raw: String?) -> FulfilmentState {
        switch raw?.uppercased() {
        case nil, "UNFULFILLED", "PENDING_FULFILLMENT", "OPEN", "REQUEST_DECLINED": .unfulfilled
        case "PARTIALLY_FULFILLED", "PARTIAL": .partiallyFulfilled
        case "FULFILLED": .fulfilled
        case "IN_PROGRESS": .inProgress
        case "ON_HOLD": .onHold
        case "SCHEDULED": .scheduled
        case "RESTOCKED": .restocked
        default: .unknown
        }
    }

    /// A fulfilment's carrier status (`displayStatus`, or a webhook's `shipment_status`), else
    /// its own state (`status`: success, cancelled, failure…).
    static func shipment(display: String?, status: String?) -> ShipmentStatus {
        switch display?.uppercased() {
        case "DELIVERED", "PICKED_UP": return .delivered
        case "IN_TRANSIT", "READY_FOR_PICKUP": return .inTransit
        case "OUT_FOR_DELIVERY": return .outForDelivery
        case "ATTEMPTED_DELIVERY": return .attemptedDelivery
        case "DELAYED": return .delayed
        case "NOT_DELIVERED": return .notDelivered
        case "FAILURE": return .failed
        case "CANCELED", "CANCELLED", "LABEL_VOIDED": return .cancelled
        case "CONFIRMED", "FULFILLED", "MARKED_AS_FULFILLED", "LABEL_PRINTED", "LABEL_PURCHASED", "SUBMITTED": return .confirmed
        default: break
        }
        switch status?.uppercased() {
        case "CANCELLED": return .cancelled
        case "FAILURE", "ERROR": return .failed
        case "SUCCESS", "OPEN", "PENDING": return .confirmed
        default: return .unknown
        }
    }
}

enum ShopifyTime {
    private static let plain = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2026-10-28T01:12:44Z` (GraphQL) or `2026-10-28T10:12:44+09:00` (webhooks).
    static func parse(_ s: String?) -> Date? {
        guard let s else { return nil }
        return (try? plain.parse(s)) ?? (try? fractional.parse(s))
    }
}
