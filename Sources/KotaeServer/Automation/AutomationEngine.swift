import AsyncHTTPClient
import Foundation
import KotaeChannels
import KotaeCore
import KotaeMail
import KotaeStore

/// Runs the rules of one event on one conversation: each enabled rule of the trigger whose
/// conditions hold does its actions, in the rule's name. What rules do is written through
/// the store directly and sets off no rule: a rule never runs on an event it caused, and a
/// conversation takes at most `cap` rule runs an hour whatever the outside world answers.
struct AutomationEngine: Sendable {
    static let cap = 10
    static let window: TimeInterval = 3600

    let store: KotaeStore
    let book: RuleBook
    let channels: ChannelRegistry
    /// For rules on the customer's orders (the cached ones beside the conversation).
    let commerce: CommerceConnections
    let hub: EventHub
    let http: HTTPClient
    let clock: AppClock
    let wake: @Sendable () -> Void
    let baseURL: String

    func run(_ job: RunAutomation) async throws -> JobRunner.JobResult {
        guard let c = try await store.conversations.conversation(id: job.conversationId) else { return .done }
        let rules = try await rulesToRun(job)
        guard !rules.isEmpty else { return .done }
        let facts = try await facts(c, job, orders: rules.contains { $0.conditions.needsOrders })
        for rule in rules where rule.conditions.matches(facts) {
            try await perform(rule, on: c)
        }
        return .done
    }

    private func rulesToRun(_ job: RunAutomation) async throws -> [AutomationRule] {
        guard let id = job.ruleId else { return book.rules(for: job.trigger) }
        // A timed rule: that rule, as it is now (it may have been turned off since).
        guard let rule = try await store.automation.find(id: id), rule.enabled, rule.trigger == job.trigger else { return [] }
        return [rule]
    }

    /// The conversation as it is, the message that set it off (or the customer's latest), and
    /// the states of the customer's orders when `orders` (from the cache: a rule waits on no store).
    func facts(_ c: Conversation, _ job: RunAutomation, orders: Bool) async throws -> RuleFacts {
        let messages = try await store.conversations.messages(conversationId: c.id)
        let message = job.messageId.flatMap { id in messages.first { $0.id == id } } ?? messages.last { $0.kind == .inbound }
        let inbox = try await store.inboxes.find(id: c.inboxId)
        let contact = try await store.contacts.contact(id: c.contactId)
        return RuleFacts(
            channel: c.channel, inboxId: c.inboxId, status: c.status, labels: c.labels, contactEmail: contact?.email, text: message?.text,
            triage: message?.details.triage, rating: job.rating,
            inBusinessHours: inbox?.slaPolicy.businessHours?.isOpen(at: clock.now) ?? true,
            orderStates: orders
                ? RuleOrderState.of(
                    try await OrdersPanel(store: store, connections: commerce, clock: clock).cached(conversationId: c.id).orders.map(\.order))
                : nil)
    }

    func perform(_ rule: AutomationRule, on c: Conversation) async throws {
        let a = rule.actions
        let now = clock.now
        var changes: [ConversationChange] = []
        if let user = a.assignTo { changes.append(.assign(userId: user)) }
        if let team = a.team { changes.append(.team(team)) }
        if let labels = a.addLabels, !labels.isEmpty { changes.append(.labels(add: labels, remove: [])) }
        if let priority = a.priority { changes.append(.priority(priority)) }
        if let minutes = a.snoozeMinutes { changes.append(.snooze(until: now.addingTimeInterval(minutes * 60))) }
        // A waiting customer closed by a rule is closed as needing no answer (the rule's author decided so).
        if a.resolve == true { changes.append(.status(.resolved, reason: c.clock.needsReply ? .noAnswerNeeded : nil)) }
        let reply = try await cannedReply(a.cannedResponseId, c)
        guard
            let after = try await store.automation.apply(
                rule, conversationId: c.id, changes: changes, note: a.note, reply: reply, cap: Self.cap, window: Self.window, now: now)
        else { return }
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
        if reply != nil { wake() }
        if let url = a.webhookURL {
            let t = WebStrings.table("ja")
            let headline = WebStrings.text(
                "auto_webhook", "ja",
                [
                    "rule": SlackMessage.escape(rule.name), "customer": SlackMessage.escape(after.contactName),
                    "channel": WebFormat.channelLabel(after.channel, t: t),
                ])
            let link = "\(baseURL)/conversations/\(after.id)"
            let message = SlackMessage.about(after, headline: headline, context: ["<\(link)|\(t["sla_alert_open"] ?? "")>"], link: link)
            // The rule's other actions are done; a webhook that does not answer is noted, not retried with them.
            if case .posted = await message.post(to: url, http: http) {
            } else {
                try await store.conversations.step("automation.webhookFailed", conversationId: c.id, data: ["rule": rule.name])
            }
        }
        if let to = a.emailTo, !to.isEmpty {
            try await mail(rule, after, to: to)
        }
    }

    /// The rule's mail: what the conversation is and its link, from the chosen email inbox. Like
    /// the webhook, one that cannot go is noted on the timeline, not retried with the rest.
    private func mail(_ rule: AutomationRule, _ c: Conversation, to: [String]) async throws {
        let t = WebStrings.table("ja")
        let subject = WebStrings.text(
            "auto_webhook", "ja", ["rule": rule.name, "customer": c.contactName, "channel": WebFormat.channelLabel(c.channel, t: t)])
        let quoted = c.snippet.isEmpty ? [] : c.snippet.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
        let text = ([subject, ""] + quoted + ["", "\(baseURL)/conversations/\(c.id)"]).joined(separator: "\n")
        var outcome: DeliveryOutcome = .channelProblem(reason: "no email inbox")
        if let id = rule.actions.emailInboxId, let inbox = try await store.inboxes.find(id: id), inbox.channel == .email, let email = channels.email {
            outcome = try await email.sendNotice(subject: subject, text: text, to: to.map { MailAddress(name: nil, address: $0) }, inbox: inbox)
        }
        if case .delivered = outcome { return }
        try await store.conversations.step("automation.emailFailed", conversationId: c.id, data: ["rule": rule.name])
    }

    /// The canned response filled for this conversation, where the channel can take a message now.
    private func cannedReply(_ id: ID?, _ c: Conversation) async throws -> String? {
        guard let id, let canned = try await store.cannedResponses().first(where: { $0.id == id }) else { return nil }
        if try await channels.unpromptedRefusal(for: c) != nil { return nil }
        let contact = try await store.contacts.contact(id: c.contactId)
        let inbox = try await store.inboxes.find(id: c.inboxId)
        var values = ["conversation.id": String(c.id), "agent.name": "Kotae"]
        values["contact.name"] = contact?.name
        values["contact.email"] = contact?.email
        values["inbox.name"] = inbox?.name
        return CannedTemplate(canned.body).render(values)
    }
}
