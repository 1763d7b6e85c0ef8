import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeCore
import KotaeStore

/// Users, teams, inboxes and canned responses. Reading canned responses is for every
/// agent; everything else here needs an admin.
struct AdminController {
    let app: AppServices

    func addRoutes(to api: APIRouteGroups) {
        api.signedIn.get("users", use: listUsers)
        api.admin.post("users", use: createUser)
        // Everyone edits their own name, language and time zone; an admin edits anyone.
        api.signedIn.patch("users/:id", use: updateUser)
        api.signedIn.get("teams", use: listTeams)
        api.admin.post("teams", use: createTeam)
        api.admin.patch("teams/:id", use: updateTeam)
        api.signedIn.get("inboxes", use: listInboxes)
        api.admin.post("inboxes", use: createInbox)
        api.admin.patch("inboxes/:id", use: updateInbox)
        api.signedIn.get("canned-responses", use: listCanned)
        api.admin.post("canned-responses", use: createCanned)
        api.admin.patch("canned-responses/:id", use: updateCanned)
        api.admin.delete("canned-responses/:id", use: deleteCanned)
        api.signedIn.post("canned-responses/:id/render", use: renderCanned)
    }

    func listUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try context.json(["users": try await app.store.accounts.users()], request)
    }

    struct UserInput: Decodable { let email: String; let name: String; let role: UserRole; let password: String }

    func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: UserInput.self, context: context)
        try validateEmail(input.email)
        try validatePassword(input.password)
        try validateName(input.name)
        let user = try await app.store.accounts.createUser(
            email: input.email, name: input.name, role: input.role,
            passwordHash: try await app.hashPassword(input.password))
        return try context.json(user, request, status: .created)
    }

    struct UserUpdate: Decodable { let name: String?; let role: UserRole?; let disabled: Bool?; let locale: String?; let timeZone: String? }

    /// Admins change anyone; an agent may change only their own name, language and time zone.
    func updateUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let me = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: UserUpdate.self, context: context)
        if me.role != .admin && (id != me.id || input.role != nil || input.disabled != nil) { throw APIError.forbidden() }
        if let name = input.name { try validateName(name) }
        if let l = input.locale, !["ja", "en"].contains(l) { throw APIError.invalid("locale", "locale is ja or en") }
        if let tz = input.timeZone, TimeZone(identifier: tz) == nil { throw APIError.invalid("timeZone", "unknown time zone \(tz)") }
        let user = try await app.accounts.updateUser(
            id: id, name: input.name, role: input.role, disabled: input.disabled,
            locale: input.locale, timeZone: input.timeZone)
        return try context.json(user, request)
    }

    func listTeams(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try context.json(["teams": try await app.store.teams.all()], request)
    }

    struct TeamInput: Decodable { let name: String; let memberIds: [Int64]? }

    func createTeam(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: TeamInput.self, context: context)
        try validateName(input.name)
        return try context.json(try await app.store.teams.create(name: input.name, memberIds: input.memberIds ?? []), request, status: .created)
    }

    struct TeamUpdate: Decodable { let name: String?; let memberIds: [Int64]? }

    func updateTeam(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: TeamUpdate.self, context: context)
        let name = input.name?.trimmingCharacters(in: .whitespaces)
        if let name { try validateName(name) }
        return try context.json(
            try await app.store.teams.update(
                id: try context.parameters.require("id", as: Int64.self),
                name: name, memberIds: input.memberIds), request)
    }

    func listInboxes(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try context.json(["inboxes": try await app.store.inboxes.all()], request)
    }

    struct InboxInput: Decodable {
        let name: String
        let channel: ChannelKind
        let settings: [String: String]?
        let credentials: [String: String]?
        let slaPolicy: SLAPolicy?
    }

    func createInbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: InboxInput.self, context: context)
        try validateName(input.name)
        try validate(input.slaPolicy)
        try validate(input.channel, settings: input.settings, credentials: input.credentials)
        let inbox = try await app.store.inboxes.create(
            name: input.name, channel: input.channel, settings: input.settings ?? [:],
            credentials: input.credentials, slaPolicy: input.slaPolicy)
        return try context.json(inbox, request, status: .created)
    }

    struct InboxUpdate: Decodable {
        let name: String?
        let settings: [String: String]?
        let credentials: [String: String]?
        let slaPolicy: SLAPolicy?
    }

    func updateInbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: InboxUpdate.self, context: context)
        // The same rules as create: an inbox cannot be renamed to nothing.
        if let name = input.name { try validateName(name) }
        try validate(input.slaPolicy)
        guard let inbox = try await app.store.inboxes.find(id: id) else { throw APIError.notFound("inbox") }
        try validate(inbox.channel, settings: input.settings, credentials: input.credentials)
        var settings = input.settings
        // New credentials: the problem found with the old ones is no longer known to hold.
        if input.credentials?.isEmpty == false { settings = (settings ?? [:]).merging([Inbox.channelProblemSetting: ""]) { a, _ in a } }
        return try context.json(
            try await app.store.inboxes.update(
                id: id, name: input.name, settings: settings,
                credentials: input.credentials, slaPolicy: input.slaPolicy), request)
    }

    private func validate(_ policy: SLAPolicy?) throws {
        if let first = policy?.validationErrors().first {
            throw APIError.invalid("slaPolicy." + (first.split(separator: ":").first.map(String.init) ?? ""), first)
        }
    }

    /// Keys the channel has, with values that can work (the channel's typed settings say which).
    private func validate(_ channel: ChannelKind, settings: [String: String]?, credentials: [String: String]?) throws {
        let name = app.channels.adapter(for: channel)?.name ?? channel.rawValue
        if let first = app.channels.form(for: channel).problems(settings: settings, credentials: credentials, channel: name).first {
            throw APIError.invalid(first.key, first.message)
        }
    }

    // MARK: Canned responses

    func listCanned(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try context.json(["cannedResponses": try await app.store.cannedResponses()], request)
    }

    struct CannedInput: Decodable { let shortcut: String?; let title: String?; let body: String? }

    private func validateCanned(shortcut: String?, body: String?) throws {
        if let shortcut, shortcut.isEmpty || shortcut.count > 40 || shortcut.contains(where: \.isWhitespace) {
            throw APIError.invalid("shortcut", "shortcut is 1…40 characters without spaces")
        }
        if let body, body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw APIError.invalid("body", "body is empty") }
    }

    func createCanned(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: CannedInput.self, context: context)
        let shortcut = input.shortcut ?? "", body = input.body ?? ""
        try validateCanned(shortcut: shortcut, body: body)
        return try context.json(
            try await app.store.createCannedResponse(shortcut: shortcut, title: input.title ?? shortcut, body: body), request, status: .created)
    }

    func updateCanned(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: CannedInput.self, context: context)
        try validateCanned(shortcut: input.shortcut, body: input.body)
        return try context.json(
            try await app.store.updateCannedResponse(
                id: try context.parameters.require("id", as: Int64.self), shortcut: input.shortcut, title: input.title, body: input.body), request)
    }

    func deleteCanned(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await app.store.deleteCannedResponse(id: try context.parameters.require("id", as: Int64.self))
        return Response(status: .noContent)
    }

    struct RenderInput: Decodable { let conversationId: Int64 }
    struct RenderOut: Encodable { let text: String; let unfilled: [String] }

    /// Fills a canned response's variables for one conversation.
    func renderCanned(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: RenderInput.self, context: context)
        guard let canned = try await app.store.cannedResponses().first(where: { $0.id == id }) else { throw APIError.notFound("canned response") }
        guard let c = try await app.store.conversations.conversation(id: input.conversationId) else { throw APIError.notFound("conversation") }
        let contact = try await app.store.contacts.contact(id: c.contactId)
        let inbox = try await app.store.inboxes.find(id: c.inboxId)
        var values = ["agent.name": user.name, "conversation.id": String(c.id)]
        if let contact {
            values["contact.name"] = contact.name
            values["contact.email"] = contact.email
            values["contact.phone"] = contact.phone
        }
        if let inbox { values["inbox.name"] = inbox.name }
        let template = CannedTemplate(canned.body)
        if template.variables.contains(where: { $0.hasPrefix("order.") }),
            let order = try await OrdersPanel(store: app.store, connections: app.commerce, clock: app.clock).cached(conversationId: c.id).orders
                .first?.order
        {
            values.merge(OrderVariables.values(order, language: user.locale, timeZone: TimeZone(identifier: user.timeZone) ?? .current)) { a, _ in a }
        }
        return try context.json(RenderOut(text: template.render(values), unfilled: template.variables.filter { values[$0] == nil }), request)
    }
}
