import Foundation
import KotaeCore

/// Fixes carried out in the shop's Shopify admin, each under the action's key.
extension ShopifyOrderSource: OrderActing {
    public func perform(_ action: OrderAction, on order: Order) async throws -> ActionOutcome {
        switch action.kind {
        case .refund: try await refund(action, order)
        case .coupon: try await coupon(action, order)
        case .reship: try await reship(action, order)
        case .note: try await tag(action, order)
        case .giftCard: try await giftCard(action, order)
        case .cancel: try await cancel(action, order)
        }
    }

    /// A gift card with the code Kotae made for the action (kept sealed until the agent reads
    /// it once): a retry finds the card by its code instead of making a second.
    private func giftCard(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        guard let code = action.secret, let amount = action.amount else { return .refused("the gift card's code or amount is missing") }
        struct Found: Decodable {
            struct Connection: Decodable {
                struct Card: Decodable { let lastCharacters: String }
                let nodes: [Card]
            }
            let giftCards: Connection
        }
        if let card = try await api.run(ShopifyMutations.giftCardByCode(code), as: Found.self).giftCards.nodes.first {
            return .confirmed("…" + card.lastCharacters)
        }
        struct Answer: Decodable {
            struct Created: Decodable {
                struct Card: Decodable { let lastCharacters: String }
                let giftCard: Card?
                let userErrors: [UserError]
            }
            let giftCardCreate: Created
        }
        let answer = try await api.run(
            ShopifyMutations.giftCardCreate(code: code, amount: amount, customer: order.customerId, note: "\(action.reason) (Kotae \(action.key))"),
            as: Answer.self
        ).giftCardCreate
        return answer.giftCard.map { .confirmed("…" + $0.lastCharacters) } ?? .refused(answer.userErrors.words)
    }

    /// Cancelling is a job at Shopify: asked for, then watched until done. An order already
    /// cancelled (an earlier try whose answer was lost) is confirmed without asking again.
    private func cancel(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        struct State: Decodable {
            struct Order: Decodable { let cancelledAt: String? }
            let order: Order?
        }
        if try await api.run(ShopifyMutations.cancelledAt(order.key.id), as: State.self).order?.cancelledAt != nil { return .confirmed(order.number) }
        struct Answer: Decodable {
            struct Cancel: Decodable {
                struct Job: Decodable {
                    let id: String
                    let done: Bool
                }
                let job: Job?
                let orderCancelUserErrors: [UserError]
            }
            let orderCancel: Cancel
        }
        let answer = try await api.run(ShopifyMutations.orderCancel(order.key.id, note: "\(action.reason) (Kotae \(action.key))"), as: Answer.self)
            .orderCancel
        guard let job = answer.job else { return .refused(answer.orderCancelUserErrors.words) }
        var done = job.done
        struct Polled: Decodable {
            struct Job: Decodable {
                let id: String
                let done: Bool
            }
            let job: Job?
        }
        for _ in 0..<20 where !done {
            try await Task.sleep(for: .milliseconds(500))
            done = try await api.run(ShopifyMutations.job(job.id), as: Polled.self).job?.done ?? false
        }
        // Still running: not known yet; asked again later, when the order shows whether it is cancelled.
        guard done else { throw CommerceError(.unreachable, "Shopify is still cancelling \(order.number)") }
        return .confirmed(order.number)
    }

    /// What Shopify would refund for `lines` (all of the order when none), to show before confirming.
    public func suggestRefund(order: String, lines: [OrderAction.Line]) async throws -> (RefundSuggestion, [GraphQLValue]) {
        struct Answer: Decodable {
            struct Order: Decodable {
                struct Suggestion: Decodable {
                    struct Transaction: Decodable {
                        struct Parent: Decodable { let id: String }
                        let gateway: String
                        let parentTransaction: Parent?
                        let amountSet: ShopifyOrderCard.MoneySet
                    }
                    let amountSet: ShopifyOrderCard.MoneySet
                    let maximumRefundableSet: ShopifyOrderCard.MoneySet
                    let suggestedTransactions: [Transaction]
                }
                let suggestedRefund: Suggestion?
            }
            let order: Order?
        }
        guard let suggestion = try await api.run(ShopifyMutations.suggestedRefund(order: order, lines: lines), as: Answer.self).order?.suggestedRefund
        else { throw CommerceError(.refused, "Shopify has no order \(order)") }
        let transactions = suggestion.suggestedTransactions.map { t -> GraphQLValue in
            var fields: [String: GraphQLValue] = [
                "orderId": .string(order), "gateway": .string(t.gateway), "kind": .string("REFUND"), "amount": .string(t.amountSet.shopMoney.amount),
            ]
            if let parent = t.parentTransaction { fields["parentId"] = .string(parent.id) }
            return .object(fields)
        }
        return (RefundSuggestion(amount: suggestion.amountSet.money, maximum: suggestion.maximumRefundableSet.money), transactions)
    }

