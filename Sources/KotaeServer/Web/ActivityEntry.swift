import Foundation
import KotaeCore
import KotaeStore

/// Something that happened to a conversation (assigned, resolved with its reason, snoozed,
/// labelled, priority changed…), shown quietly among its messages. Built from the audit log.
struct ActivityEntry {
    let isActivity = true
    let key: String
    let text: String
    let at: String
    let atText: String
    let date: Date

    /// The entry for an audit event, or nil for events the timeline already shows otherwise
    /// (messages, deliveries) or that say nothing to an agent.
    init?(_ e: AuditEvent, t: [String: String], users: [Int64: String], teams: [Int64: String], timeZone: TimeZone) {
        let data = (try? JSONDecoder().decode([String: String].self, from: Data(e.data.utf8))) ?? [:]
        let who = e.actorUserId.flatMap { users[$0] } ?? "Kotae"
        func fill(_ key: String, _ values: [String: String] = [:]) -> String {
            values.reduce(t[key] ?? key) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        let text: String
        switch e.type {
        case "conversation.status":
            let status = data["status"] ?? ""
            let reason = data["reason"].map { t["reason_\($0)"] ?? $0 }
            if let reason {
                text = fill("act_closedWithReason", ["who": who, "reason": reason])
            } else {
                text = fill("act_status", ["who": who, "status": t["status_\(status)"] ?? status])
            }
        case "conversation.assigned":
            let to = data["assigneeId"].flatMap(Int64.init).flatMap { users[$0] }
            text = to.map { fill("act_assigned", ["who": who, "to": $0]) } ?? fill("act_unassigned", ["who": who])
        case "conversation.team":
            let team = data["teamId"].flatMap(Int64.init).flatMap { teams[$0] }
            text = team.map { fill("act_team", ["who": who, "team": $0]) } ?? fill("act_noTeam", ["who": who])
        case "conversation.snoozed":
            let until = data["until"].flatMap { try? Date($0, strategy: .iso8601) }
            text = fill("act_snoozed", ["who": who, "until": until.map { WebFormat.dueClock($0, timeZone: timeZone, t: t) } ?? ""])
        case "conversation.woke":
            text = fill("act_woke")
        case "conversation.priority":
            let p = data["priority"] ?? ""
            text = fill("act_priority", ["who": who, "priority": t["priority_\(p)"] ?? p])
        case "conversation.labels":
            let add = (data["add"] ?? "").split(separator: ",").map(String.init),
                remove = (data["remove"] ?? "").split(separator: ",").map(String.init)
            var parts: [String] = []
            if !add.isEmpty { parts.append(fill("act_labelsAdded", ["who": who, "labels": add.joined(separator: "、")])) }
            if !remove.isEmpty { parts.append(fill("act_labelsRemoved", ["who": who, "labels": remove.joined(separator: "、")])) }
            guard !parts.isEmpty else { return nil }
            text = parts.joined(separator: " ")
        case "contact.merged":
            text = data["reason"] == nil ? fill("act_merged", ["who": who]) : fill("act_mergedAutomatically")
        case "contact.unmerged":
            text = fill("act_unmerged", ["who": who])
        case "message.failed":
            text = fill("act_sendFailed")
        case "csat.sent":
            text = fill("act_csat_sent")
        case "csat.answered":
            text = fill("act_csat_answered", ["rating": data["rating"] ?? ""])
        case "order.followUp":
            text = fill("act_followUp_\(data["state"] ?? "")", ["number": data["number"] ?? "", "note": data["note"] ?? ""])
        case "order.action":
            let kind = t["action_\(data["kind"] ?? "")"] ?? (data["kind"] ?? "")
            let amount = data["amount"].map { " " + WebFormat.money($0, currency: data["currency"] ?? "JPY") } ?? ""
            text = fill(
                "act_order_\(data["state"] ?? "")",
                ["who": who, "action": kind + amount, "number": data["number"] ?? "", "error": data["error"] ?? ""])
        case "bot.handOff":
            text = fill("act_bot_handOff", ["reason": t["handOff_\(data["reason"] ?? "")"] ?? (data["reason"] ?? "")])
        case "bot.feedback":
            text = fill("act_bot_feedback_\(data["solved"] ?? "false")")
        case "sla.alert":
            let before = data["before"].flatMap(TimeInterval.init) ?? 0
            let sentTo = data["sentTo"]?.split(separator: ",") ?? []
            let where_ =
                (sentTo.contains("email") ? fill("act_sla_alert_email") : "") + (sentTo.contains("webhook") ? fill("act_sla_alert_webhook") : "")
            text =
                (before == 0 ? fill("act_sla_breach") : fill("act_sla_warning", ["left": WebFormat.duration(before, t: t)])) + where_
        case "approval.requested":
            text = fill("act_approval_requested", ["who": who])
        case "approval.approved":
            text = fill(data["edited"] == "true" ? "act_approval_approved_edited" : "act_approval_approved", ["who": who])
        case "approval.returned":
            text = fill("act_approval_returned", ["who": who])
        case "assignment.moved":
            let from = data["from"].flatMap(Int64.init).flatMap { users[$0] } ?? ""
            let to = data["to"].flatMap(Int64.init).flatMap { users[$0] } ?? ""
            text = fill("act_assignment_moved", ["from": from, "to": to, "minutes": data["minutes"] ?? ""])
        case "automation.applied":
            // The webhook is said when it fails; the rest of what the rule did, in words.
            let actions = (data["actions"] ?? "").split(separator: ",").filter { $0 != "webhook" }.map { fill("auto_\($0)") }
            guard !actions.isEmpty else { return nil }
            text = fill("act_automation_applied", ["rule": data["rule"] ?? "", "actions": actions.joined(separator: "、")])
        case "automation.capped":
            text = fill("act_automation_capped", ["rule": data["rule"] ?? "", "cap": data["cap"] ?? ""])
        case "automation.webhookFailed":
            text = fill("act_automation_webhookFailed", ["rule": data["rule"] ?? ""])
        case "chat.emailed":
            text = fill(
                data["error"] == nil ? "act_chat_emailed" : "act_chat_emailFailed", ["address": data["address"] ?? "", "error": data["error"] ?? ""])
        default:
            return nil
        }
        key = "e\(e.id)"
        self.text = text
        date = e.at
        at = WebFormat.iso(e.at)
        atText = WebFormat.clock(e.at, timeZone: timeZone)
    }
}
