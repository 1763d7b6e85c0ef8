import Foundation
import Hummingbird
import KotaeCommerce
import KotaeCore
import KotaeStore

/// Connected stores (admins) and the orders beside a conversation (every agent).
struct CommerceController {
    let app: AppServices
    let panel: OrdersPanel

    init(app: AppServices) {
        self.app = app
        panel = OrdersPanel(store: app.store, connections: app.commerce, clock: app.clock)
    }

    func addRoutes(to api: APIRouteGroups) {
        api.admin.get("commerce/stores", use: list)
        api.admin.post("commerce/stores", use: create)
        api.admin.patch("commerce/stores/:id", use: update)
        api.signedIn.get("conversations/:id/orders", use: orders)
        api.signedIn.post("conversations/:id/orders/links", use: link)
    }

    /// What each platform asks an admin for, and whether the credentials can sign in.
    static func form(for platform: CommercePlatform) -> (form: ChannelForm, signsIn: @Sendable ([String: String]) -> String?) {
        switch platform {
        case .shopify:
            (
                ChannelForm(settings: ShopifyStoreSettings.self, credentials: ShopifyStoreCredentials.self),
                {
                    (try? ShopifyStoreCredentials(stored: $0))?.signIn == nil
                        ? "a Shopify store needs its app's clientId and clientSecret, or an accessToken" : nil
                }
            )
        case .rakuten:
            (
                ChannelForm(settings: RakutenStoreSettings.self, credentials: RakutenStoreCredentials.self),
                { (try? RakutenStoreCredentials(stored: $0))?.complete == true ? nil : "a Rakuten shop needs its RMS serviceSecret and licenseKey" }
            )
        case .base:
            (
                ChannelForm(settings: BaseStoreSettings.self, credentials: BaseStoreCredentials.self),
                {
                    (try? BaseStoreCredentials(stored: $0))?.complete == true
                        ? nil : "a BASE shop needs its app's clientId and clientSecret, and a refreshToken"
                }
            )
        // Edited only: its orders come from files, and it signs in nowhere.
        case .file: (ChannelForm(settings: FileStoreSettings.self, credentials: NoChannelFields.self), { _ in nil })
        }
    }

    struct StoreInput: Decodable {
        let name: String
        let platform: CommercePlatform
        let settings: [String: String]?
        let credentials: [String: String]?
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(["stores": try await app.store.commerceStores.all()], request)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: StoreInput.self, context: context)
        try validateName(input.name)
        guard input.platform != .file else {
            throw APIError.invalid("platform", "\(input.platform.rawValue) stores are imported (kotae orders import), not connected")
        }
        let (form, signsIn) = Self.form(for: input.platform)
        let settings = (input.settings ?? [:]).filter { !$0.value.isEmpty }
        if let first = form.problems(settings: settings, credentials: input.credentials, channel: input.platform.rawValue, thing: "store").first {
            throw APIError.invalid(first.key, first.message)
        }
        if let missing = signsIn((input.credentials ?? [:]).filter { !$0.value.isEmpty }) { throw APIError.invalid("credentials", missing) }
        try await checkReplacementStore(settings)
        let created = try await app.store.commerceStores.create(
            platform: input.platform, name: input.name.trimmingCharacters(in: .whitespaces), settings: settings,
            credentials: (input.credentials ?? [:]).filter { !$0.value.isEmpty })
        return try context.json(created, request, status: .created)
    }

    struct StoreChange: Decodable {
        let name: String?
        /// Merged into the settings; an empty value removes one.
        let settings: [String: String]?
        /// Merged into the sealed credentials (a renewed Rakuten licence key); an empty value removes one.
        let credentials: [String: String]?
    }

    /// An admin's change to a connected store, checked whole before anything is stored.
    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: StoreChange.self, context: context)
        guard let current = try await app.store.commerceStores.find(id: id) else { throw APIError.notFound("store") }
        let (form, signsIn) = Self.form(for: current.platform)
        let name = input.name ?? current.name
        try validateName(name)
        var settings = current.settings
        for (key, value) in input.settings ?? [:] { settings[key] = value.isEmpty ? nil : value }
        let changes = input.credentials ?? [:]
        if let first = form.problems(
            settings: settings, credentials: changes, channel: current.platform.rawValue, thing: "store"
        ).first {
            throw APIError.invalid(first.key, first.message)
        }
        if !changes.isEmpty {
            var merged = try await app.store.commerceStores.credentials(id: id)
            for (key, value) in changes { merged[key] = value.isEmpty ? nil : value }
            if let missing = signsIn(merged) { throw APIError.invalid("credentials", missing) }
        }
        try await checkReplacementStore(settings)
        guard
            let updated = try await app.store.commerceStores.update(
                id: id, name: name.trimmingCharacters(in: .whitespaces), settings: settings, credentials: changes)
        else { throw APIError.notFound("store") }
        return try context.json(updated, request)
    }

    /// A store that ships another's replacements must be a Shopify store Kotae can act in.
    func checkReplacementStore(_ settings: [String: String]) async throws {
        guard let value = settings[CommerceStore.replacementStoreSetting] else { return }
        guard let id = Int64(value), let target = try await app.store.commerceStores.find(id: id), target.platform == .shopify else {
            throw APIError.invalid(
                "settings.\(CommerceStore.replacementStoreSetting)", "the id of a Shopify store connected to Kotae, which makes the replacements")
        }
    }

    func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(try await panel.panel(conversationId: try context.parameters.require("id", as: Int64.self)), request)
    }

    struct LinkInput: Decodable {
        let store: Int64
        let orderId: String
    }

    /// The agent's choice when several customers match, remembered for the conversation.
    func link(_ request: Request, context: AppRequestContext) async throws -> Response {
        let me = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: LinkInput.self, context: context)
        guard try await app.store.conversations.conversation(id: id) != nil else { throw APIError.notFound("conversation") }
        let key = OrderKey(store: input.store, id: input.orderId)
        guard try await app.store.orders.find(key) != nil else { throw APIError.notFound("order") }
        try await app.store.orders.link(key, to: id, by: me.id)
        return Response(status: .noContent)
    }
}
