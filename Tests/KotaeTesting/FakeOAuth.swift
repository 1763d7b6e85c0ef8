import Foundation
import Hummingbird
import KotaeCore
import NIOCore

/// A local OAuth 2.0 provider as Microsoft's identity platform behaves for mail: the
/// refresh-token grant (rotating the refresh token on every use), client credentials, and
/// device authorization (RFC 8628) with `authorization_pending` until the person approves
/// or denies. Each access token it issues is handed to `issued` (the test makes Dovecot's
/// introspection endpoint accept it). Refusals carry AADSTS-style words.
public final class FakeOAuth: Sendable {
    public let clientId = "kotae-mail-app"
    public let clientSecret = "kotae-app-secret"
    private struct State {
        var requests: [[String: String]] = []
        var refreshTokens: Set<String> = []
        var devices: [String: (user: String, approved: Bool?)] = [:]
        var issued = 0
    }
    private let state = Locked(State())
    private let server = LocalServer()
    private let issued: @Sendable (String) throws -> Void
    /// Lifetime of the access tokens it issues.
    public let lifetime: Int

    public init(lifetime: Int = 3600, issued: @escaping @Sendable (String) throws -> Void) {
        self.lifetime = lifetime
        self.issued = issued
    }

    public var base: String { "http://127.0.0.1:\(server.port)" }
    public var tokenURL: String { base + "/oauth2/v2.0/token" }
    public var deviceURL: String { base + "/oauth2/v2.0/devicecode" }
    /// Every form posted, in order.
    public var requests: [[String: String]] { state.withLock { $0.requests } }

    /// A refresh token the provider will honour once (as if a person had signed in).
    public func grantRefreshToken() -> String {
        let token = "refresh-\(UUID().uuidString)"
        state.withLock { _ = $0.refreshTokens.insert(token) }
        return token
    }

    /// The person entered `userCode` and approved (or denied) the sign-in.
    public func decide(userCode: String, approve: Bool) {
        state.withLock { s in
            for (code, d) in s.devices where d.user == userCode { s.devices[code] = (d.user, approve) }
        }
    }

    public func start() async {
        let router = Router()
        router.post("oauth2/v2.0/token") { [self] request, _ in try await token(request) }
        router.post("oauth2/v2.0/devicecode") { [self] request, _ in
            let form = try await Self.form(request)
            state.withLock { $0.requests.append(form) }
            guard form["client_id"] == clientId else {
                return Self.error("unauthorized_client", "AADSTS700016: Application not found in the directory.")
            }
            let device = "device-\(UUID().uuidString)"
            let user = String(UUID().uuidString.prefix(8))
            state.withLock { $0.devices[device] = (user, nil) }
            return jsonResponse(
                200,
                [
                    "device_code": device, "user_code": user, "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900,
                    "interval": 1,
                    "message":
                        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code \(user) to authenticate.",
                ])
        }
        await server.start(router, label: "fake-oauth")
    }

    public func stop() { server.stop() }

    private func token(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        state.withLock { $0.requests.append(form) }
        guard form["client_id"] == clientId else { return Self.error("unauthorized_client", "AADSTS700016: Application not found in the directory.") }
        switch form["grant_type"] {
        case "refresh_token":
            let known = state.withLock { $0.refreshTokens.remove(form["refresh_token"] ?? "") != nil }
            guard known else {
                return Self.error(
                    "invalid_grant", "AADSTS70000: The provided value for the 'refresh_token' is not valid. The grant has expired or was revoked.")
            }
            return try issue(refresh: true)
        case "client_credentials":
            guard form["client_secret"] == clientSecret else { return Self.error("invalid_client", "AADSTS7000215: Invalid client secret provided.") }
            return try issue(refresh: false)
        case "urn:ietf:params:oauth:grant-type:device_code":
            let decision = state.withLock { $0.devices[form["device_code"] ?? ""] }
            guard let decision else { return Self.error("expired_token", "AADSTS70019: Verification code expired.") }
            switch decision.approved {
            case nil: return Self.error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.")
            case false?: return Self.error("access_denied", "AADSTS70020: The user declined to authorize the application.")
            case true?:
                state.withLock { _ = $0.devices.removeValue(forKey: form["device_code"]!) }
                return try issue(refresh: true)
            }
        default:
            return Self.error("unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        }
    }

    private func issue(refresh: Bool) throws -> Response {
        let access = "access-\(UUID().uuidString)"
        try issued(access)
        var answer: [String: Any] = ["token_type": "Bearer", "access_token": access, "expires_in": lifetime]
        if refresh { answer["refresh_token"] = grantRefreshToken() }
        state.withLock { $0.issued += 1 }
        return jsonResponse(200, answer)
    }

    private static func error(_ code: String, _ text: String) -> Response {
        jsonResponse(400, ["error": code, "error_description": text])
    }

    private static func form(_ request: Request) async throws -> [String: String] {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if kv.count == 2 { form[kv[0]] = kv[1] }
        }
        return form
    }
}
