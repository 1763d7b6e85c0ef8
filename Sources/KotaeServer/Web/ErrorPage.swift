import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// What a browser sees when a page of the agent UI fails: the app's frame, a sentence in
/// the agent's language and a way back, never raw JSON.
struct ErrorPage: Sendable {
    let app: AppServices
    let templates: WebTemplates

    func render(_ problem: APIError, _ request: Request) async -> Response? {
        // The signed-in agent, if any (this runs outside the UI's own middleware).
        let caller = (try? await AuthMiddleware.caller(of: request, store: app.store)) ?? nil
        let user = caller?.user
        let lang = WebStrings.language(user: user?.locale, acceptLanguage: request.headers[.acceptLanguage])
        let t = WebStrings.table(lang)
        let localized = ProblemText.localized(problem, language: lang)
        let titleKey =
            switch problem.status.code {
            case 404: "error_notFound"
            case 401, 403: "error_forbidden"
            case 500...: "error_server"
            default: "error_generic"
            }
        var unread = 0
        if let user { unread = (try? await app.store.unreadNotificationCount(userId: user.id)) ?? 0 }
        let frame = PageFrame(lang: lang, user: user, csrf: caller?.csrf, title: t[titleKey] ?? "", unreadNotifications: unread)
        return templates.page(
            "error",
            [
                "frame": frame, "heading": t[titleKey] ?? "", "detail": localized.detail, "status": problem.status.code,
                "back": user == nil ? "/login" : "/", "backLabel": t[user == nil ? "signIn" : "backToInbox"] ?? "",
            ] as [String: Any], status: problem.status)
    }
}
