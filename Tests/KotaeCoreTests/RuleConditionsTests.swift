import Foundation
import Testing

@testable import KotaeCore

/// Each condition of an automation rule, holding and not holding.
@Suite struct RuleConditionsTests {
    let facts = RuleFacts(
        channel: .line, inboxId: 3, status: .open, labels: ["返品"], contactEmail: "hanako@Example.co.jp", text: "届いたカップが割れていました",
        triage: TriageResult(intent: .defect, confidence: 0.8, sentiment: .negative, urgent: true, needsReply: true), rating: nil,
        inBusinessHours: false)

    func holds(_ c: RuleConditions, _ f: RuleFacts? = nil) -> Bool { c.matches(f ?? facts) }

    @Test func noConditionHoldsAlways() { #expect(holds(RuleConditions())) }

    @Test func eachConditionBothWays() {
        #expect(holds(.init(channels: [.email, .line])) && !holds(.init(channels: [.email])))
        #expect(holds(.init(inboxIds: [3])) && !holds(.init(inboxIds: [4])))
        // Folded: full-width and case do not matter; any word will do.
        #expect(holds(.init(textContains: ["送料", "ｶｯﾌﾟ"])) && !holds(.init(textContains: ["送料"])))
        #expect(holds(.init(language: "ja")) && !holds(.init(language: "en")))
        #expect(holds(.init(intents: [.defect, .wrongItem])) && !holds(.init(intents: [.refund])))
        #expect(holds(.init(sentiments: [.negative])) && !holds(.init(sentiments: [.positive])))
        #expect(holds(.init(urgent: true)) && !holds(.init(urgent: false)))
        #expect(holds(.init(labels: ["返品", "VIP"])) && !holds(.init(labels: ["VIP"])))
        #expect(holds(.init(contactEmailDomains: ["example.co.jp"])) && !holds(.init(contactEmailDomains: ["example.com"])))
        #expect(holds(.init(statuses: [.open])) && !holds(.init(statuses: [.resolved])))
        #expect(holds(.init(duringBusinessHours: false)) && !holds(.init(duringBusinessHours: true)))
        var rated = facts
        rated.rating = 2
        #expect(holds(.init(ratings: [1, 2]), rated) && !holds(.init(ratings: [4, 5]), rated))
    }

    @Test func allMustHoldAndWhatTheEventLacksDoesNotHold() {
        #expect(!holds(.init(channels: [.line], intents: [.refund])))
        var bare = facts
        bare.text = nil
        bare.triage = nil
        #expect(!holds(.init(textContains: ["カップ"]), bare))
        #expect(!holds(.init(intents: [.defect]), bare))
        #expect(!holds(.init(ratings: [5])), "no rating without a CSAT answer")
        #expect(RuleFacts(channel: .email, inboxId: 1, status: .open, text: "Where is my order?").language == "en")
    }

    /// An order's states as a rule reads them, from payment, fulfilment and parcels.
    @Test func anOrdersStatesComeFromItsPaymentFulfilmentAndParcels() {
        func order(
            payment: PaymentState = .paid, fulfilment: FulfilmentState = .unfulfilled, parcels: [ShipmentStatus] = [], cancelled: Bool = false
        ) -> Order {
            Order(
                key: OrderKey(store: 1, id: "o"), number: "#1", createdAt: Date(), updatedAt: Date(), cancelledAt: cancelled ? Date() : nil,
                payment: payment, fulfilment: fulfilment, shipments: parcels.enumerated().map { Shipment(id: "s\($0.offset)", status: $0.element) })
        }
        #expect(RuleOrderState.of(order(payment: .pending)) == [.unpaid, .unshipped])
        #expect(RuleOrderState.of(order(fulfilment: .fulfilled, parcels: [.inTransit])) == [.paid, .shipped])
        #expect(RuleOrderState.of(order(fulfilment: .fulfilled, parcels: [.delayed])) == [.paid, .shipped, .deliveryProblem])
        #expect(RuleOrderState.of(order(fulfilment: .fulfilled, parcels: [.delivered])) == [.paid, .delivered])
        #expect(RuleOrderState.of(order(payment: .refunded, cancelled: true)) == [.refunded, .cancelled])
        #expect(RuleOrderState.of([Order]()) == [.none])
        // The condition: any of the conversation's orders in any of the states; unknown without a look-up.
        let facts = RuleFacts(channel: .email, inboxId: 1, status: .open, orderStates: [.paid, .shipped])
        #expect(RuleConditions(orderStates: [.shipped, .delivered]).matches(facts))
        #expect(!RuleConditions(orderStates: [.deliveryProblem]).matches(facts))
        #expect(!RuleConditions(orderStates: [.none]).matches(RuleFacts(channel: .email, inboxId: 1, status: .open)))
    }
}
