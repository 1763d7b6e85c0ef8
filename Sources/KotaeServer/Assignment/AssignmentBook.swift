import Foundation
import KotaeCore
import KotaeStore

/// Which inboxes assign their new conversations by themselves, in memory for the inbound path.
final class AssignmentBook: Reloadable {
    private let inboxes = Locked<Set<ID>>([])
    let store: KotaeStore

    init(store: KotaeStore) { self.store = store }

    func reload() async throws {
        let ids = try await Self.inboxIds(store)
        inboxes.withLock { $0 = Set(ids) }
    }

    func assigns(_ inbox: ID) -> Bool { inboxes.withLock { $0.contains(inbox) } }

    static func inboxIds(_ store: KotaeStore) async throws -> [ID] {
        try await store.ids(Assignments.inboxesSetting)
    }

    static func offlineMinutes(_ store: KotaeStore) async throws -> Double {
        try await store.setting(Assignments.offlineSetting).flatMap(Double.init) ?? Assignments.defaultOfflineMinutes
    }
}

/// A customer's message in an unassigned conversation of such an inbox: given, in the
/// message's transaction, to the agent online with room and the fewest open conversations.
struct AutoAssignRule: InboundRule {
    let book: AssignmentBook

    func followUps(for message: Message, in conversation: Conversation, inbox: Inbox) -> [FollowUp] {
        guard message.kind == .inbound, conversation.assigneeId == nil, book.assigns(inbox.id) else { return [] }
        return [.autoAssign(onlineSince: message.createdAt.addingTimeInterval(-Assignments.onlineWindow))]
    }
}
