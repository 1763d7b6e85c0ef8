import KotaeCore
import Foundation
import KotaeChannels

/// A Shopify webhook delivery: REST-shaped JSON even for GraphQL apps, signed with the app's
/// client secret over the raw body, re-sent with the original payload for four hours.
public struct ShopifyWebhook: Sendable {
    public enum Topic: String, Sendable, CaseIterable {
        case ordersCreate = "orders/create"
        case ordersUpdated = "orders/updated"
        case ordersCancelled = "orders/cancelled"
        case fulfillmentsCreate = "fulfillments/create"
        case fulfillmentsUpdate = "fulfillments/update"
        case refundsCreate = "refunds/create"
    }

    /// What the delivery says happened.
    public enum Change: Sendable, Equatable {
        /// The whole order as it now is.
        case order(Order)
        /// One fulfilment of an order (its tracking and carrier status).
        case shipment(orderId: String, Shipment, at: Date)
        /// A refund on an order: its amounts change, read afresh.
        case refund(orderId: String)
        /// A topic Kotae has no use for.
        case ignored(String)
    }

    /// The delivery's own id: the same on every retry of it.
    public let webhookId: String?
    /// The event's id: the same for every delivery of one event.
    public let eventId: String?
    public let topic: String
    public let shopDomain: String?
    public let triggeredAt: Date?

    /// Reads the headers of a delivery whose signature was already checked.
    public init(header: (String) -> String?) {
        webhookId = header("X-Shopify-Webhook-Id")
        eventId = header("X-Shopify-Event-Id")
        topic = header("X-Shopify-Topic") ?? ""
        shopDomain = header("X-Shopify-Shop-Domain")
        triggeredAt = ShopifyTime.parse(header("X-Shopify-Triggered-At").map(Self.trimNanoseconds))
    }

    /// `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the client secret,
    /// compared in constant time.
    public static func verify(signature: String?, body: Data, secret: String) -> Bool {
        !secret.isEmpty && WebhookSignature.verifyBase64(header: signature, secret: secret, body: body)
    }

    /// The change a verified body describes.
    public func change(body: Data, store: Int64, adminBase: String?) throws -> Change {
        let decoder = JSONDecoder()
        switch Topic(rawValue: topic) {
        case .ordersCreate, .ordersUpdated, .ordersCancelled:
            let order = try decoder.decode(ShopifyWebhookOrder.self, from: body)
            return .order(order.order(store: store, adminBase: adminBase, triggeredAt: triggeredAt))
        case .fulfillmentsCreate, .fulfillmentsUpdate:
            let f = try decoder.decode(ShopifyWebhookOrder.Fulfillment.self, from: body)
            guard let orderId = f.order_id else { throw CommerceError(.badAnswer, "a fulfilment without order_id") }
            let shipment = f.shipment
            let at = ShopifyTime.parse(f.updated_at) ?? triggeredAt ?? shipment.createdAt ?? Date()
            return .shipment(orderId: ShopifyID.gid("Order", orderId), shipment, at: at)
        case .refundsCreate:
            struct Refund: Decodable { let order_id: Int64 }
            return .refund(orderId: ShopifyID.gid("Order", try decoder.decode(Refund.self, from: body).order_id))
        case nil:
            return .ignored(topic)
        }
    }

    /// `2026-10-30T05:41:03.123456789Z`: Shopify writes nanoseconds, ISO 8601 parsers take milliseconds.
    static func trimNanoseconds(_ s: String) -> String {
        guard let dot = s.firstIndex(of: "."), let end = s[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) else { return s }
        let digits = s[s.index(after: dot)..<end]
        return digits.count <= 3 ? s : String(s[..<dot]) + "." + digits.prefix(3) + s[end...]
    }
}

