import Foundation
import HTTPTypes
import HummingbirdTesting
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@Suite struct AuthTests {
    @Test func missingOrWrongCredentialsAre401AndChangeNothing() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let body = #"{"contact":{"channel":"api","externalId":"x"},"externalId":"e1","text":"hi"}"#
            let none = try await app.request(.post, "/api/v1/inboxes/\(inbox)/messages", json: body)
            #expect(none.status == .unauthorized)
            #expect(TestApp.object(none)["code"] as? String == "unauthorized")
            let wrong = try await app.request(.post, "/api/v1/inboxes/\(inbox)/messages", token: "kt_forged", json: body)
            #expect(wrong.status == .unauthorized)
            #expect(try await app.store.searchMessages("hi").isEmpty)
            #expect(try await app.request(.get, "/api/v1/conversations").status == .unauthorized)
        }
    }

    @Test func agentsCannotDoAdminWork() async throws {
        try await withTestApp { app in
            let user = #"{"email":"new@test.kotae","name":"New","role":"admin","password":"long-enough"}"#
            let r = try await app.request(.post, "/api/v1/users", token: app.agentToken, json: user)
            #expect(r.status == .forbidden)
            #expect(TestApp.object(r)["code"] as? String == "forbidden")
            let inbox = try await app.request(.post, "/api/v1/inboxes", token: app.agentToken, json: #"{"name":"x","channel":"api"}"#)
            #expect(inbox.status == .forbidden)
            #expect(try await app.store.accounts.users().count == 2)
            #expect(try await app.store.inboxes.all().isEmpty)
            // An agent may not promote themself.
            let promote = try await app.request(.patch, "/api/v1/users/\(app.agent.id)", token: app.agentToken, json: #"{"role":"admin"}"#)
            #expect(promote.status == .forbidden)
            // …but may change their own language.
            let lang = try await app.request(.patch, "/api/v1/users/\(app.agent.id)", token: app.agentToken, json: #"{"locale":"en"}"#)
            #expect(lang.status == .ok)
        }
    }

    @Test func sessionCookieIsHttpOnlySameSiteAndChangesNeedTheCSRFToken() async throws {
        try await withTestApp { app in
            let login = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"agent-password"}"#)
            #expect(login.status == .ok)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let token = String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
            let csrf = try #require(TestApp.object(login)["csrfToken"] as? String)
            let cookie: HTTPFields = [.cookie: "kotae_session=\(token)"]

            let me = try await app.request(.get, "/api/v1/auth/me", headers: cookie)
            #expect(me.status == .ok)
            let canned = #"{"shortcut":"hi","title":"Hi","body":"Hello"}"#
            var adminLogin = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"admin@test.kotae","password":"admin-password"}"#)
            let adminCookieValue = String(adminLogin.headers[.setCookie]!.split(separator: ";")[0])
            let adminCSRF = TestApp.object(adminLogin)["csrfToken"] as! String
            let noToken = try await app.request(.post, "/api/v1/canned-responses", json: canned, headers: [.cookie: adminCookieValue])
            #expect(noToken.status == .forbidden)
            #expect(TestApp.object(noToken)["code"] as? String == "csrf_failed")
            let wrongToken = try await app.request(
                .post, "/api/v1/canned-responses", json: canned,
                headers: [.cookie: adminCookieValue, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(wrongToken.status == .forbidden)
            #expect(try await app.store.cannedResponses().isEmpty)
            let ok = try await app.request(
                .post, "/api/v1/canned-responses", json: canned,
                headers: [.cookie: adminCookieValue, HTTPField.Name("X-CSRF-Token")!: adminCSRF])
            #expect(ok.status == .created)

            var logoutHeaders = cookie
            logoutHeaders[HTTPField.Name("X-CSRF-Token")!] = csrf
            adminLogin = try await app.request(.post, "/api/v1/auth/logout", headers: logoutHeaders)
            #expect(adminLogin.status == .noContent)
            #expect(try await app.request(.get, "/api/v1/auth/me", headers: cookie).status == .unauthorized)
        }
    }

    @Test func loginAttemptsAreRateLimited() async throws {
        try await withTestApp { app in
            for _ in 0..<5 {
                let r = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"wrong-password"}"#)
                #expect(r.status == .unauthorized)
            }
            let blocked = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"agent-password"}"#)
            #expect(blocked.status == .tooManyRequests)
            // What is left of the five-minute window, counted down from its first failure.
            let wait = try #require(blocked.headers[.retryAfter].flatMap { Int($0) })
            #expect(wait > 240 && wait <= 300)
        }
    }

    @Test func firstRunSetupTokenCreatesTheAdminOnce() async throws {
        try await withTestApp(seedUsers: false) { app in
            try await app.store.setSetting("setup_token_hash", TokenHash.of("setup-123"))
            let body = #"{"token":"setup-123","email":"owner@shop.jp","name":"Owner","password":"long-enough"}"#
            let forged = try await app.request(.post, "/api/v1/auth/setup", json: body.replacingOccurrences(of: "setup-123", with: "guess"))
            #expect(forged.status == .forbidden)
            #expect(try await app.store.accounts.userCount() == 0)
            let ok = try await app.request(.post, "/api/v1/auth/setup", json: body)
            #expect(ok.status == .ok)
            #expect(ok.headers[.setCookie]?.contains("HttpOnly") == true)
            let users = try await app.store.accounts.users()
            #expect(users.map(\.role) == [.admin])
            let again = try await app.request(.post, "/api/v1/auth/setup", json: body.replacingOccurrences(of: "owner@", with: "thief@"))
            #expect(again.status == .forbidden)
            #expect(try await app.store.accounts.userCount() == 1)
        }
    }

    @Test func setupPageFormCreatesTheAdminAndEscapesItsInput() async throws {
        try await withTestApp(seedUsers: false) { app in
            try await app.store.setSetting("setup_token_hash", TokenHash.of("tok-1"))
            let page = try await app.request(.get, "/setup?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;script&gt;"))
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            let form = "token=tok-1&name=%E5%BA%97%E9%95%B7&email=owner%40shop.jp&password=long-enough"
            let done = try await app.request(
                .post, "/setup", body: .init(string: form),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(done.status == .ok)
            #expect(String(buffer: done.body).contains("owner@shop.jp"))
            #expect(try await app.store.accounts.users().first?.name == "店長")
            let again = try await app.request(
                .post, "/setup", body: .init(string: form),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(again.status == .forbidden)
        }
    }

    @Test func passwordChangeNeedsTheCurrentPassword() async throws {
        try await withTestApp { app in
            let wrong = try await app.request(
                .post, "/api/v1/auth/password", token: app.agentToken,
                json: #"{"currentPassword":"nope","newPassword":"new-password-1"}"#)
            #expect(wrong.status == .unprocessableContent)
            #expect(TestApp.object(wrong)["field"] as? String == "currentPassword")
            let short = try await app.request(
                .post, "/api/v1/auth/password", token: app.agentToken,
                json: #"{"currentPassword":"agent-password","newPassword":"short"}"#)
            #expect(TestApp.object(short)["field"] as? String == "newPassword")
            let ok = try await app.request(
                .post, "/api/v1/auth/password", token: app.agentToken,
                json: #"{"currentPassword":"agent-password","newPassword":"new-password-1"}"#)
            #expect(ok.status == .noContent)
            let login = try await app.request(.post, "/api/v1/auth/login", json: #"{"email":"agent@test.kotae","password":"new-password-1"}"#)
            #expect(login.status == .ok)
        }
    }
}
