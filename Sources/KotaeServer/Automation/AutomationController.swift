import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `/api/v1/automation/rules` (admins): the rules, each checked whole before it is stored, and
/// a dry run that shows which recent conversations a rule would have acted on.
struct AutomationController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("automation/rules", use: list)
        group.post("automation/rules", use: create)
        group.post("automation/rules/dry-run", use: dryRun)
        group.patch("automation/rules/:id", use: update)
        group.delete("automation/rules/:id", use: delete)
    }

    struct RuleInput: Decodable {
        let name: String
        let enabled: Bool?
        let trigger: AutomationTrigger
        let afterMinutes: Double?
        let conditions: RuleConditions?
        let actions: RuleActions
    }

    struct ListOut: Encodable { let rules: [AutomationRule] }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(ListOut(rules: try await app.store.automation.all()), request)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rule = try await checked(try await request.decode(as: RuleInput.self, context: context), id: 0)
        let saved = try await app.store.automation.create(rule, now: app.clock.now)
        try await app.automation.reload()
        return try context.json(saved, request, status: .created)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let before = try await app.store.automation.find(id: id) else { throw APIError.notFound("automation rule") }
        var rule = try await checked(try await request.decode(as: RuleInput.self, context: context), id: id)
        rule.createdAt = before.createdAt
        try await app.store.automation.update(rule, now: app.clock.now)
        try await app.automation.reload()
        return try context.json(try await app.store.automation.find(id: id), request)
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await app.store.automation.delete(id: try context.parameters.require("id", as: Int64.self))
        try await app.automation.reload()
        return Response(status: .noContent)
    }

    struct Match: Encodable {
        let conversationId: Int64
        let contactName: String
        let snippet: String
        let lastMessageAt: Date
    }
    struct DryRunOut: Encodable {
        /// How many recent conversations were tried.
        let checked: Int
        let matches: [Match]
    }

    /// The rule's conditions on the conversations of the last 7 days (at most 200, newest
    /// first), as each is now with its customer's latest message; nothing is done to them.
    func dryRun(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rule = try await checked(try await request.decode(as: RuleInput.self, context: context), id: 0)
        let engine = app.automationEngine
        var matches: [Match] = []
        let ids = try await app.store.automation.recentConversations(since: app.clock.now.addingTimeInterval(-7 * 86400), limit: 200)
        for id in ids {
            guard let c = try await app.store.conversations.conversation(id: id) else { continue }
            let facts = try await engine.facts(c, RunAutomation(trigger: rule.trigger, conversationId: id), orders: rule.conditions.needsOrders)
            if rule.conditions.matches(facts) {
                matches.append(Match(conversationId: id, contactName: c.contactName, snippet: c.snippet, lastMessageAt: c.lastMessageAt))
            }
        }
        return try context.json(DryRunOut(checked: ids.count, matches: matches), request)
    }

    /// The rule as it will be stored, or the first thing wrong with it, with its field.
    func checked(_ input: RuleInput, id: Int64) async throws -> AutomationRule {
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIError.invalid("name", "1 to 100 characters") }
        if input.trigger.isTimed {
            guard let m = input.afterMinutes, (1...43_200).contains(m) else {
                throw APIError.invalid("afterMinutes", "a timed rule needs 1 to 43,200 minutes (30 days)")
            }
        }
        let c = input.conditions ?? RuleConditions()
        if let l = c.language, !["ja", "en"].contains(l) { throw APIError.invalid("conditions.language", "ja or en") }
        if c.ratings?.contains(where: { !(1...5).contains($0) }) == true { throw APIError.invalid("conditions.ratings", "ratings are 1 to 5") }
        if c.textContains?.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 100 }) == true {
            throw APIError.invalid("conditions.textContains", "each word 1 to 100 characters")
        }
        let a = input.actions
        guard !a.isEmpty else { throw APIError.invalid("actions", "a rule needs at least one action") }
        if let user = a.assignTo {
            guard let u = try await app.store.accounts.user(id: user), !u.disabled else {
                throw APIError.invalid("actions.assignTo", "no active user \(user)")
            }
        }
        if let team = a.team, try await !app.store.teams.all().contains(where: { $0.id == team }) {
            throw APIError.invalid("actions.team", "no team \(team)")
        }
        if let canned = a.cannedResponseId, try await !app.store.cannedResponses().contains(where: { $0.id == canned }) {
            throw APIError.invalid("actions.cannedResponseId", "no canned response \(canned)")
        }
        if a.addLabels?.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 50 }) == true {
            throw APIError.invalid("actions.addLabels", "each label 1 to 50 characters")
        }
        if let note = a.note, note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || note.count > 2_000 {
            throw APIError.invalid("actions.note", "1 to 2,000 characters")
        }
        if let m = a.snoozeMinutes, !(1...43_200).contains(m) { throw APIError.invalid("actions.snoozeMinutes", "1 to 43,200 minutes (30 days)") }
        if a.resolve == true, a.snoozeMinutes != nil { throw APIError.invalid("actions.resolve", "a rule either snoozes or resolves, not both") }
        if let url = a.webhookURL, let problem = EscalationSettings.problem(webhook: url) { throw APIError.invalid("actions.webhookURL", problem) }
        if let to = a.emailTo, !to.isEmpty {
            if to.count > 10 || to.contains(where: { !Self.isAddress($0) }) {
                throw APIError.invalid("actions.emailTo", "1 to 10 addresses such as warehouse@example.jp")
            }
            guard let inbox = a.emailInboxId, try await app.store.inboxes.find(id: inbox)?.channel == .email else {
                throw APIError.invalid("actions.emailInboxId", "the email inbox the mail is sent from")
            }
        }
        return AutomationRule(
            id: id, name: name, enabled: input.enabled ?? true, trigger: input.trigger,
            afterMinutes: input.trigger.isTimed ? input.afterMinutes : nil,
            conditions: c, actions: a, createdAt: app.clock.now, updatedAt: app.clock.now)
    }

    /// An address a mail can go to: one `@`, something each side, no spaces, at most 254 characters.
    static func isAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && s.count <= 254 && !s.contains(where: \.isWhitespace)
    }
}
