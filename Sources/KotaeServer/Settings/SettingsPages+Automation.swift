import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

extension SettingsPages {
    /// The automation rules, each said in words with its switch, and a form for a new one
    /// with a dry run beside it.
    func automation(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "automation") { _, t in
            let users = try await app.store.accounts.users().filter { !$0.disabled }
            let teams = try await app.store.teams.all()
            let canned = try await app.store.cannedResponses()
            let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
            let rules = try await app.store.automation.all().map { r -> [String: Any] in
                [
                    "id": r.id, "name": r.name, "enabled": r.enabled, "json": WebFormat.json(r),
                    "when": Self.when(r, t), "conditions": Self.conditions(r.conditions, t), "actions": Self.actions(r.actions, t, users: names),
                ]
            }
            func options(_ pairs: [(String, String)]) -> [[String: String]] { pairs.map { ["value": $0.0, "label": $0.1] } }
            return [
                "rules": rules,
                "triggers": options(AutomationTrigger.allCases.map { ($0.rawValue, t["trigger_\($0.rawValue)"] ?? $0.rawValue) }),
                "channels": options(ChannelKind.allCases.map { ($0.rawValue, WebFormat.channelLabel($0, t: t)) }),
                "intents": options(TriageIntent.allCases.map { ($0.rawValue, t["triage_\($0.rawValue)"] ?? $0.rawValue) }),
                "priorities": options(Priority.allCases.filter { $0 != .none }.map { ($0.rawValue, t["priority_\($0.rawValue)"] ?? $0.rawValue) }),
                "users": options(users.map { (String($0.id), $0.name) }), "teams": options(teams.map { (String($0.id), $0.name) }),
                "canned": options(canned.map { (String($0.id), "/\($0.shortcut) — \($0.title)") }),
                "orderStates": options(RuleOrderState.allCases.map { ($0.rawValue, t["order_state_\($0.rawValue)"] ?? $0.rawValue) }),
                "emailInboxes": options(try await app.store.inboxes.all().filter { $0.channel == .email }.map { (String($0.id), $0.name) }),
            ]
        }
    }

    static func when(_ r: AutomationRule, _ t: [String: String]) -> String {
        let base = t["trigger_\(r.trigger.rawValue)"] ?? r.trigger.rawValue
        guard let minutes = r.afterMinutes else { return base }
        return base + "（" + WebFormat.duration(minutes * 60, t: t) + "）"
    }

    static func conditions(_ c: RuleConditions, _ t: [String: String]) -> String {
        var parts: [String] = []
        if let v = c.channels, !v.isEmpty { parts.append(v.map { WebFormat.channelLabel($0, t: t) }.joined(separator: "・")) }
        if let v = c.textContains, !v.isEmpty { parts.append("「" + v.joined(separator: "」「") + "」") }
        if let v = c.intents, !v.isEmpty { parts.append(v.map { t["triage_\($0.rawValue)"] ?? $0.rawValue }.joined(separator: "・")) }
        if c.urgent == true { parts.append(t["triageUrgent"] ?? "urgent") }
        if let v = c.labels, !v.isEmpty { parts.append(v.joined(separator: "・")) }
        if let open = c.duringBusinessHours { parts.append(t[open ? "auto_inHours" : "auto_outOfHours"] ?? "") }
        if let v = c.ratings, !v.isEmpty { parts.append("★" + v.map(String.init).joined(separator: ",")) }
        if let v = c.orderStates, !v.isEmpty {
            parts.append((t["autoOrderStates"] ?? "") + ": " + v.map { t["order_state_\($0.rawValue)"] ?? $0.rawValue }.joined(separator: "・"))
        }
        return parts.isEmpty ? (t["auto_always"] ?? "") : parts.joined(separator: " ＋ ")
    }

    static func actions(_ a: RuleActions, _ t: [String: String], users: [ID: String]) -> String {
        var parts: [String] = []
        if let id = a.assignTo { parts.append((t["auto_assign"] ?? "") + ": " + (users[id] ?? "#\(id)")) }
        if let labels = a.addLabels, !labels.isEmpty { parts.append((t["auto_labels"] ?? "") + ": " + labels.joined(separator: "・")) }
        if let p = a.priority { parts.append((t["auto_priority"] ?? "") + ": " + (t["priority_\(p.rawValue)"] ?? p.rawValue)) }
        for (key, on) in [("auto_team", a.team != nil), ("auto_note", a.note != nil), ("auto_reply", a.cannedResponseId != nil)] where on {
            parts.append(t[key] ?? key)
        }
        if let m = a.snoozeMinutes { parts.append((t["auto_snooze"] ?? "") + " " + WebFormat.duration(m * 60, t: t)) }
        if a.resolve == true { parts.append(t["auto_resolve"] ?? "") }
        if a.webhookURL != nil { parts.append("Webhook") }
        if let to = a.emailTo, !to.isEmpty { parts.append((t["auto_email"] ?? "") + ": " + to.joined(separator: ", ")) }
        return parts.joined(separator: "、")
    }
}
