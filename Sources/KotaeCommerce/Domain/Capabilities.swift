import KotaeCore

/// What a source can do, so the UI never offers what would only pretend: an action a source
/// cannot submit becomes a manual task with a checklist.
public struct SourceCapabilities: Sendable, Equatable {
    /// Lookups the platform answers itself; the rest come from the local cache.
    public var lookups: Set<OrderLookup>
    /// Actions the platform carries out through its API.
    public var actions: Set<OrderActionKind>
    /// Whether the platform tells Kotae of changes (webhooks); otherwise it is polled.
    public var pushesChanges: Bool
    /// How far back the platform shows orders, when it limits that (Shopify: 60 days without
    /// `read_all_orders`); the sidebar says so instead of "no orders".
    public var visibleDays: Int?

    public init(lookups: Set<OrderLookup>, actions: Set<OrderActionKind>, pushesChanges: Bool, visibleDays: Int? = nil) {
        self.lookups = lookups
        self.actions = actions
        self.pushesChanges = pushesChanges
        self.visibleDays = visibleDays
    }
}

extension CommercePlatform {
    /// The table the issue asks for: what each source can look up and do.
    public var capabilities: SourceCapabilities {
        switch self {
        case .shopify:
            // Shopify's `orders` search has no phone term: a phone goes through `customers`.
            SourceCapabilities(lookups: [.number, .email, .phone], actions: Set(OrderActionKind.allCases), pushesChanges: true)
        case .rakuten:
            // searchOrder matches the (masked) address exactly; its phone match needs a form the
            // documentation at hand does not settle, so phones are matched in the cache only.
            // No API for fixes.
            SourceCapabilities(lookups: [.number, .email], actions: [], pushesChanges: false)
        case .base:
            // No e-mail filter at all: orders by date, matched locally.
            SourceCapabilities(lookups: [.number], actions: [], pushesChanges: false)
        case .file:
            SourceCapabilities(lookups: [], actions: [], pushesChanges: false)
        }
    }
}
