import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Access tokens for email inboxes that sign in with OAuth 2.0: kept encrypted with the
/// inbox's credentials and renewed five minutes before they expire — by the stored refresh
/// token (a rotated one is kept), or by client credentials (Microsoft 365 app access).
/// Also runs the device-code sign-in an admin starts from the inbox's settings page.
final class MailOAuth: Sendable {
    let store: KotaeStore
    let client: OAuthClient
    let clock: AppClock
    /// A token this close to expiry is renewed rather than used.
    static let margin: TimeInterval = 300
    /// Keys the renewal writes into the credentials (never shown, never typed).
    static let cacheKeys = ["oauthAccessToken", "oauthAccessTokenExpires"]

    /// One renewal per inbox at a time in this process: a rotated refresh token used twice
    /// would sign the inbox out.
    private let renewals = Locked<[ID: Task<String, any Error>]>([:])
    private let devices = Locked<[ID: DeviceSignIn]>([:])

    init(store: KotaeStore, client: OAuthClient, clock: AppClock) {
        self.store = store
        self.client = client
        self.clock = clock
    }

    /// How the inbox signs in to IMAP and SMTP now: its password, or an OAuth access token.
    func signIn(inbox: Inbox, settings: EmailSettings) async throws -> MailSignIn {
        let user = settings.username.flatMap { $0.isEmpty ? nil : $0 } ?? settings.address ?? ""
        guard settings.signIn == "oauth2" else {
            return try settings.signIn(try await store.inboxes.credentials(id: inbox.id, as: EmailCredentials.self), own: user)
        }
        return .xoauth2(user: user, accessToken: try await accessToken(inbox: inbox, settings: settings))
    }

    /// A valid access token, renewed when it is missing or about to expire.
    func accessToken(inbox: Inbox, settings: EmailSettings) async throws -> String {
        let task = renewals.withLock { running in
            if let task = running[inbox.id] { return task }
            let task = Task { try await self.currentToken(inbox: inbox, settings: settings) }
            running[inbox.id] = task
            return task
        }
        defer { renewals.withLock { if $0[inbox.id] == task { $0[inbox.id] = nil } } }
        return try await task.value
    }

    private func currentToken(inbox: Inbox, settings: EmailSettings) async throws -> String {
        let raw = try await store.inboxes.credentials(id: inbox.id)
        let now = clock.now
        if let token = raw["oauthAccessToken"], !token.isEmpty, let expires = raw["oauthAccessTokenExpires"].flatMap(TimeInterval.init),
            expires - now.timeIntervalSince1970 > Self.margin
        {
            return token
        }
        // The same stored credentials, read once: the cache above and the grant below.
        let credentials = try EmailCredentials(stored: raw)
        let (app, endpoints) = try self.app(settings: settings, credentials: credentials)
        let tokens: OAuthTokens
        do {
            if let refresh = credentials.oauthRefreshToken, !refresh.isEmpty {
                tokens = try await client.refresh(refresh, app: app, endpoints: endpoints, now: now)
            } else if app.clientSecret != nil, endpoints.appScope != nil || settings.oauthProvider == MailOAuthProvider.other.rawValue {
                tokens = try await client.clientCredentials(app: app, endpoints: endpoints, now: now)
            } else {
                throw EmailSettings.SignInProblem(
                    reason:
                        "this inbox is not signed in to its mail provider yet: start the device sign-in on its settings page, or store a refresh token"
                )
            }
        } catch let e as OAuthError {
            throw EmailSettings.SignInProblem(reason: "the mail provider refused to renew the sign-in (\(e.description)); sign in again")
        }
        try await save(tokens, inboxId: inbox.id)
        return tokens.accessToken
    }

    private func save(_ tokens: OAuthTokens, inboxId: ID) async throws {
        var update = ["oauthAccessToken": tokens.accessToken, "oauthAccessTokenExpires": String(tokens.expiresAt.timeIntervalSince1970)]
        if let rotated = tokens.refreshToken, !rotated.isEmpty { update["oauthRefreshToken"] = rotated }
        _ = try await store.inboxes.update(id: inboxId, name: nil, settings: nil, credentials: update, slaPolicy: nil)
    }

