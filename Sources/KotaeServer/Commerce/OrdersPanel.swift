import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// The orders beside a conversation, and why each is there. Order numbers the customer wrote
/// come first, then every address and phone of the contact; a name never links an order. The
/// cache answers at once; each store is asked afresh within a bound, and one that does not
/// answer is shown with the age of what the cache holds, never as "no orders".
struct OrdersPanel: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections
    let clock: AppClock

    func panel(conversationId: ID) async throws -> OrdersPanelView {
        let (wanted, stores) = try await wanted(conversationId)
        // Ask every store at once, each within the bound; what they say goes into the cache.
        let states = await withTaskGroup(of: OrdersPanelView.StoreState.self) { group in
            for s in stores { group.addTask { await self.refresh(s, wanted) } }
            var all: [OrdersPanelView.StoreState] = []
            for await state in group { all.append(state) }
            return all.sorted { $0.id < $1.id }
        }
        return try await view(wanted, stores: stores, states: states)
    }

    /// The panel from the cache alone, asking no store (a canned reply's `{order.…}`).
    func cached(conversationId: ID) async throws -> OrdersPanelView {
        let (wanted, stores) = try await wanted(conversationId)
        return try await view(wanted, stores: stores, states: [])
    }

    private func wanted(_ conversationId: ID) async throws -> (Wanted, [CommerceStore]) {
        guard let conversation = try await store.conversations.conversation(id: conversationId) else {
            throw APIError.notFound("conversation")
        }
        let stores = try await store.commerceStores.all()
        let contact = try await store.contacts.contact(id: conversation.contactId)
        let messages = try await store.conversations.messages(conversationId: conversationId)
        let wanted = Wanted(
            contact: contact, texts: messages.filter { $0.kind == .inbound }.map(\.text), stores: stores,
            linked: try await store.orders.linked(to: conversationId))
        return (wanted, stores)
    }

    /// What to look for, from the conversation.
    struct Wanted: Sendable {
        var emails: [String]
        var phones: [String]
        var references: [OrderReference]
        var linked: [OrderKey]
        /// The contact's name: orders under it are suggested, never shown as theirs.
        var name: String?

        init(contact: Contact?, texts: [String], stores: [CommerceStore], linked: [OrderKey]) {
            let identities = contact?.identities ?? []
            emails = Array(Set(([contact?.email] + identities.filter { $0.channel == "email" }.map(\.externalId)).compactMap { $0?.lowercased() }))
                .sorted()
            phones = Array(
                Set(
                    ([contact?.phone] + identities.filter { $0.channel == "phone" }.map(\.externalId)).compactMap {
                        $0.flatMap { PhoneNumber.e164($0) }
                    })
            )
            .sorted()
            let numbering = stores.map { s in
                // Every store names its orders with an optional prefix and suffix (Shopify's
                // default is `#`); Rakuten's numbers have a fixed form of their own.
                StoreNumbering(
                    store: s.id, platform: s.platform, prefix: s.settings["orderPrefix"] ?? (s.platform == .shopify ? "#" : ""),
                    suffix: s.settings["orderSuffix"] ?? "")
            }
            references = texts.flatMap { OrderReferences.find(in: $0, stores: numbering) }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            self.linked = linked
            name = contact?.name
        }
    }

    private func refresh(_ s: CommerceStore, _ wanted: Wanted) async -> OrdersPanelView.StoreState {
        var state = OrdersPanelView.StoreState(store: s, visibleDays: nil)
        switch s.platform {
        case .shopify: state.visibleDays = (try? ShopifyStoreSettings(stored: s.settings))?.visibleDays
        case .rakuten: state.licenceExpires = (try? RakutenStoreSettings(stored: s.settings))?.licenceWarning(now: clock.now)
        case .base, .file: break
        }
        let source: (any OrderSource)?
        do { source = try await connections.source(for: s) } catch {
            state.problem = "\(error)"
            return state
        }
        guard let source else { return state }
        let lookups =
            (wanted.emails.map { (OrderLookup.email, $0) } + wanted.phones.map { (OrderLookup.phone, $0) }
            + wanted.references.filter { $0.store == s.id }.map { (OrderLookup.number, $0.number) })
            .filter { source.platform.capabilities.lookups.contains($0.0) }
        guard !lookups.isEmpty else { return state }
        // The lookups run in a task of their own: what a slow store (Rakuten's first search
        // is twelve calls) answers after the bound still reaches the cache for the next look.
        let (store, seenAt) = (store, clock.now)
        let work = Task { () -> String? in
            do {
                let orders = try await withThrowingTaskGroup(of: [Order].self) { group in
                    for (lookup, value) in lookups { group.addTask { try await source.orders(lookup, value) } }
                    var all: [Order] = []
                    for try await found in group { all += found }
                    return all
                }
                try await store.orders.save(orders.map { ($0, OrderKeys.of($0)) }, seenAt: seenAt)
                if s.problem != nil { try? await store.commerceStores.setProblem(id: s.id, nil) }
                return nil
            } catch {
                let problem = (error as? CommerceError)?.message ?? "\(error)"
                try? await store.commerceStores.setProblem(id: s.id, problem)
                return problem
            }
        }
        switch await Self.waitAtMost(connections.lookupTimeout, for: work) {
        case .some(nil): state.reachable = true
        case .some(let problem?):
            state.reachable = false
            state.problem = problem
        case nil:
            state.pending = true
            state.problem = s.problem
        }
        return state
    }

    private func view(_ wanted: Wanted, stores: [CommerceStore], states: [OrdersPanelView.StoreState]) async throws -> OrdersPanelView {
        var shown: [OrderKey: OrdersPanelView.ShownOrder] = [:]
        func add(_ cached: CachedOrder, _ reason: OrdersPanelView.Reason) {
            var entry = shown[cached.order.key] ?? OrdersPanelView.ShownOrder(order: cached.order, seenAt: cached.seenAt, reasons: [])
            if !entry.reasons.contains(reason) { entry.reasons = (entry.reasons + [reason]).sorted() }
            shown[cached.order.key] = entry
        }
        for key in wanted.linked { if let cached = try await store.orders.find(key) { add(cached, .linked) } }
        var unresolved: [String] = []
        let unformatted = Set(stores.filter { $0.platform != .shopify && $0.platform != .rakuten && $0.settings["orderPrefix"] == nil }.map(\.id))
        for reference in wanted.references {
            var found = try await store.orders.numbered(reference.number, store: reference.store)
            // Saved orders of a format not known: `#2001` and `2001` are one number.
            if found.isEmpty, unformatted.contains(reference.store) {
                let other = reference.number.hasPrefix("#") ? String(reference.number.dropFirst()) : "#" + reference.number
                found = try await store.orders.numbered(other, store: reference.store)
            }
            found.forEach { add($0, .numberInMessage) }
            if found.isEmpty, !unresolved.contains(reference.number) { unresolved.append(reference.number) }
        }
        // A number found in one store is not unresolved because another store lacks it.
        unresolved.removeAll { number in shown.values.contains { $0.order.number == number } }
        let byAddress = try await store.orders.of(emails: wanted.emails, phones: wanted.phones)
        for cached in byAddress {
            if let email = cached.order.email?.lowercased(), wanted.emails.contains(email) { add(cached, .email) }
            if let phone = (cached.order.phone ?? cached.order.shippingAddress?.phone).flatMap({ PhoneNumber.e164($0) }),
                wanted.phones.contains(phone)
            {
                add(cached, .phone)
            }
        }
        // Orders found by address belong to how many of the store's customers.
        let customers = Set(byAddress.map { "\($0.order.key.store):\($0.order.customerId ?? $0.order.email ?? $0.order.key.id)" })
        let ordered = shown.values.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            return a.order.createdAt > b.order.createdAt
        }
        let names = Dictionary(uniqueKeysWithValues: stores.map { ($0.id, $0.name) })
        // Orders under the same name: the agent may link one, nothing is shown as theirs.
        var suggested: [CachedOrder] = []
        if let name = wanted.name { suggested = try await store.orders.named(name) }
        let suggestions = suggested.filter { shown[$0.order.key] == nil }.map { cached in
            var o = OrdersPanelView.ShownOrder(order: cached.order, seenAt: cached.seenAt, reasons: [.name])
            o.storeName = names[cached.order.key.store] ?? ""
            return o
        }
        return OrdersPanelView(
            orders: ordered.map {
                var o = $0; o.storeName = names[o.order.key.store] ?? ""; return o
            }, unresolvedNumbers: unresolved,
            customersMatched: customers.count, stores: states, suggestions: suggestions)
    }

    /// The task's value, or nil when it has none after `limit`; the task goes on either way.
    static func waitAtMost<T: Sendable>(_ limit: Duration, for task: Task<T, Never>) async -> T? {
        let (stream, continuation) = AsyncStream<T?>.makeStream()
        let answer = Task { continuation.yield(await task.value) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            continuation.yield(nil)
        }
        defer {
            answer.cancel()
            timer.cancel()
            continuation.finish()
        }
        for await first in stream { return first }
        return nil
    }
}

