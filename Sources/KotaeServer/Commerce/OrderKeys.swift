import KotaeCommerce
import KotaeCore
import KotaeStore

/// The columns an order is found by, written as lookups write them.
enum OrderKeys {
    static func of(_ order: Order) -> CommerceOrders.Keys {
        CommerceOrders.Keys(
            email: order.email.map { $0.lowercased() }, phone: (order.phone ?? order.shippingAddress?.phone).flatMap { PhoneNumber.e164($0) })
    }
}
