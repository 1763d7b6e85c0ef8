import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

extension DovecotSuites {
    /// Email inboxes signing in with OAuth 2.0: connected by a device-code sign-in, tokens
    /// renewed before they expire (a rotated refresh token kept), Microsoft 365's client
    /// credentials, and each refusal shown in the provider's words — against a local provider
    /// and a real Dovecot that checks every access token.
    @Suite struct MailOAuthTests {
        static func withOAuthInbox(
            credentials: [String: String] = [:], _ body: @escaping @Sendable (TestApp, Int64, IMAPTestServer, FakeOAuth) async throws -> Void
        ) async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            let provider = FakeOAuth { try server.allow(token: $0) }
            await provider.start()
            defer { provider.stop() }
            try server.deliver(IMAPClientTests.mail(1))
            try await IMAPReadingTests.withReader(
                server,
                settings: [
                    "signIn": "oauth2", "oauthProvider": "other", "oauthTokenURL": provider.tokenURL, "oauthDeviceURL": provider.deviceURL,
                    "oauthScope": "offline_access https://outlook.office.com/IMAP.AccessAsUser.All",
                ], password: ""
            ) { app, inbox in
                let (status, _) = try await app.admin(
                    .patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["oauthClientId": provider.clientId].merging(credentials) { $1 }]))
                try #require(status == .ok)
                try await body(app, inbox, server, provider)
            }
        }

        static func problem(_ app: TestApp, _ inbox: Int64) async throws -> String? {
            try await app.store.inboxes.find(id: inbox)?.settings[Inbox.channelProblemSetting]
        }

        @Test func aDeviceSignInConnectsTheMailboxAndTokensAreRenewedBeforeTheyExpire() async throws {
            try await Self.withOAuthInbox { app, inbox, _, provider in
                // Not signed in yet: the inbox says what to do.
                #expect(try await eventually(timeout: 20) { try await Self.problem(app, inbox)?.contains("device sign-in") == true })
                #expect(try await app.admin(.get, "/api/v1/inboxes/\(inbox)/oauth/device").0 == .notFound)

                let (status, started) = try await app.admin(.post, "/api/v1/inboxes/\(inbox)/oauth/device")
                #expect(status == .created)
                let code = try #require(started["userCode"] as? String)
                #expect(started["verificationURI"] as? String == "https://microsoft.com/devicelogin")
                #expect((started["message"] as? String)?.contains(code) == true)
                #expect(try await app.admin(.get, "/api/v1/inboxes/\(inbox)/oauth/device").1["state"] as? String == "pending")

                // The settings page shows the code and where to enter it.
                func page() async throws -> String {
                    String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
                }
                let pending = try await page()
                #expect(pending.contains("id=\"mail-sign-in-pending\"") && pending.contains("<code class=\"user-code\">\(code)</code>"))
                #expect(pending.contains("href=\"https://microsoft.com/devicelogin\""))

                provider.decide(userCode: code, approve: true)
                #expect(
                    try await eventually(timeout: 15) {
                        try await app.admin(.get, "/api/v1/inboxes/\(inbox)/oauth/device").1["state"] as? String == "signedIn"
                    })
                #expect(try await page().contains("サインインしました"))
                // Signed in: the mailbox is read with the access token (XOAUTH2, checked by Dovecot).
                #expect(try await eventually(timeout: 20) { try await IMAPReadingTests.inbound(app.store, inbox: inbox).count == 1 })
                #expect(try await Self.problem(app, inbox) == nil)
                // The tokens are stored encrypted with the credentials, never shown.
                let stored = try await app.store.inboxes.credentials(id: inbox)
                let refresh = try #require(stored["oauthRefreshToken"])
                let access = try #require(stored["oauthAccessToken"])
                let (_, shown) = try await app.admin(.get, "/api/v1/inboxes/\(inbox)")
                #expect(!"\(shown)".contains(refresh) && !"\(shown)".contains(access))

                // Four minutes before it expires, the token is renewed; Microsoft rotates the
                // refresh token, and the new one is kept (the old one no longer works).
                let soon = app.services.clock.now.addingTimeInterval(240).timeIntervalSince1970
                _ = try await app.store.inboxes.update(
                    id: inbox, name: nil, settings: nil, credentials: ["oauthAccessTokenExpires": String(soon)], slaPolicy: nil)
                let box = try #require(try await app.store.inboxes.find(id: inbox))
                let renewed = try await app.services.mailOAuth.accessToken(inbox: box, settings: try EmailSettings(stored: box.settings))
                #expect(renewed != access)
                #expect(provider.requests.last?["grant_type"] == "refresh_token" && provider.requests.last?["refresh_token"] == refresh)
                let rotated = try #require(try await app.store.inboxes.credentials(id: inbox)["oauthRefreshToken"])
                #expect(rotated != refresh)
                // A token with time left is used as it is: no request to the provider.
                let count = provider.requests.count
                #expect(try await app.services.mailOAuth.accessToken(inbox: box, settings: try EmailSettings(stored: box.settings)) == renewed)
                #expect(provider.requests.count == count)
            }
        }

        @Test func aRevokedSignInIsShownInTheProvidersWordsAndClientCredentialsNeedNoPerson() async throws {
            try await Self.withOAuthInbox(credentials: ["oauthRefreshToken": "revoked-long-ago"]) { app, inbox, _, provider in
                #expect(try await eventually(timeout: 20) { try await Self.problem(app, inbox)?.contains("AADSTS70000") == true })
                #expect(try await Self.problem(app, inbox)?.contains("invalid_grant") == true)
                #expect(try await IMAPReadingTests.inbound(app.store, inbox: inbox).count == 0)
                // Microsoft 365 app access: the client secret, no refresh token, no person.
                let (status, _) = try await app.admin(
                    .patch, "/api/v1/inboxes/\(inbox)",
                    jsonString(["credentials": ["oauthRefreshToken": "", "oauthClientSecret": provider.clientSecret]]))
                #expect(status == .ok)
                #expect(try await eventually(timeout: 20) { try await IMAPReadingTests.inbound(app.store, inbox: inbox).count == 1 })
                #expect(provider.requests.contains { $0["grant_type"] == "client_credentials" })
            }
        }

        @Test func aDeclinedDeviceSignInAndRequestsThatCannotWorkAreRefusedClearly() async throws {
            try await Self.withOAuthInbox { app, inbox, _, provider in
                let (_, started) = try await app.admin(.post, "/api/v1/inboxes/\(inbox)/oauth/device")
                provider.decide(userCode: try #require(started["userCode"] as? String), approve: false)
                #expect(
                    try await eventually(timeout: 15) {
                        let (_, state) = try await app.admin(.get, "/api/v1/inboxes/\(inbox)/oauth/device")
                        return state["state"] as? String == "failed" && (state["reason"] as? String)?.contains("access_denied") == true
                    })
                #expect(try await app.store.inboxes.credentials(id: inbox)["oauthRefreshToken"] == nil)

                let failedPage = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
                #expect(failedPage.contains("id=\"mail-sign-in-failed\"") && failedPage.contains("AADSTS70020"))

                // A password inbox, another channel's inbox, an unknown inbox, an app the provider does not know.
                let password = try await app.makeInbox(
                    channel: "email", settings: ["address": "other@shop.example.jp", "smtpHost": "smtp.office365.com"])
                let warned = String(buffer: try await app.request(.get, "/settings/inboxes/\(password)", token: app.adminToken).body)
                #expect(warned.contains("id=\"mail-password-microsoft\"") && !warned.contains("id=\"mail-sign-in-start\""))
                #expect(try await app.admin(.post, "/api/v1/inboxes/\(password)/oauth/device").1["code"] as? String == "not_oauth")
                let api = try await app.makeInbox()
                #expect(try await app.admin(.post, "/api/v1/inboxes/\(api)/oauth/device").0 == .conflict)
                #expect(try await app.admin(.post, "/api/v1/inboxes/999999/oauth/device").0 == .notFound)
                #expect(try await app.request(.post, "/api/v1/inboxes/\(inbox)/oauth/device", token: app.agentToken).status == .forbidden)
                _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["oauthClientId": "unknown-app"]]))
                let (status, refused) = try await app.admin(.post, "/api/v1/inboxes/\(inbox)/oauth/device")
                #expect(status == .unprocessableContent)
                #expect((refused["detail"] as? String)?.contains("AADSTS700016") == true)
            }
        }
    }
}
