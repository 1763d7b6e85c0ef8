import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeStore

/// Sends one SLA alert: to the assignee and their team (the admins when nobody owns it) in
/// Kotae, and to the shop's Slack-compatible webhook, in the conversation's thread where the
/// receiver gave one. Checked again first: a conversation answered, resolved or given a new
/// due time since the alert was raised sends nothing.
struct SLAAlertJob: Sendable {
    let store: KotaeStore
    let hub: EventHub
    let http: HTTPClient
    let clock: AppClock
    /// Kotae's address, for the link in the message.
    let baseURL: String
    /// Rules on SLA warnings and breaches run after the alert.
    let book: RuleBook

    func run(_ alert: SLAAlert) async throws -> JobRunner.JobResult {
        guard let c = try await store.conversations.conversation(id: alert.conversationId), c.status != .resolved,
            let due = c.clock.slaDueAt, abs(due.timeIntervalSince(alert.dueAt)) < 1
        else { return .done }
        let settings = try await EscalationSettings.load(store)
        var sentTo = ["kotae"]
        if let url = settings.webhookURL {
            let message = try await message(alert, c)
            switch await message.post(to: url, http: http) {
            case .posted(let thread):
                if let thread, message.threadTs == nil { try await store.slaAlerts.setThread(thread, conversationId: c.id, now: clock.now) }
                sentTo.append("webhook")
            case .retry(let why, let after): return .retry(why, after: after)
            case .refused(let why): return .fail(why)
            }
        }
        let recipients = try await store.slaAlerts.recipients(of: c)
        let trigger: AutomationTrigger = alert.isBreach ? .slaBreach : .slaWarning
        let rules = book.has(trigger) ? RunAutomation(trigger: trigger, conversationId: c.id) : nil
        for user in try await store.slaAlerts.record(alert, recipients: recipients, sentTo: sentTo, then: rules, now: clock.now) {
            hub.publish(.notificationCreated(for: user, conversation: c.id, message: nil))
        }
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
        return .done
    }

    /// In the shop's working language (Japanese); the customer's words escaped.
    func message(_ alert: SLAAlert, _ c: Conversation) async throws -> SlackMessage {
        let t = WebStrings.table("ja")
        let zone = try await store.reports.timeZone()
        let channel = WebFormat.channelLabel(c.channel, t: t)
        let customer = SlackMessage.escape(c.contactName)
        let headline =
            alert.isBreach
            ? WebStrings.text("sla_alert_breach", "ja", ["customer": customer, "channel": channel])
            : WebStrings.text("sla_alert_warning", "ja", ["left": WebFormat.duration(alert.before, t: t), "customer": customer, "channel": channel])
        let link = "\(baseURL)/conversations/\(c.id)"
        var context = [WebStrings.text("sla_alert_due", "ja", ["due": WebFormat.dueClock(alert.dueAt, timeZone: zone, t: t)])]
        if let assignee = c.assigneeId, let user = try await store.accounts.user(id: assignee) {
            context.append(WebStrings.text("sla_alert_assignee", "ja", ["name": SlackMessage.escape(user.name)]))
        } else {
            context.append(t["sla_alert_unassigned"] ?? "")
        }
        context.append("<\(link)|\(t["sla_alert_open"] ?? "")>")
        return SlackMessage.about(c, headline: headline, context: context, link: link, thread: try await store.slaAlerts.thread(conversationId: c.id))
    }
}
