import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeMail
import KotaeStore

/// Sends one SLA alert: to the assignee and their team (the admins when nobody owns it) in
/// Kotae and, when the shop chose an email inbox, by mail to the same people; and to the shop's
/// Slack-compatible webhook, in the conversation's thread where the receiver gave one. Checked again first: a conversation answered, resolved or given a new
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
    /// The email channel, for alerts by mail.
    let email: EmailChannel?

    func run(_ alert: SLAAlert) async throws -> JobRunner.JobResult {
        guard let c = try await store.conversations.conversation(id: alert.conversationId), c.status != .resolved,
            let due = c.clock.slaDueAt, abs(due.timeIntervalSince(alert.dueAt)) < 1
        else { return .done }
        let settings = try await EscalationSettings.load(store)
        let recipients = try await store.slaAlerts.recipients(of: c)
        var sentTo = ["kotae"]
        // Mail first: a retry then repeats nothing already sent. A mail that cannot go (no
        // server, an address refused) is left out, and the other ways still alert.
        if let inboxId = settings.emailInboxId, let email, let inbox = try await store.inboxes.find(id: inboxId), inbox.channel == .email {
            var people: [MailAddress] = []
            for id in recipients { if let u = try await store.accounts.user(id: id) { people.append(MailAddress(name: u.name, address: u.email)) } }
            let mail = try await mail(alert, c)
            switch try await email.sendNotice(subject: mail.subject, text: mail.text, to: people, inbox: inbox) {
            case .delivered: sentTo.append("email")
            case .retry(let why, let after), .throttled(let why, let after): return .retry(why, after: after)
            case .permanent, .channelProblem: break
            }
        }
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
        let trigger: AutomationTrigger = alert.isBreach ? .slaBreach : .slaWarning
        let rules = book.has(trigger) ? RunAutomation(trigger: trigger, conversationId: c.id) : nil
        for user in try await store.slaAlerts.record(alert, recipients: recipients, sentTo: sentTo, then: rules, now: clock.now) {
            hub.publish(.notificationCreated(for: user, conversation: c.id, message: nil))
        }
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
        return .done
    }

    /// What an alert says, in the shop's working language (Japanese); `escape` applies to the
    /// customer's and the agent's names (Slack reads `<…>` as links and mentions; mail does not).
    func words(_ alert: SLAAlert, _ c: Conversation, escape: (String) -> String) async throws -> (headline: String, context: [String]) {
        let t = WebStrings.table("ja")
        let zone = try await store.reports.timeZone()
        let channel = WebFormat.channelLabel(c.channel, t: t)
        let customer = escape(c.contactName)
        let headline =
            alert.isBreach
            ? WebStrings.text("sla_alert_breach", "ja", ["customer": customer, "channel": channel])
            : WebStrings.text("sla_alert_warning", "ja", ["left": WebFormat.duration(alert.before, t: t), "customer": customer, "channel": channel])
        var context = [WebStrings.text("sla_alert_due", "ja", ["due": WebFormat.dueClock(alert.dueAt, timeZone: zone, t: t)])]
        if let assignee = c.assigneeId, let user = try await store.accounts.user(id: assignee) {
            context.append(WebStrings.text("sla_alert_assignee", "ja", ["name": escape(user.name)]))
        } else {
            context.append(t["sla_alert_unassigned"] ?? "")
        }
        return (headline, context)
    }

    func link(_ c: Conversation) -> String { "\(baseURL)/conversations/\(c.id)" }

    /// For the webhook: the customer's words escaped, the link in the context line.
    func message(_ alert: SLAAlert, _ c: Conversation) async throws -> SlackMessage {
        let (headline, context) = try await words(alert, c, escape: SlackMessage.escape)
        let open = "<\(link(c))|\(WebStrings.table("ja")["sla_alert_open"] ?? "")>"
        return SlackMessage.about(
            c, headline: headline, context: context + [open], link: link(c), thread: try await store.slaAlerts.thread(conversationId: c.id))
    }

    /// For mail: the headline as its subject; the customer's latest words quoted, the due
    /// time, who owns it and the link in its text.
    func mail(_ alert: SLAAlert, _ c: Conversation) async throws -> (subject: String, text: String) {
        let (headline, context) = try await words(alert, c, escape: { $0 })
        let quoted = c.snippet.isEmpty ? [] : c.snippet.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
        return (headline, ([headline, ""] + quoted + [""] + context + ["", link(c)]).joined(separator: "\n"))
    }
}
