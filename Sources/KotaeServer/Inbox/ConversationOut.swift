import Foundation
import KotaeCore
import KotaeStore

/// A conversation as the API shows it: the stored fields plus the SLA state right now.
struct ConversationOut: Encodable {
    let id: Int64
    let inboxId: Int64
    let channel: ChannelKind
    let contactId: Int64
    let contactName: String
    let status: ConversationStatus
    let priority: Priority
    let assigneeId: Int64?
    let teamId: Int64?
    let labels: [String]
    let isPublic: Bool
    let needsReply: Bool
    let waitingSince: Date?
    let slaState: SLAState
    let slaDueAt: Date?
    let firstResponseDue: Date?
    let nextResponseDue: Date?
    let resolutionDue: Date?
    let firstRespondedAt: Date?
    let firstResponseSeconds: Double?
    let resolvedAt: Date?
    let resolutionSeconds: Double?
    let snoozedUntil: Date?
    let noReplyReason: NoReplyReason?
    /// A reply is queued and not yet delivered: the customer still waits until it is.
    let replySendingSince: Date?
    /// The last reply could not be delivered and none has been since (「送信失敗」).
    let replyFailedAt: Date?
    let lastMessageAt: Date
    let snippet: String
    let createdAt: Date
    let updatedAt: Date
    /// What triage read in the customer's latest message.
    let intent: TriageIntent?
    let urgent: Bool

    init(_ c: Conversation, now: Date) {
        let k = c.clock
        id = c.id; inboxId = c.inboxId; channel = c.channel; contactId = c.contactId; contactName = c.contactName
        status = k.status; priority = c.priority; assigneeId = c.assigneeId; teamId = c.teamId; labels = c.labels
        isPublic = c.isPublic; needsReply = k.needsReply; waitingSince = k.waitingSince
        slaState = k.slaState(at: now); slaDueAt = k.slaDueAt
        firstResponseDue = k.firstResponseDue; nextResponseDue = k.nextResponseDue; resolutionDue = k.resolutionDue
        firstRespondedAt = k.firstRespondedAt; firstResponseSeconds = k.firstResponseSeconds
        resolvedAt = k.resolvedAt; resolutionSeconds = k.resolutionSeconds; snoozedUntil = k.snoozedUntil
        noReplyReason = k.noReplyReason; replySendingSince = k.replySendingSince; replyFailedAt = k.replyFailedAt
        lastMessageAt = c.lastMessageAt; snippet = c.snippet
        createdAt = k.createdAt; updatedAt = c.updatedAt; intent = c.intent; urgent = c.urgent
    }
}
