import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `POST /api/v1/inboxes/{id}/mime`: one raw RFC 5322 message (what mail providers' inbound
/// webhooks and scripts hand over), taken in exactly as IMAP would take it. Answered only
/// after it is stored.
struct RawMailController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("inboxes/:id/mime", use: receive)
    }

    struct Output: Encodable {
        let messageId: Int64?
        let conversationId: Int64?
        let duplicate: Bool
        /// How the thread was found (`references`, `subjectToken`, `newThread`, …).
        let thread: String?
        /// Set when the mail was not taken in, with the reason.
        let dropped: String?
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inboxId = try context.parameters.require("id", as: Int64.self)
        let inbox = try await app.inbox(inboxId, of: .email, refusal: "raw mail goes into an email inbox")
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard body.readableBytes > 0 else { throw APIError.badRequest("empty_body", "send the raw message (RFC 5322) as the body") }
        let raw = Array(buffer: body)
        let intake = MailIntake(app: app)
        switch try await intake.receive(raw, inbox: inbox, receivedAt: app.clock.now) {
        case .stored(let outcome, let reason):
            let duplicate = if case .duplicate = outcome { true } else { false }
            let m = outcome.message
            return try context.json(
                Output(
                    messageId: m.id, conversationId: m.conversationId, duplicate: duplicate, thread: duplicate ? nil : reason.rawValue,
                    dropped: nil), request, status: duplicate ? .ok : .created)
        case .dropped(let reason):
            return try context.json(
                Output(messageId: nil, conversationId: nil, duplicate: false, thread: nil, dropped: reason), request, status: .accepted)
        }
    }
}
