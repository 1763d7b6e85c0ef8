import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeChannels
import KotaeCore
import KotaeStore

/// The inbox: list, open, reply, note, and every change an agent makes.
struct ConversationController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("conversations", use: list)
        group.get("conversations/:id", use: show)
        group.post("conversations/:id/reply", use: reply)
        group.post("conversations/:id/notes", use: note)
        group.post("conversations/:id/assign", use: assign)
        group.post("conversations/:id/status", use: status)
        group.post("conversations/:id/priority", use: priority)
        group.post("conversations/:id/labels", use: labels)
        group.post("conversations/:id/snooze", use: snooze)
        group.post("messages/:id/retry", use: retryDelivery)
    }

    struct ListOut: Encodable {
        let conversations: [ConversationOut]
        let nextCursor: String?
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let q = try ConversationQuery(parameters: request.formQuery(), user: user)
        let now = app.clock.now
        let page = try await app.store.conversations.listConversations(q, now: now)
        return try context.json(
            ListOut(
                conversations: page.conversations.map { ConversationOut($0, now: now) },
                nextCursor: page.nextCursor?.token), request)
    }

    struct DetailOut: Encodable {
        let conversation: ConversationOut
        let contact: Contact
        let messages: [Message]
        let events: [AuditEvent]
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let c = try await app.store.conversations.conversation(id: id) else { throw APIError.notFound("conversation") }
        guard let contact = try await app.store.contacts.contact(id: c.contactId) else { throw APIError.notFound("contact") }
        return try context.json(
            DetailOut(
                conversation: ConversationOut(c, now: app.clock.now), contact: contact,
                messages: try await app.store.conversations.messages(conversationId: id),
                events: try await app.store.events(conversationId: id)), request)
    }

    /// A reply or a note: text, files (a pasted screenshot), and for notes the colleagues @mentioned.
    struct TextInput: Decodable {
        let text: String
        let attachments: [AttachmentInput]?
        let mentions: [Int64]?
        /// Replies only: answer a public comment privately.
        let `private`: Bool?
        /// Replies in a public conversation: the comment this answers (default: the latest unanswered).
        let replyTo: Int64?
        /// Email replies: more people to copy, beside those already on the thread.
        let cc: [String]?

        /// Text or a file is needed; files are checked (`check`: what the platform carries)
        /// and stored only once all else is valid.
        func validated(in store: AttachmentStore, check: ([Attachment], _ hasText: Bool) throws -> Void = { _, _ in }) throws -> (
            String, [Attachment]
        ) {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let files = attachments ?? []
            guard !text.isEmpty || !files.isEmpty else { throw APIError.invalid("text", "text is empty") }
            return (text, try AttachmentInput.store(files, in: store) { try check($0, !text.isEmpty) })
        }
    }
    struct MessageOut: Encodable { let message: Message; let conversation: ConversationOut }

    func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: TextInput.self, context: context)
        if input.mentions?.isEmpty == false { throw APIError.invalid("mentions", "mentions belong in a private note, not a reply") }
        guard let target = try await app.store.conversations.conversation(id: id) else { throw APIError.notFound("conversation") }
        if let replyTo = input.replyTo {
            // Checked before any file is stored; the store checks again in its transaction.
            guard let comment = try await app.store.conversations.message(id: replyTo), comment.conversationId == id, comment.isPublicItem else {
                throw APIError.invalid("replyTo", "replyTo must be a public comment of this conversation")
            }
        }
        let route = try await app.channels.replyRoute(for: target, privately: input.private ?? false)
        // Said in the agent's language: the composer shows it as it comes.
        let language = user.locale == "ja" ? "ja" : "en"
        if input.private == true, let refusal = route.privateRefusal(in: language) {
            throw APIError.invalid("private", refusal)
        }
        var details = try Self.copies(input.cc, channel: target.channel)
        // Checked before any file is stored: a forbidden word refuses the reply; any other
        // warning goes with it, so whoever reviews it sees what was sent over a warning.
        let issues = try await app.replyCheck.check(input.text, conversation: target, attachments: input.attachments?.count ?? 0)
        if let forbidden = issues.first(where: \.blocks) {
            throw APIError.invalid("text", ReplyCheckController.warning(forbidden, language).message)
        }
        if !issues.isEmpty { details.replyWarnings = issues.map(\.kind) }
        let (text, files) = try input.validated(in: app.attachments) { files, hasText in
            if let refusal = OutboundFiles.refusal(files, route: route.files, hasText: hasText) {
                throw APIError.invalid("attachments", refusal.said(in: language))
            }
            if !files.isEmpty && route.files.fetchesByLink && app.fileLinks.base == nil {
                throw APIError.invalid("attachments", WebStrings.text("refuse_noPublicAddress", language))
            }
        }
        // An agent whose replies (or whose inbox's) need a supervisor: held, not sent. Admins approve, so theirs go.
        if user.role != .admin, try await ApprovalController.needed(for: user.id, inbox: target.inboxId, store: app.store) {
            let (message, conversation) = try await app.conversations.hold(
                conversationId: id, text: text, author: user.id, attachments: files, privateReply: input.private ?? false, replyTo: input.replyTo,
                details: details)
            return try context.json(
                MessageOut(message: message, conversation: ConversationOut(conversation, now: app.clock.now)), request, status: .created)
        }
        let (message, conversation) = try await app.conversations.reply(
            conversationId: id, text: text, author: user.id, attachments: files,
            privateReply: input.private ?? false, replyTo: input.replyTo, details: details)
        return try context.json(
            MessageOut(message: message, conversation: ConversationOut(conversation, now: app.clock.now)), request, status: .created)
    }

    /// The extra Cc of an email reply, checked before anything is stored.
    static func copies(_ cc: [String]?, channel: ChannelKind) throws -> MessageDetails {
        let addresses = (cc ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !addresses.isEmpty else { return MessageDetails() }
        guard channel == .email else { throw APIError.invalid("cc", "only an email reply can copy others") }
        guard addresses.count <= 20 else { throw APIError.invalid("cc", "at most 20 addresses can be copied") }
        if let bad = addresses.first(where: { !EmailSettings.looksLikeAddress($0) }) {
            throw APIError.invalid("cc", "'\(bad)' is not an email address")
        }
        return MessageDetails(email: EmailHeaders(subject: "", from: "", to: [], cc: addresses))
    }

    func note(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: TextInput.self, context: context)
        let (text, files) = try input.validated(in: app.attachments)
        let message = try await app.conversations.note(
            conversationId: id, text: text, author: user.id,
            mentions: input.mentions ?? [], attachments: files)
        return try context.json(message, request, status: .created)
    }

    /// `assigneeId` and `teamId` each change only when present; `null` clears.
    struct AssignInput: Decodable {
        let assigneeId: Int64??
        let teamId: Int64??

        enum CodingKeys: String, CodingKey { case assigneeId, teamId }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            assigneeId =
                c.contains(.assigneeId) ? .some(try c.decodeNil(forKey: .assigneeId) ? nil : try c.decode(Int64.self, forKey: .assigneeId)) : nil
            teamId = c.contains(.teamId) ? .some(try c.decodeNil(forKey: .teamId) ? nil : try c.decode(Int64.self, forKey: .teamId)) : nil
        }
    }
    struct StatusInput: Decodable { let status: ConversationStatus; let reason: NoReplyReason? }
    struct PriorityInput: Decodable { let priority: Priority }
    struct LabelsInput: Decodable { let add: [String]?; let remove: [String]? }
    struct SnoozeInput: Decodable { let until: Date }

    func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: AssignInput.self, context: context)
        var changes: [ConversationChange] = []
        if let assignee = input.assigneeId { changes.append(.assign(userId: assignee)) }
        if let team = input.teamId { changes.append(.team(team)) }
        if changes.isEmpty { throw APIError.invalid("assigneeId", "give assigneeId, teamId or both") }
        return try context.json(ConversationOut(try await apply(request, context, changes), now: app.clock.now), request)
    }

    func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: StatusInput.self, context: context)
        return try context.json(
            ConversationOut(try await apply(request, context, .status(input.status, reason: input.reason)), now: app.clock.now), request)
    }

    func priority(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: PriorityInput.self, context: context)
        return try context.json(ConversationOut(try await apply(request, context, .priority(input.priority)), now: app.clock.now), request)
    }

    func labels(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: LabelsInput.self, context: context)
        for label in (input.add ?? []) + (input.remove ?? []) {
            do { try KotaeStore.validateLabel(name: label) } catch {
                throw APIError.invalid("add", "label '\(label)' must be 1…64 characters without commas")
            }
        }
        return try context.json(
            ConversationOut(try await apply(request, context, .labels(add: input.add ?? [], remove: input.remove ?? [])), now: app.clock.now), request
        )
    }

    func snooze(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: SnoozeInput.self, context: context)
        return try context.json(ConversationOut(try await apply(request, context, .snooze(until: input.until)), now: app.clock.now), request)
    }

    private func apply(_ request: Request, _ context: AppRequestContext, _ change: ConversationChange) async throws -> Conversation {
        try await apply(request, context, [change])
    }

    private func apply(_ request: Request, _ context: AppRequestContext, _ changes: [ConversationChange]) async throws -> Conversation {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await app.conversations.change(conversationId: id, changes, actor: user.id)
    }

    /// The agent's retry button on a failed delivery.
    func retryDelivery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        try await app.conversations.retryDelivery(messageId: id, actor: user.id)
        return Response(status: .accepted)
    }
}

func intParam(_ name: String, _ value: String) throws -> Int64 {
    guard let v = Int64(value) else { throw APIError.invalid(name, "\(name) must be a number") }
    return v
}