/// An order as webhooks send it (the REST resource's fields).
struct ShopifyWebhookOrder: Decodable {
    struct Customer: Decodable {
        let id: Int64?
        let email: String?
        let phone: String?
        let first_name: String?
        let last_name: String?
    }
    struct Line: Decodable {
        let id: Int64?
        let title: String
        let variant_title: String?
        let sku: String?
        let variant_id: Int64?
        let quantity: Int
        let current_quantity: Int?
        let price: String?
    }
    struct Address: Decodable {
        let name, zip, province, city, address1, address2, phone, country_code: String?
    }
    struct Fulfillment: Decodable {
        let id: Int64
        let order_id: Int64?
        let status: String?
        let shipment_status: String?
        let tracking_company: String?
        let tracking_number: String?
        let tracking_numbers: [String]?
        let tracking_url: String?
        let tracking_urls: [String]?
        let created_at: String?
        let updated_at: String?

        var shipment: Shipment {
            let numbers = tracking_numbers ?? tracking_number.map { [$0] } ?? []
            let urls = tracking_urls ?? tracking_url.map { [$0] } ?? []
            let status = ShopifyStatus.shipment(display: shipment_status, status: status)
            return Shipment(
                id: ShopifyID.gid("Fulfillment", id), status: status, createdAt: ShopifyTime.parse(created_at),
                deliveredAt: status == .delivered ? ShopifyTime.parse(updated_at) : nil,
                tracking: numbers.indices.map { i in
                    Tracking(company: tracking_company, number: numbers[i], url: i < urls.count ? urls[i] : nil)
                })
        }
    }

    let id: Int64
    let name: String
    let email: String?
    let phone: String?
    let created_at: String
    let updated_at: String?
    let cancelled_at: String?
    let financial_status: String?
    let fulfillment_status: String?
    let currency: String?
    let total_price: String?
    let current_total_price: String?
    let note: String?
    /// Comma-separated in REST.
    let tags: String?
    let order_status_url: String?
    let customer: Customer?
    let line_items: [Line]
    let fulfillments: [Fulfillment]?
    let shipping_address: Address?

    func order(store: Int64, adminBase: String?, triggeredAt: Date?) -> Order {
        let created = ShopifyTime.parse(created_at) ?? triggeredAt ?? Date(timeIntervalSince1970: 0)
        let money = { (amount: String?) in amount.flatMap { a in currency.map { Money(amount: a, currency: $0) } } }
        return Order(
            key: OrderKey(store: store, id: ShopifyID.gid("Order", id)), number: name, email: email ?? customer?.email,
            phone: phone ?? customer?.phone, customerName: customer.flatMap { PersonName.display(given: $0.first_name, family: $0.last_name) },
            customerId: customer?.id.map { ShopifyID.gid("Customer", $0) }, createdAt: created,
            // Without updated_at (orders/create), the event's own time orders deliveries.
            updatedAt: ShopifyTime.parse(updated_at) ?? triggeredAt ?? created, cancelledAt: ShopifyTime.parse(cancelled_at),
            payment: ShopifyStatus.payment(financial_status),
            fulfilment: cancelled_at != nil ? .cancelled : ShopifyStatus.fulfilment(fulfillment_status),
            total: money(current_total_price ?? total_price),
            lines: line_items.map {
                OrderLine(
                    id: $0.id.map { ShopifyID.gid("LineItem", $0) }, title: $0.title, variant: $0.variant_title, sku: $0.sku,
                    variantId: $0.variant_id.map { ShopifyID.gid("ProductVariant", $0) },
                    quantity: $0.quantity, currentQuantity: $0.current_quantity, unitPrice: money($0.price))
            },
            shipments: (fulfillments ?? []).map(\.shipment),
            shippingAddress: shipping_address.map {
                PostalAddress(
                    name: $0.name, zip: $0.zip, province: $0.province, city: $0.city, address1: $0.address1, address2: $0.address2,
                    phone: $0.phone, country: $0.country_code)
            },
            note: note, tags: (tags ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            statusURL: order_status_url, adminURL: adminBase.map { "\($0)/admin/orders/\(id)" })
    }
}

/// A person's name from its two parts, family name first when it is written in Japanese.
enum PersonName {
    static func display(given: String?, family: String?) -> String? {
        let parts = [given, family].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        let japanese = parts.joined().unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
        return japanese ? [family, given].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ") : parts.joined(separator: " ")
    }
}
