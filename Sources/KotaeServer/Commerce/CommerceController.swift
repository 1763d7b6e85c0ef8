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
        api.signedIn.get("conversations/:id/orders", use: orders)
        api.signedIn.post("conversations/:id/orders/links", use: link)
    }

    /// What each platform asks an admin for, and whether the credentials can sign in. A
    /// platform that cannot be connected yet is refused in words rather than stored to do nothing.
    static func form(for platform: CommercePlatform) -> (form: ChannelForm, signsIn: @Sendable ([String: String]) -> String?)? {
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
                ChannelForm(settings: NoChannelFields.self, credentials: BaseStoreCredentials.self),
                {
                    (try? BaseStoreCredentials(stored: $0))?.complete == true
                        ? nil : "a BASE shop needs its app's clientId and clientSecret, and a refreshToken"
                }
            )
        case .file: nil
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
        guard let (form, signsIn) = Self.form(for: input.platform) else {
            throw APIError.invalid("platform", "\(input.platform.rawValue) stores are imported (kotae orders import), not connected")
        }
        let settings = (input.settings ?? [:]).filter { !$0.value.isEmpty }
        if let first = form.problems(settings: settings, credentials: input.credentials, channel: input.platform.rawValue, thing: "store").first {
            throw APIError.invalid(first.key, first.message)
        }
        if let missing = signsIn((input.credentials ?? [:]).filter { !$0.value.isEmpty }) { throw APIError.invalid("credentials", missing) }
        let created = try await app.store.commerceStores.create(
            platform: input.platform, name: input.name.trimmingCharacters(in: .whitespaces), settings: settings,
            credentials: (input.credentials ?? [:]).filter { !$0.value.isEmpty })
        return try context.json(created, request, status: .created)
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
