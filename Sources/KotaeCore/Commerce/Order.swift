import Foundation

/// An order as the sidebar shows it, whatever shop system it came from. Amounts stay decimal
/// strings as the platform wrote them (yen have no fraction; a float would invent one).
public struct Order: Codable, Sendable, Equatable {
    public var key: OrderKey
    /// What the customer sees and types: `#1042`, `123456-20260417-0207814266`.
    public var number: String
    public var email: String?
    public var phone: String?
    public var customerName: String?
    /// The platform's customer id (`gid://shopify/Customer/…`), when it has one.
    public var customerId: String?
    public var createdAt: Date
    /// The platform's own last change; a webhook older than the cached order is stale.
    public var updatedAt: Date
    public var cancelledAt: Date?
    public var payment: PaymentState
    public var fulfilment: FulfilmentState
    /// A status the platform has beyond the two above (Rakuten's 100–900), as its code.
    public var platformStatus: String?
    public var total: Money?
    public var lines: [OrderLine]
    public var shipments: [Shipment]
    public var shippingAddress: PostalAddress?
    public var note: String?
    public var tags: [String]
    /// The customer's own order-status page, for a reply.
    public var statusURL: String?
    /// The order in the shop's admin, for the agent.
    public var adminURL: String?

    public init(
        key: OrderKey, number: String, email: String? = nil, phone: String? = nil, customerName: String? = nil,
        customerId: String? = nil, createdAt: Date, updatedAt: Date, cancelledAt: Date? = nil,
        payment: PaymentState = .unknown, fulfilment: FulfilmentState = .unknown, platformStatus: String? = nil,
        total: Money? = nil, lines: [OrderLine] = [], shipments: [Shipment] = [], shippingAddress: PostalAddress? = nil,
        note: String? = nil, tags: [String] = [], statusURL: String? = nil, adminURL: String? = nil
    ) {
        self.key = key
        self.number = number
        self.email = email
        self.phone = phone
        self.customerName = customerName
        self.customerId = customerId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.cancelledAt = cancelledAt
        self.payment = payment
        self.fulfilment = fulfilment
        self.platformStatus = platformStatus
        self.total = total
        self.lines = lines
        self.shipments = shipments
        self.shippingAddress = shippingAddress
        self.note = note
        self.tags = tags
        self.statusURL = statusURL
        self.adminURL = adminURL
    }

    /// Delivered when every shipment is; nil while nothing has shipped.
    public var delivered: Bool? {
        shipments.isEmpty ? nil : shipments.allSatisfy { $0.status == .delivered || $0.deliveredAt != nil }
    }
}

/// Which order, of which connected store: the same `#1001` exists in each Shopify store.
public struct OrderKey: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The connected store (`commerce_stores.id`).
    public var store: Int64
    /// The platform's id of the order (`gid://shopify/Order/…`, a Rakuten order number).
    public var id: String

    public init(store: Int64, id: String) {
        self.store = store
        self.id = id
    }

    public var description: String { "\(store):\(id)" }
}

public struct Money: Codable, Sendable, Equatable {
    /// Decimal text as the platform sent it: `12800.0`, `4400`.
    public var amount: String
    /// ISO 4217: `JPY`.
    public var currency: String

    public init(amount: String, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    public var decimal: Decimal? { Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")) }
}

public struct OrderLine: Codable, Sendable, Equatable {
    public var id: String?
    public var title: String
    public var variant: String?
    public var sku: String?
    /// What a replacement order orders again (Shopify's product variant).
    public var variantId: String?
    public var quantity: Int
    /// After removals and refunds, where the platform says.
    public var currentQuantity: Int?
    public var unitPrice: Money?

    public init(
        id: String? = nil, title: String, variant: String? = nil, sku: String? = nil, variantId: String? = nil, quantity: Int,
        currentQuantity: Int? = nil, unitPrice: Money? = nil
    ) {
        self.id = id
        self.title = title
        self.variant = variant
        self.sku = sku
        self.variantId = variantId
        self.quantity = quantity
        self.currentQuantity = currentQuantity
        self.unitPrice = unitPrice
    }
}

/// A parcel on its way (Shopify's fulfilment, Rakuten's shipping model).
public struct Shipment: Codable, Sendable, Equatable {
    public var id: String
    public var status: ShipmentStatus
    public var createdAt: Date?
    public var inTransitAt: Date?
    public var estimatedAt: Date?
    public var deliveredAt: Date?
    public var tracking: [Tracking]

    public init(
        id: String, status: ShipmentStatus, createdAt: Date? = nil, inTransitAt: Date? = nil, estimatedAt: Date? = nil,
        deliveredAt: Date? = nil, tracking: [Tracking] = []
    ) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.inTransitAt = inTransitAt
        self.estimatedAt = estimatedAt
        self.deliveredAt = deliveredAt
        self.tracking = tracking
    }
}

public struct Tracking: Codable, Sendable, Equatable {
    public var company: String?
    public var number: String?
    public var url: String?

    public init(company: String? = nil, number: String? = nil, url: String? = nil) {
        self.company = company
        self.number = number
        self.url = url
    }
}

public struct PostalAddress: Codable, Sendable, Equatable {
    public var name: String?
    public var zip: String?
    public var province: String?
    public var city: String?
    public var address1: String?
    public var address2: String?
    public var phone: String?
    public var country: String?

    public init(
        name: String? = nil, zip: String? = nil, province: String? = nil, city: String? = nil, address1: String? = nil,
        address2: String? = nil, phone: String? = nil, country: String? = nil
    ) {
        self.name = name
        self.zip = zip
        self.province = province
        self.city = city
        self.address1 = address1
        self.address2 = address2
        self.phone = phone
        self.country = country
    }
}