    private func refund(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        let (suggestion, transactions) = try await suggestRefund(order: order.key.id, lines: action.lines)
        // What the agent confirmed must still be what Shopify would refund.
        if let agreed = action.amount?.decimal, let now = suggestion.amount.decimal, agreed != now {
            return .refused(
                "Shopify would now refund \(suggestion.amount.amount) \(suggestion.amount.currency), not the \(action.amount!.amount) confirmed")
        }
        struct Answer: Decodable {
            struct Created: Decodable {
                struct Refund: Decodable { let id: String }
                let refund: Refund?
                let userErrors: [UserError]
            }
            let refundCreate: Created
        }
        let answer = try await api.run(
            ShopifyMutations.refundCreate(
                order: order.key.id, key: action.key, lines: action.lines, transactions: transactions, note: "\(action.reason) (Kotae \(action.key))"),
            as: Answer.self
        ).refundCreate
        if let refund = answer.refund { return .confirmed(refund.id) }
        return .refused(answer.userErrors.words)
    }

    /// The code a coupon action creates: its order's number and part of its key, so a retry
    /// asks for the same code and finds it made.
    public static func couponCode(_ action: OrderAction) -> String {
        let number = action.orderNumber.filter { $0.isLetter || $0.isNumber }
        let tail = action.key.filter { $0.isLetter || $0.isNumber }.suffix(6).uppercased()
        return "SORRY-\(number)-\(tail)"
    }

    private func coupon(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        let code = Self.couponCode(action)
        struct Exists: Decodable {
            struct Node: Decodable { let id: String }
            let codeDiscountNodeByCode: Node?
        }
        if try await api.run(ShopifyMutations.codeExists(code), as: Exists.self).codeDiscountNodeByCode != nil { return .confirmed(code) }
        struct Answer: Decodable {
            struct Created: Decodable {
                struct Node: Decodable { let id: String }
                let codeDiscountNode: Node?
                let userErrors: [UserError]
            }
            let discountCodeBasicCreate: Created
        }
        let now = Date()
        let answer = try await api.run(
            ShopifyMutations.discountCreate(
                code: code, title: "お詫びクーポン \(order.number)", percent: action.percent ?? 10, customer: order.customerId, from: now,
                until: now.addingTimeInterval(90 * 86_400)),
            as: Answer.self
        ).discountCodeBasicCreate
        return answer.codeDiscountNode != nil ? .confirmed(code) : .refused(answer.userErrors.words)
    }

