import Foundation
import KotaeCore
import Logging
import ServiceLifecycle

/// The open widget sockets of this instance, by conversation and by visitor. One hub
/// listener serves them all: an event about a conversation wakes only the sockets that
/// show it (thousands of visitors do not each read every event), and an event about no
/// open socket's conversation wakes nothing.
final class ChatSessions: Service, Sendable {
    private struct Registry {
        var byConversation: [ID: [ObjectIdentifier: VisitorConnection]] = [:]
        var byVisitor: [String: [ObjectIdentifier: VisitorConnection]] = [:]
    }

    private let registry = Locked(Registry())
    let hub: EventHub

    init(hub: EventHub) {
        self.hub = hub
    }

    static func visitorSlot(_ inbox: ID, _ visitor: String) -> String { "\(inbox):\(visitor)" }

    func add(_ c: VisitorConnection, conversations: [ID]) {
        registry.withLock { r in
            r.byVisitor[Self.visitorSlot(c.inbox.id, c.visitor.key), default: [:]][ObjectIdentifier(c)] = c
            for id in conversations { r.byConversation[id, default: [:]][ObjectIdentifier(c)] = c }
        }
    }

    func remove(_ c: VisitorConnection, conversations: [ID]) {
        registry.withLock { r in
            let slot = Self.visitorSlot(c.inbox.id, c.visitor.key)
            r.byVisitor[slot]?[ObjectIdentifier(c)] = nil
            if r.byVisitor[slot]?.isEmpty == true { r.byVisitor[slot] = nil }
            for id in conversations {
                r.byConversation[id]?[ObjectIdentifier(c)] = nil
                if r.byConversation[id]?.isEmpty == true { r.byConversation[id] = nil }
            }
        }
    }

    /// A conversation the visitor started: every socket of theirs shows it from now on.
    func started(_ conversation: ID, thread: String, inbox: ID, visitor: String) async {
        let connections = registry.withLock { r in
            let all = Array((r.byVisitor[Self.visitorSlot(inbox, visitor)] ?? [:]).values)
            for c in all { r.byConversation[conversation, default: [:]][ObjectIdentifier(c)] = c }
            return all
        }
        for c in connections {
            await c.watch(conversation, thread: thread)
            await c.pull()
        }
    }

    func connections(of conversation: ID) -> [VisitorConnection] {
        registry.withLock { Array(($0.byConversation[conversation] ?? [:]).values) }
    }

    var count: Int { registry.withLock { $0.byVisitor.values.reduce(0) { $0 + $1.count } } }

    /// Listens in line with the hub (no task of its own wakes per event) until the server stops.
    func run() async throws {
        let listener = hub.listen { [weak self] event in self?.dispatch(event) }
        defer { hub.stopListening(listener) }
        try? await gracefulShutdown()
    }

    private func dispatch(_ event: HubEvent) {
        guard let id = event.conversationId else { return }
        let targets = connections(of: id)
        guard !targets.isEmpty else { return }
        switch event.type {
        case .messageCreated, .messageUpdated:
            for c in targets { Task { await c.pull() } }
        case .conversationUpdated:
            // The bot's answer, or its hand-off (after which a visitor nobody can answer is asked for an address).
            for c in targets {
                Task {
                    await c.pull()
                    await c.askForEmailIfNobodyCanAnswer(id)
                }
            }
        case .presence:
            // An agent writing or looking; a visitor's own typing is not echoed back.
            guard let note = event.presence, !note.connection.hasPrefix(Self.visitorPresence) else { return }
            for c in targets {
                Task {
                    guard let thread = await c.thread(of: id) else { return }
                    switch note.state {
                    case .replying: await c.send(.typing(thread))
                    case .viewing: await c.send(.seen(thread))
                    case .left: break
                    }
                }
            }
        default: return
        }
    }

    /// The presence connection name of a visitor typing in the widget.
    static let visitorPresence = "visitor:"
}