/// The orders panel as the API and the page read it.
struct OrdersPanelView: Codable, Sendable, Equatable {
    enum Reason: String, Codable, Sendable, Comparable {
        /// An agent linked it to this conversation.
        case linked
        /// The customer wrote its number.
        case numberInMessage
        /// It was bought with one of the contact's addresses.
        case email
        case phone
        /// Bought under the contact's name: a suggestion only.
        case name

        static func < (a: Reason, b: Reason) -> Bool { a.order < b.order }
        private var order: Int { [.linked, .numberInMessage, .email, .phone, .name].firstIndex(of: self)! }
    }

    struct ShownOrder: Codable, Sendable, Equatable {
        var order: Order
        var storeName = ""
        /// When Kotae last heard of it (a webhook or a read).
        var seenAt: Date
        /// Strongest first.
        var reasons: [Reason]

        init(order: Order, seenAt: Date, reasons: [Reason]) {
            self.order = order
            self.seenAt = seenAt
            self.reasons = reasons
        }

        var rank: Int { reasons.contains(.linked) ? 0 : reasons.contains(.numberInMessage) ? 1 : 2 }
    }

    struct StoreState: Codable, Sendable, Equatable {
        var id: ID
        var name: String
        var platform: CommercePlatform
        /// Nil when the store was not asked (nothing to look for, or no credentials).
        var reachable: Bool?
        var problem: String?
        /// How far back the platform shows orders, when it limits that.
        var visibleDays: Int?
        /// Still answering at the bound: what it says goes into the cache for the next look.
        var pending: Bool?
        /// When its API key stops working, once that is less than two weeks away (Rakuten's
        /// licence key lasts 90 days).
        var licenceExpires: Date?

        init(store: CommerceStore, visibleDays: Int?) {
            id = store.id
            name = store.name
            platform = store.platform
            self.visibleDays = visibleDays
        }
    }

    var orders: [ShownOrder]
    /// Numbers the customer wrote that no store has: said, never replaced by another order.
    var unresolvedNumbers: [String]
    /// How many customers the contact's addresses and phones found orders of: more than one,
    /// and the agent chooses (the choice is remembered as a link).
    var customersMatched: Int
    var stores: [StoreState]
    /// Orders under the contact's name that nothing else ties to them: for the agent to link.
    var suggestions: [ShownOrder] = []
}
