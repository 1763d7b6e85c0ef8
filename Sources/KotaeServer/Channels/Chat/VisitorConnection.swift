import Foundation
import HummingbirdWebSocket
import KotaeCore
import KotaeStore

/// One open widget socket: the visitor, the conversations it shows, and the newest message it
/// was sent. Messages reach it by pulling from the store after that message whenever one of
/// its conversations changes, so a message is sent once, in order, whichever event told of
/// it, and nothing the store has is skipped.
actor VisitorConnection {
    nonisolated let visitor: VisitorIdentity.Visitor
    nonisolated let inbox: Inbox
    private let outbound: WebSocketOutboundWriter
    private let store: KotaeStore
    private let fileLinks: FileLinks
    private let availability: ChatAvailability
    /// Conversations whose visitor was already asked for an address.
    private var askedForEmail: Set<ID> = []
    private var lastSent: Int64
    /// Conversation id → the widget's thread name.
    private(set) var threads: [ID: String] = [:]
    static let page = 500
    private var pulling = false
    private var pullAgain = false

    init(
        visitor: VisitorIdentity.Visitor, inbox: Inbox, outbound: WebSocketOutboundWriter, store: KotaeStore, fileLinks: FileLinks,
        availability: ChatAvailability, since: Int64
    ) {
        self.availability = availability
        self.visitor = visitor
        self.inbox = inbox
        self.outbound = outbound
        self.store = store
        self.fileLinks = fileLinks
        lastSent = since
    }

    func send(_ frame: WidgetFrame) async {
        guard let text = frame.json else { return }
        try? await outbound.write(.text(text))
    }

    func watch(_ conversation: ID, thread: String) { threads[conversation] = thread }

    func thread(of conversation: ID) -> String? { threads[conversation] }

    func conversation(of thread: String) -> ID? { threads.first { $0.value == thread }?.key }

    /// Sends what the store has after the last message sent. A pull asked for while one runs
    /// makes that one go round again, so the two never send the same message.
    func pull() async {
        if pulling {
            pullAgain = true
            return
        }
        pulling = true
        defer { pulling = false }
        var full = false
        repeat {
            pullAgain = false
            guard let messages = try? await store.chatVisitors.messages(conversations: Array(threads.keys), after: lastSent, limit: Self.page)
            else { return }
            for m in messages {
                guard let thread = threads[m.conversationId] else { continue }
                await send(.message(widgetMessage(m, thread: thread)))
                lastSent = max(lastSent, m.id)
            }
            // A long history comes a page at a time.
            full = messages.count == Self.page
        } while pullAgain || full
    }

    /// Nobody can answer now (closed, or no agent at the desk) and no address is known: the
    /// visitor is asked for one, once per conversation. Where the bot is on, it has its turn
    /// first, and the visitor is asked only once it handed off (no notice over its answer).
    func askForEmailIfNobodyCanAnswer(_ conversation: ID) async {
        guard !askedForEmail.contains(conversation), let thread = threads[conversation], visitor.verifiedEmail == nil,
            (try? await store.chatVisitors.visitor(inbox: inbox.id, key: visitor.key))??.email == nil,
            let now = try? await availability.now(for: inbox), !now.open || !now.online
        else { return }
        if inbox.settings[FAQBotRule.setting] == "true" {
            guard (try? await store.chatVisitors.handedOff(conversationId: conversation)) == true else { return }
        }
        askedForEmail.insert(conversation)
        await send(.askEmail(thread))
    }

    func widgetMessage(_ m: Message, thread: String) -> WidgetMessage {
        let from: WidgetMessage.From = m.kind == .inbound ? .visitor : (m.details.bot != nil ? .bot : .shop)
        let cid = ExternalIDKind.chat.platformID(of: m.externalId).flatMap { $0.split(separator: "/").last.map(String.init) }
        return WidgetMessage(
            id: m.id, thread: thread, cid: m.kind == .inbound ? cid : nil, from: from, text: m.editedText ?? m.text,
            files: m.attachments.map { .init(name: $0.filename, type: $0.contentType, url: fileLinks.path(for: $0)) }, at: m.createdAt)
    }
}