    func app(settings: EmailSettings, credentials: EmailCredentials) throws(EmailSettings.SignInProblem) -> (OAuthApp, OAuthEndpoints) {
        guard let provider = MailOAuthProvider(rawValue: settings.oauthProvider ?? "microsoft"),
            let endpoints = provider.endpoints(settings: settings, tenant: credentials.oauthTenant)
        else { throw EmailSettings.SignInProblem(reason: "OAuth 2.0 needs a provider (microsoft, google) or, for other, a token URL") }
        guard let clientId = credentials.oauthClientId, !clientId.isEmpty else {
            throw EmailSettings.SignInProblem(reason: "OAuth 2.0 needs the client ID of the app registered with the mail provider")
        }
        return (OAuthApp(clientId: clientId, clientSecret: credentials.oauthClientSecret), endpoints)
    }

    // MARK: Device sign-in (RFC 8628)

    /// Where a device sign-in stands, for the settings page.
    struct DeviceSignIn: Sendable, Equatable, Encodable {
        enum State: String, Sendable, Encodable { case pending, signedIn, failed }
        var state: State
        var userCode: String?
        var verificationURI: String?
        var message: String?
        var expiresAt: Date?
        /// Why it failed, in the provider's words.
        var reason: String?
    }

    func deviceSignIn(inboxId: ID) -> DeviceSignIn? { devices.withLock { $0[inboxId] } }

    /// Asks the provider for a code for the admin to enter, then polls for the sign-in in
    /// the background; the refresh token it yields is stored with the inbox's credentials.
    func startDeviceSignIn(inbox: Inbox) async throws -> DeviceSignIn {
        let settings = try EmailSettings(stored: inbox.settings)
        let credentials = try await store.inboxes.credentials(id: inbox.id, as: EmailCredentials.self)
        let (app, endpoints) = try self.app(settings: settings, credentials: credentials)
        let device: DeviceAuthorization
        do {
            device = try await client.startDeviceAuthorization(app: app, endpoints: endpoints, now: clock.now)
        } catch let e as OAuthError {
            throw EmailSettings.SignInProblem(reason: "the mail provider refused the device sign-in: \(e.description)")
        }
        let status = DeviceSignIn(
            state: .pending, userCode: device.userCode, verificationURI: device.verificationURIComplete ?? device.verificationURI,
            message: device.message, expiresAt: device.expiresAt)
        devices.withLock { $0[inbox.id] = status }
        Task { await self.pollDevice(device, inboxId: inbox.id, app: app, endpoints: endpoints) }
        return status
    }

    private func pollDevice(_ device: DeviceAuthorization, inboxId: ID, app: OAuthApp, endpoints: OAuthEndpoints) async {
        var interval = max(device.interval, 1)
        func finish(_ state: DeviceSignIn.State, _ reason: String?) {
            devices.withLock {
                $0[inboxId]?.state = state
                $0[inboxId]?.reason = reason
            }
        }
        while clock.now < device.expiresAt {
            try? await clock.sleep(for: .seconds(interval))
            // A newer sign-in for this inbox replaced this one.
            guard devices.withLock({ $0[inboxId]?.userCode == device.userCode }) else { return }
            do {
                switch try await client.poll(device, app: app, endpoints: endpoints, now: clock.now) {
                case .pending: continue
                case .slowDown: interval += 5
                case .signedIn(let tokens):
                    try await save(tokens, inboxId: inboxId)
                    try await store.inboxes.setChannelProblem(inboxId: inboxId, nil)
                    return finish(.signedIn, nil)
                }
            } catch let e as OAuthError where e.code == "unreachable" {
                continue
            } catch {
                return finish(.failed, "\(error)")
            }
        }
        finish(.failed, "the code expired before the sign-in was completed; start again")
    }
}
