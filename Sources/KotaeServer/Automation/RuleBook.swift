import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Settings the inbound path reads from memory instead of the database: reloaded when they
/// change here, and every half minute (`BookRefresh`) for changes made on another instance.
protocol Reloadable: Sendable {
    func reload() async throws
}

struct BookRefresh: Service {
    let books: [any Reloadable]
    let logger: Logger
    var interval: Duration = .seconds(30)

    func run() async throws {
        // The books were read when the server was built; the first look is one interval later.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            for book in books {
                do { try await book.reload() } catch { logger.warning("settings could not be read", metadata: ["error": "\(error)"]) }
            }
        }
    }
}

/// The enabled rules, in memory, so the inbound path queues an automation job only when a
/// rule could act (no rule: nothing more on the way in).
final class RuleBook: Reloadable {
    private let rules = Locked<[AutomationRule]>([])
    let store: KotaeStore

    init(store: KotaeStore) { self.store = store }

    func reload() async throws {
        let enabled = try await store.automation.all().filter(\.enabled)
        rules.withLock { $0 = enabled }
    }

    func rules(for trigger: AutomationTrigger) -> [AutomationRule] { rules.withLock { $0.filter { $0.trigger == trigger } } }

    func has(_ trigger: AutomationTrigger) -> Bool { rules.withLock { $0.contains { $0.trigger == trigger } } }
}

/// A customer's message sets off the rules for a new conversation and for a message received.
struct AutomationInboundRule: InboundRule {
    let book: RuleBook

    func followUps(for message: Message, in conversation: Conversation, inbox: Inbox) -> [FollowUp] {
        guard message.kind == .inbound else { return [] }
        // The conversation's first message opened it, at the message's time (its own, or the
        // arrival's when that was earlier).
        let created = conversation.clock.createdAt == min(message.sentAt ?? message.createdAt, message.createdAt)
        let triggers: [AutomationTrigger] = created ? [.conversationCreated, .messageReceived] : [.messageReceived]
        return triggers.filter(book.has).map { .job(RunAutomation(trigger: $0, conversationId: conversation.id, messageId: message.id)) }
    }
}
