import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// The API channel: a normalized inbound message, the door every channel uses into the
/// core. Stored exactly once per `(inbox, externalId)`; answered 200 only after commit.
struct APIChannelController {
    let app: AppServices
    let attachments: AttachmentStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("inboxes/:id/messages", use: ingest)
        group.get("attachments/:sha256", use: download)
    }

    struct ContactInput: Decodable {
        let channel: String
        let externalId: String
        let name: String?
        let email: String?
        let phone: String?
    }

    struct Input: Decodable {
        let contact: ContactInput
        let externalId: String
        let threadKey: String?
        let text: String?
        let html: String?
        let attachments: [AttachmentInput]?
        let isPublic: Bool?
        let needsReply: Bool?
        let sentAt: Date?
    }

    struct Output: Encodable {
        let messageId: Int64
        let conversationId: Int64
        let duplicate: Bool
    }

    /// Identities an API client may claim: its own ids, an email address, a phone number.
    /// A platform's ids (a LINE user, a Messenger PSID) are only ever taken from that
    /// platform's signed webhooks, so a token cannot write as, or into, a LINE customer.
    static let identityKinds: Set<String> = ["api", "email", "phone"]
    /// API message ids live in their own namespace: `api:<externalId>`, so an id a client
    /// makes up can never collide with (and so suppress) a platform's delivery.

    func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inboxId = try context.parameters.require("id", as: Int64.self)
        let inbox = try await app.inbox(inboxId, of: .api, refusal: "the API channel only posts into API inboxes")
        let input = try await request.decode(as: Input.self, context: context)
        let message = try validate(input)
        let outcome = try await app.receive(message, inbox: inbox)
        let m = outcome.message
        let isDuplicate = if case .duplicate = outcome { true } else { false }
        return try context.json(Output(messageId: m.id, conversationId: m.conversationId, duplicate: isDuplicate), request)
    }

    /// Checks every field before anything is stored; attachments are written last, once all is valid.
    func validate(_ input: Input) throws -> InboundMessage {
        guard Self.identityKinds.contains(input.contact.channel) else {
            throw APIError.invalid("contact.channel", "contact.channel must be one of \(Self.identityKinds.sorted().joined(separator: ", "))")
        }
        if let sentAt = input.sentAt, !PlatformTime.isPlausible(sentAt) {
            throw APIError.invalid("sentAt", "sentAt must be between 2000-01-01 and a day from now")
        }
        let externalContact = input.contact.externalId.trimmingCharacters(in: .whitespaces)
        guard !externalContact.isEmpty, externalContact.count <= 255 else {
            throw APIError.invalid("contact.externalId", "contact.externalId must be 1…255 characters")
        }
        guard !input.externalId.isEmpty, input.externalId.count <= 255 else {
            throw APIError.invalid("externalId", "externalId must be 1…255 characters")
        }
        if let e = input.contact.email { try validateEmail(e, field: "contact.email") }
        let text = input.text ?? ""
        let files = input.attachments ?? []
        guard !text.isEmpty || !files.isEmpty else { throw APIError.invalid("text", "a message needs text or an attachment") }
        let stored = try AttachmentInput.store(files, in: attachments)
        return InboundMessage(
            identity: (input.contact.channel, externalContact), contactName: input.contact.name,
            contactEmail: input.contact.email ?? (input.contact.channel == "email" ? externalContact : nil),
            contactPhone: input.contact.phone, externalId: ExternalIDKind.api.id(input.externalId), threadKey: input.threadKey, text: text,
            html: input.html.map(HTMLSanitizer.sanitize), attachments: stored, isPublic: input.isPublic ?? false,
            needsReply: input.needsReply ?? true, sentAt: input.sentAt ?? Date())
    }

    func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let sha = try context.parameters.require("sha256")
        guard let data = attachments.load(sha) else { throw APIError.notFound("attachment") }
        // Served as a download, never rendered as a page of ours.
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream", .contentDisposition: "attachment",
                .init("Content-Security-Policy")!: "sandbox",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
