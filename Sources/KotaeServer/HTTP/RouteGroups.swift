import Hummingbird
import HummingbirdAuth
import KotaeCore

/// The API's routes by who may call them. `AuthMiddleware` finds the caller on every API
/// route; hummingbird-auth's middleware then refuses strangers (401) and non-admins (403)
/// before a handler runs, so nothing reads the body of a request that will be refused (no
/// 400 or 422 telling a stranger what a valid request looks like).
struct APIRouteGroups {
    /// Anyone: signing in, first-run set-up, signing out.
    let open: RouterGroup<AppRequestContext>
    /// Signed-in users and API tokens.
    let signedIn: RouterGroup<AppRequestContext>
    /// Admins only.
    let admin: RouterGroup<AppRequestContext>

    init(_ api: RouterGroup<AppRequestContext>) {
        open = api
        signedIn = api.group().add(middleware: IsAuthenticatedMiddleware<AppRequestContext>())
        admin = signedIn.group().add(
            middleware: AuthorizationPolicyMiddleware(
                ClosureAuthorizationPolicy<User> { user, _ in user.role == .admin }, deniedError: APIError.forbidden("only an admin can do this"),
                context: AppRequestContext.self))
    }
}
