import Foundation
import HTTPTypes
import KotaeTesting
import KotaeCore
import KotaeStore
import Testing
@testable import KotaeServer

/// The agent UI's pages as HTML: who may see them, the headers they carry, and that
/// nothing a customer wrote reaches the page as markup. (Behaviour in a real browser is
/// Tests/browser.)
@Suite struct WebPageTests {
    @Test func pagesNeedASessionAndCarryAStrictPolicy() async throws {
        try await withTestApp { app in
            let anonymous = try await app.request(.get, "/")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")
            let login = try await app.request(.get, "/login")
            #expect(login.status == .ok)
            let csp = try #require(login.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(login.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let page = String(buffer: login.body)
            #expect(!page.contains("<script>"), "no inline script")
        }
    }

    @Test func customerTextIsEscapedInTheInboxAndTheConversation() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let hostile = #"<img src=x onerror="alert(1)">"#
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "x1", contact: "<b>bold</b>", text: hostile)
            let list = String(buffer: try await app.request(.get, "/", token: app.adminToken).body)
            #expect(list.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
            #expect(!list.contains(hostile))
            #expect(!list.contains("<b>bold</b>"))
            let id = (out["conversationId"] as! NSNumber).int64Value
            let page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            #expect(page.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
            #expect(!page.contains(hostile))
        }
    }

    /// A quote with a combining mark on it is one Swift character but two code points to the
    /// browser, which ends the attribute at the quote. A name or a search written so must stay
    /// inside its attribute.
    @Test func aQuoteWithACombiningMarkCannotLeaveAnAttribute() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            // Built outside #expect, whose source text a quote with a mark on it confuses.
            let quoteWithMark = "\"\u{301}"
            let (_, out) = try await app.ingest(
                inbox: inbox, externalId: "q1", contact: "q-1", name: "Mika\(quoteWithMark) data-injected=\"1", text: "こんにちは")
            let id = (out["conversationId"] as! NSNumber).int64Value
            let page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            let escapedName = "aria-label=\"Mika&quot;\u{301} data-injected=&quot;1\"", brokenName = quoteWithMark + " data-injected"
            #expect(page.contains(escapedName))
            #expect(!page.contains(brokenName))
            let query = "%22%CC%81%20autofocus%20data-injected%3D%22"
            let list = String(buffer: try await app.request(.get, "/?q=\(query)", token: app.adminToken).body)
            let escapedSearch = "value=\"&quot;\u{301} autofocus data-injected=&quot;\"", brokenSearch = quoteWithMark + " autofocus"
            #expect(list.contains(escapedSearch))
            #expect(!list.contains(brokenSearch))
        }
    }

    @Test func anHTMLMailIsServedSanitizedUnderItsOwnSandboxPolicy() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let html = #"<p>hi</p><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="https://tracker.example/p.png">"#
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "h1", text: "hi", extra: ["html": html])
            let id = (out["conversationId"] as! NSNumber).int64Value
            let mid = (out["messageId"] as! NSNumber).int64Value
            let frame = try await app.request(.get, "/conversations/\(id)/messages/\(mid)/html", token: app.adminToken)
            let body = String(buffer: frame.body)
            #expect(!body.contains("<script"))
            #expect(!body.lowercased().contains("javascript:"))
            let csp = try #require(frame.headers[.contentSecurityPolicy])
            #expect(csp.contains("sandbox"))
            #expect(csp.contains("img-src data:"), "remote images blocked by default")
            let allowed = try await app.request(.get, "/conversations/\(id)/messages/\(mid)/html?images=1", token: app.adminToken)
            #expect(allowed.headers[.contentSecurityPolicy]?.contains("img-src https: data:") == true)
        }
    }
}

@Suite struct WebStringsTests {
    /// A word missing in one language would show as nothing on the page.
    @Test func japaneseAndEnglishHaveTheSameWords() {
        let ja = WebStrings.table("ja"), en = WebStrings.table("en")
        #expect(Set(ja.keys) == Set(en.keys), "only in ja: \(Set(ja.keys).subtracting(en.keys)); only in en: \(Set(en.keys).subtracting(ja.keys))")
        #expect(ja.values.allSatisfy { !$0.isEmpty } && en.values.allSatisfy { !$0.isEmpty })
    }

    @Test func sidebarCountsPastTheCapReadAsMore() {
        #expect(WebController.countText(7) == "7")
        #expect(WebController.countText(99) == "99")
        #expect(WebController.countText(100) == "99+")
    }

    @Test func languageComesFromTheUserThenTheBrowser() {
        #expect(WebStrings.language(user: "en", acceptLanguage: "ja") == "en")
        #expect(WebStrings.language(user: nil, acceptLanguage: "en-GB,en;q=0.9") == "en")
        #expect(WebStrings.language(user: nil, acceptLanguage: "fr-FR, en;q=0.5") == "en")
        #expect(WebStrings.language(user: nil, acceptLanguage: "fr") == "ja")
    }
}

/// The page models' direct Mustache lookups answer for every field (a field added to a
/// model but not to its lookup would vanish from the page without an error).
@Suite struct PageModelLookupTests {
    static func unanswered(_ model: Any, lookup: (String) -> Any?) -> [String] {
        Mirror(reflecting: model).children.compactMap { child -> String? in
            guard let label = child.label else { return nil }
            let isNil = Mirror(reflecting: child.value).displayStyle == .optional && Mirror(reflecting: child.value).children.isEmpty
            return (lookup(label) == nil) != isNil ? label : nil
        }
    }

    @Test func everyFieldOfTheInboxModelsIsFound() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1")
            let id = Int64(r["conversationId"] as! Int)
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/priority", #"{"priority":"high"}"#)
            let conversation = try #require(try await app.store.conversations.conversation(id: id))
            let row = ConversationRow(conversation, t: WebStrings.table("ja"), users: [:], unread: true, now: Date())
            #expect(Self.unanswered(row, lookup: row.child(named:)) == [])
            let frame = PageFrame(lang: "ja", user: app.admin, csrf: nil, title: "x")
            #expect(Self.unanswered(frame, lookup: frame.child(named:)) == [])
            let link = ViewLink(key: "k", label: "l", href: "/", count: "1", active: true)
            #expect(Self.unanswered(link, lookup: link.child(named:)) == [])
        }
    }
}
