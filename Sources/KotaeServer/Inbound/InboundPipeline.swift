import Foundation
import KotaeCore
import KotaeStore

/// Every channel's one door into the core. A customer's message is stored exactly once,
/// together with everything that follows from it (the channel's own jobs and reply token,
/// and what each registered rule asks for) in one transaction; only then are the agents'
/// screens told and the job runner woken.
struct InboundPipeline: Sendable {
    let store: KotaeStore
    let hub: EventHub
    let metrics: KotaeMetrics
    let wake: RunnerWake
    let rules: [any InboundRule]

    /// What every new customer message may set in motion, on any channel: registered here, once.
    static func registeredRules(automation: RuleBook, assignment: AssignmentBook) -> [any InboundRule] {
        [Listening.Rule(), FAQBotRule(), AutoAssignRule(book: assignment), AutomationInboundRule(book: automation)]
    }

    /// `followUps` is the channel's own work for this message (an image to fetch, a reply
    /// token to keep); it is asked only for a new message, never for a redelivery.
    func accept(
        _ m: InboundMessage, inbox: Inbox,
        followUps: @escaping @Sendable (Message, Conversation) -> [FollowUp] = { _, _ in [] }
    ) async throws -> Conversations.IngestOutcome {
        let rules = self.rules
        var m = m
        // What it is about, its tone, whether it is urgent or needs a reply: read once, kept with it.
        if !m.text.isEmpty { m.details.triage = Triage(isPublic: m.isPublic).read(m.text) }
        let outcome = try await store.conversations.ingest(m, inbox: inbox) { message, conversation in
            followUps(message, conversation) + rules.flatMap { $0.followUps(for: message, in: conversation, inbox: inbox) }
        }
        FaultPoint.reach(.afterIngestCommit)
        switch outcome {
        case .created(let message, let conversation, let work):
            metrics.ingested.increment()
            hub.publish(.messageCreated(conversation.id, message: message.id, inbox: inbox.id, assignee: conversation.assigneeId))
            if work.contains(where: \.changesConversation) {
                hub.publish(.conversationUpdated(conversation.id, inbox: inbox.id))
            }
            if work.contains(where: \.queuesJob) { wake.poke() }
        case .duplicate:
            metrics.duplicates.increment()
        }
        return outcome
    }
}
