import Foundation
import Hummingbird
import KotaeCore

/// `POST /api/v1/inboxes/{id}/oauth/device` starts a device-code sign-in for an email inbox
/// (RFC 8628: the admin enters the code shown at the provider's address, on any device),
/// `GET` tells where it stands. Admins only: it connects the shop's mailbox.
struct MailSignInController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("inboxes/:id/oauth/device", use: start)
        group.get("inboxes/:id/oauth/device", use: status)
    }

    func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inbox = try await app.inbox(
            try context.parameters.require("id", as: Int64.self), of: .email, refusal: "only an email inbox signs in to a mail provider")
        guard inbox.settings["signIn"] == "oauth2" else {
            throw APIError(.conflict, code: "not_oauth", detail: "this inbox signs in with a password; set its sign-in to oauth2 first")
        }
        do {
            return try context.json(try await app.mailOAuth.startDeviceSignIn(inbox: inbox), request, status: .created)
        } catch let problem as EmailSettings.SignInProblem {
            throw APIError(.unprocessableContent, code: "device_sign_in_refused", detail: problem.reason)
        }
    }

    func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inbox = try await app.inbox(
            try context.parameters.require("id", as: Int64.self), of: .email, refusal: "only an email inbox signs in to a mail provider")
        guard let state = app.mailOAuth.deviceSignIn(inboxId: inbox.id) else {
            throw APIError.notFound("a device sign-in started on this server for this inbox")
        }
        return try context.json(state, request)
    }
}
