import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where an OAuth 2.0 provider takes token and device-code requests, and what to ask for.
public struct OAuthEndpoints: Sendable, Equatable {
    public var tokenURL: String
    /// RFC 8628's device authorization endpoint, when the provider has one for mail.
    public var deviceURL: String?
    /// Scopes for a user's sign-in (refresh and device code).
    public var scope: String
    /// The scope for the client-credentials grant (an app acting for itself).
    public var appScope: String?

    public init(tokenURL: String, deviceURL: String?, scope: String, appScope: String? = nil) {
        self.tokenURL = tokenURL
        self.deviceURL = deviceURL
        self.scope = scope
        self.appScope = appScope
    }
}

/// The app registered with the provider.
public struct OAuthApp: Sendable, Equatable {
    public var clientId: String
    public var clientSecret: String?

    public init(clientId: String, clientSecret: String?) {
        self.clientId = clientId
        self.clientSecret = clientSecret.flatMap { $0.isEmpty ? nil : $0 }
    }
}

public struct OAuthTokens: Sendable, Equatable {
    public var accessToken: String
    /// A new refresh token when the provider rotates it (Microsoft does on every use).
    public var refreshToken: String?
    public var expiresAt: Date
}

/// RFC 8628 §3.2: what the person signing in is told, and what Kotae polls with.
public struct DeviceAuthorization: Sendable, Equatable, Codable {
    public var deviceCode: String
    public var userCode: String
    public var verificationURI: String
    public var verificationURIComplete: String?
    public var expiresAt: Date
    public var interval: Int
    /// The provider's own instruction, in the provider's words (Microsoft sends one).
    public var message: String?
}

/// A refusal from the provider, with its `error` code and its own words.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let text: String

    public var description: String { text.isEmpty ? code : "\(code): \(text)" }
}

/// A client for the OAuth 2.0 grants a mail sign-in uses: refresh token (RFC 6749 §6),
/// client credentials (§4.4, Microsoft 365's app-only access) and device authorization
/// (RFC 8628, for a desk with no public redirect URL). Requests are form-encoded, answers
/// JSON; every refusal keeps the provider's words.
public struct OAuthClient: Sendable {
    let http: HTTPClient

    public init(http: HTTPClient) { self.http = http }

    public func refresh(_ refreshToken: String, app: OAuthApp, endpoints: OAuthEndpoints, now: Date) async throws -> OAuthTokens {
        let answer = try await post(
            endpoints.tokenURL,
            ["grant_type": "refresh_token", "refresh_token": refreshToken, "scope": endpoints.scope] + credentials(app))
        return try tokens(answer, now: now)
    }

    public func clientCredentials(app: OAuthApp, endpoints: OAuthEndpoints, now: Date) async throws -> OAuthTokens {
        let answer = try await post(
            endpoints.tokenURL, ["grant_type": "client_credentials", "scope": endpoints.appScope ?? endpoints.scope] + credentials(app))
        return try tokens(answer, now: now)
    }

    public func startDeviceAuthorization(app: OAuthApp, endpoints: OAuthEndpoints, now: Date) async throws -> DeviceAuthorization {
        guard let url = endpoints.deviceURL else {
            throw OAuthError(code: "unsupported", text: "this provider has no device sign-in for mail")
        }
        let a = try await post(url, ["client_id": app.clientId, "scope": endpoints.scope])
        guard let device = a["device_code"] as? String, let user = a["user_code"] as? String,
            // Google's older answer says verification_url.
            let uri = (a["verification_uri"] ?? a["verification_url"]) as? String
        else { throw OAuthError(code: "invalid_response", text: "the device authorization answer lacks device_code, user_code or verification_uri") }
        return DeviceAuthorization(
            deviceCode: device, userCode: user, verificationURI: uri, verificationURIComplete: a["verification_uri_complete"] as? String,
            expiresAt: now.addingTimeInterval(Self.number(a["expires_in"]) ?? 900), interval: Int(Self.number(a["interval"]) ?? 5),
            message: a["message"] as? String)
    }

    public enum DevicePoll: Sendable, Equatable {
        case pending
        /// RFC 8628 §3.5: wait 5 s longer between polls from now on.
        case slowDown
        case signedIn(OAuthTokens)
    }

    /// One poll of the token endpoint for a device sign-in; `expired_token` and
    /// `access_denied` are thrown as `OAuthError`.
    public func poll(_ device: DeviceAuthorization, app: OAuthApp, endpoints: OAuthEndpoints, now: Date) async throws -> DevicePoll {
        do {
            let answer = try await post(
                endpoints.tokenURL,
                ["grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": device.deviceCode] + credentials(app))
            return .signedIn(try tokens(answer, now: now))
        } catch let e as OAuthError where e.code == "authorization_pending" {
            return .pending
        } catch let e as OAuthError where e.code == "slow_down" {
            return .slowDown
        }
    }

    private func credentials(_ app: OAuthApp) -> [String: String] {
        var form = ["client_id": app.clientId]
        if let secret = app.clientSecret { form["client_secret"] = secret }
        return form
    }

    private func tokens(_ a: [String: Any], now: Date) throws -> OAuthTokens {
        guard let access = a["access_token"] as? String, !access.isEmpty else {
            throw OAuthError(code: "invalid_response", text: "the token answer has no access_token")
        }
        // Without expires_in, assume the common hour rather than for ever.
        return OAuthTokens(
            accessToken: access, refreshToken: a["refresh_token"] as? String, expiresAt: now.addingTimeInterval(Self.number(a["expires_in"]) ?? 3600))
    }

    private func post(_ url: String, _ form: [String: String]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(30))
        } catch {
            throw OAuthError(code: "unreachable", text: "cannot reach \(url): \(error)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
        if let error = object?["error"] as? String {
            throw OAuthError(code: error, text: object?["error_description"] as? String ?? "")
        }
        guard response.status == .ok, let object else {
            throw OAuthError(code: "http_\(response.status.code)", text: String(buffer: body).prefix(300).description)
        }
        return object
    }

    /// `application/x-www-form-urlencoded` (RFC 6749 Appendix B).
    static func encode(_ form: [String: String]) -> String {
        // ASCII only: `alphanumerics` would let non-ASCII letters through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return form.sorted { $0.key < $1.key }.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    static func number(_ value: Any?) -> TimeInterval? {
        switch value {
        case let n as NSNumber: n.doubleValue
        case let s as String: TimeInterval(s)
        default: nil
        }
    }
}

extension Dictionary where Key == String, Value == String {
    fileprivate static func + (a: Self, b: Self) -> Self { a.merging(b) { $1 } }
}
