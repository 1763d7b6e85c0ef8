import KotaeCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// The token every Admin API call carries. A client-credentials token is asked for when first
/// needed and again before it runs out (or after Shopify refused it); calls waiting meanwhile
/// share the one request.
public actor ShopifyAccessToken {
    let http: HTTPClient
    let tokenURL: String
    let credentials: ShopifyCredentials
    /// Renewed this long before it expires, so a call never goes out with a dying token.
    let margin: TimeInterval
    let timeout: TimeAmount
    private var current: (token: String, expires: Date)?
    private var pending: Task<(String, Date), any Error>?

    public init(http: HTTPClient, base: String, credentials: ShopifyCredentials, margin: TimeInterval = 3600, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.timeout = timeout
        self.tokenURL = ShopifyAPI.tokenURL(base: base)
        self.credentials = credentials
        self.margin = margin
    }

    public func token(now: Date = Date()) async throws -> String {
        let id: String
        let secret: String
        switch credentials {
        case .accessToken(let token): return token
        case .clientCredentials(let clientId, let clientSecret): (id, secret) = (clientId, clientSecret)
        }
        if let current, current.expires.timeIntervalSince(now) > margin { return current.token }
        let task =
            pending
            ?? Task { [http, tokenURL, timeout] in try await Self.request(http, tokenURL, id: id, secret: secret, now: now, timeout: timeout) }
        pending = task
        defer { pending = nil }
        let (token, expires) = try await task.value
        current = (token, expires)
        return token
    }

    /// Shopify refused the token (401): the next call asks for a new one.
    public func invalidate() { current = nil }

    /// Whether a refused token can be replaced (a static token cannot).
    public nonisolated var renewable: Bool {
        if case .clientCredentials = credentials { true } else { false }
    }

    private struct Answer: Decodable {
        let access_token: String
        let expires_in: Double?
    }

    private static func request(
        _ http: HTTPClient, _ url: String, id: String, secret: String, now: Date, timeout: TimeAmount
    ) async throws -> (String, Date) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)]
            .map { "\($0)=\(formEncode($1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw CommerceError(.unreachable, "Shopify could not be reached for a token: \(error)")
        }
        guard response.status.code == 200 else {
            throw CommerceError(.signIn, "Shopify refused the client id and secret (\(response.status.code)): \(String(buffer: body).prefix(300))")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: body)) else {
            throw CommerceError(.badAnswer, "Shopify's token answer could not be read")
        }
        // Shopify says about 24 h; without expires_in, assume a day.
        return (answer.access_token, now.addingTimeInterval(answer.expires_in ?? 86_400))
    }

    private static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