    private func reship(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        struct Draft: Decodable {
            struct Made: Decodable {
                let id: String
                let name: String
            }
            let id: String
            let name: String
            let status: String?
            let order: Made?
        }
        struct Found: Decodable {
            struct Connection: Decodable { let nodes: [Draft] }
            let draftOrders: Connection
        }
        // A replacement made by an earlier try (its answer lost) is found by the key, not made again.
        var draft = try await api.run(ShopifyMutations.draftOrders(tagged: action.key), as: Found.self).draftOrders.nodes.first
        if draft == nil {
            // Another shop system's order (Rakuten, BASE) is shipped from here: its buyer is not
            // this store's customer, and its masked address is not one to keep here.
            let foreign = order.key.store != store
            var lines: [GraphQLValue] = []
            for wanted in action.lines {
                guard let line = order.lines.first(where: { $0.id == wanted.lineId }) else {
                    return .refused("\(order.number) has no item \(wanted.lineId)")
                }
                lines.append(try await replacementLine(line, quantity: wanted.quantity, foreign: foreign))
            }
            guard !lines.isEmpty else { return .refused("no item to send again") }
            var input: [String: GraphQLValue] = [
                "lineItems": .list(lines),
                "appliedDiscount": .object(["title": .string("再送 \(order.number)"), "valueType": .string("PERCENTAGE"), "value": .double(100)]),
                "shippingLine": .object([
                    "title": .string("再送"),
                    "priceWithCurrency": .object(["amount": .string("0"), "currencyCode": .string(order.total?.currency ?? "JPY")]),
                ]),
                "note": .string("\(action.reason) (Kotae \(action.key), replacing \(order.number))"),
                "tags": .list([.string("kotae-reship"), .string(action.key)]),
            ]
            if !foreign, let customer = order.customerId { input["purchasingEntity"] = .object(["customerId": .string(customer)]) }
            if !foreign, let email = order.email { input["email"] = .string(email) }
            if let a = order.shippingAddress {
                var address: [String: GraphQLValue] = [:]
                for (key, value) in [
                    ("lastName", a.name), ("zip", a.zip), ("city", a.city), ("address1", a.address1), ("address2", a.address2), ("phone", a.phone),
                    ("countryCode", a.country),
                ] {
                    if let value { address[key] = .string(value) }
                }
                input["shippingAddress"] = .object(address)
            }
            struct Created: Decodable {
                struct Result: Decodable {
                    let draftOrder: Draft?
                    let userErrors: [UserError]
                }
                let draftOrderCreate: Result
            }
            let created = try await api.run(ShopifyMutations.draftOrderCreate(input), as: Created.self).draftOrderCreate
            guard let made = created.draftOrder else { return .refused(created.userErrors.words) }
            draft = made
        }
        guard let draft else { return .refused("no replacement order") }
        if let done = draft.order { return .confirmed(done.name, newOrder: done.id) }
        struct Completed: Decodable {
            struct Result: Decodable {
                let draftOrder: Draft?
                let userErrors: [UserError]
            }
            let draftOrderComplete: Result
        }
        let completed = try await api.run(ShopifyMutations.draftOrderComplete(draft.id), as: Completed.self).draftOrderComplete
        if let made = completed.draftOrder?.order { return .confirmed(made.name, newOrder: made.id) }
        return .refused(completed.userErrors.words)
    }

    /// One item of a replacement: the product variant it was (this store's own order), else
    /// the variant with its SKU (the same goods sold on Rakuten as on Shopify), else a custom
    /// item by title and SKU, so the warehouse still knows what to pack.
    private func replacementLine(_ line: OrderLine, quantity: Int, foreign: Bool) async throws -> GraphQLValue {
        if !foreign, let variant = line.variantId { return .object(["variantId": .string(variant), "quantity": .int(quantity)]) }
        if let sku = line.sku, !sku.isEmpty {
            struct Found: Decodable {
                struct Connection: Decodable {
                    struct Variant: Decodable {
                        let id: String
                        let sku: String?
                    }
                    let nodes: [Variant]
                }
                let productVariants: Connection
            }
            let found = try await api.run(ShopifyMutations.variantBySKU(sku), as: Found.self).productVariants.nodes
            // Shopify's search matches loosely: only the very SKU counts.
            if let variant = found.first(where: { $0.sku?.caseInsensitiveCompare(sku) == .orderedSame }) {
                return .object(["variantId": .string(variant.id), "quantity": .int(quantity)])
            }
        }
        var item: [String: GraphQLValue] = [
            "title": .string([line.title, line.variant].compactMap { $0 }.joined(separator: " / ")), "quantity": .int(quantity),
            "requiresShipping": .bool(true),
            "originalUnitPriceWithCurrency": .object([
                "amount": .string(line.unitPrice?.amount ?? "0"), "currencyCode": .string(line.unitPrice?.currency ?? "JPY"),
            ]),
        ]
        if let sku = line.sku { item["sku"] = .string(sku) }
        return .object(item)
    }

    private func tag(_ action: OrderAction, _ order: Order) async throws -> ActionOutcome {
        struct Answer: Decodable {
            struct Added: Decodable {
                let userErrors: [UserError]
            }
            let tagsAdd: Added
        }
        let tags = ["kotae", action.reason].filter { !$0.isEmpty }
        let answer = try await api.run(ShopifyMutations.tagsAdd(order.key.id, tags: tags), as: Answer.self).tagsAdd
        return answer.userErrors.isEmpty ? .confirmed(tags.joined(separator: ", ")) : .refused(answer.userErrors.words)
    }
}
