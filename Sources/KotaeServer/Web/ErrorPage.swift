import Foundation
import Hummingbird
import KotaeStore

/// What a browser sees when a page of the agent UI fails: the app's frame, a sentence in
/// the agent's language and a way back, never raw JSON.
struct ErrorPage: Sendable {
    let app: AppServices
    let templates: WebTemplates

    func render(_ problem: APIError, _ request: Request) async -> Response? {
        // The signed-in agent, if any (this runs outside the UI's own middleware).
        let session = try? await request.cookies[AuthMiddleware.cookieName].asyncMap { try await app.store.session(token: $0.value) } ?? nil
        var user = session?.user
        if user == nil, let auth = request.headers[.authorization], auth.hasPrefix("Bearer ") {
            user = try? await app.store.userForAPIToken(String(auth.dropFirst(7)))
        }
        let lang = WebStrings.language(user: user?.locale, acceptLanguage: request.headers[.acceptLanguage])
        let t = WebStrings.table(lang)
        let localized = ProblemText.localized(problem, language: lang)
        let titleKey = switch problem.status.code {
        case 404: "error_notFound"
        case 401, 403: "error_forbidden"
        case 500...: "error_server"
        default: "error_generic"
        }
        let unread = (try? await user.asyncMap { try await app.store.unreadNotificationCount(userId: $0.id) }) ?? 0
        let frame = PageFrame(lang: lang, user: user, csrf: session?.csrfToken, title: t[titleKey] ?? "", unreadNotifications: unread ?? 0)
        return templates.page("error", [
            "frame": frame, "heading": t[titleKey] ?? "", "detail": localized.detail, "status": problem.status.code,
            "back": user == nil ? "/login" : "/", "backLabel": t[user == nil ? "signIn" : "backToInbox"] ?? "",
        ] as [String: Any], status: problem.status)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
