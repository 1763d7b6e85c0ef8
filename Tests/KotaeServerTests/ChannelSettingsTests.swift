import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Each channel's settings and credentials are one typed set: the settings page lists what the
/// type has, and the API refuses a key it does not have (a typo would be stored and do nothing).
@Suite struct ChannelSettingsTests {
    @Test func aKeyTheChannelDoesNotHaveIsRefusedAndNothingIsStored() async throws {
        try await withTestApp { app in
            let before = try await app.store.inboxes.all().count
            // "channelID" for "channelId": named in the answer, with the keys LINE has.
            let (s, body) = try await app.admin(
                .post, "/api/v1/inboxes", #"{"name":"LINE","channel":"line","settings":{"channelID":"200"},"credentials":{"channelSecret":"s"}}"#)
            #expect(s == .unprocessableContent)
            #expect(body["field"] as? String == "settings.channelID")
            #expect((body["detail"] as? String)?.contains("channelId") == true)
            let (c, creds) = try await app.admin(
                .post, "/api/v1/inboxes", #"{"name":"X","channel":"x","credentials":{"consumer_secret":"s"}}"#)
            #expect(c == .unprocessableContent)
            #expect(creds["field"] as? String == "credentials.consumer_secret")
            #expect(try await app.store.inboxes.all().count == before)

            // An edit is checked against the inbox's own channel: Instagram has no page ID.
            let ig = try await app.makeInbox(channel: "instagram", settings: ["accountId": "17841400000000001"])
            let (e, edit) = try await app.admin(.patch, "/api/v1/inboxes/\(ig)", #"{"settings":{"pageId":"1","keywords":"コタエ"}}"#)
            #expect(e == .unprocessableContent)
            #expect(edit["field"] as? String == "settings.pageId")
            #expect(try await app.store.inboxes.find(id: ig)?.settings == ["accountId": "17841400000000001"])
            #expect(try await app.admin(.patch, "/api/v1/inboxes/999999", #"{"name":"nobody"}"#).0 == .notFound)
            // Listening keywords belong to every channel with public posts, not to LINE.
            #expect(try await app.admin(.patch, "/api/v1/inboxes/\(ig)", #"{"settings":{"keywords":"コタエ"}}"#).0 == .ok)
            let line = try await app.makeInbox(channel: "line")
            #expect(
                try await app.admin(.patch, "/api/v1/inboxes/\(line)", #"{"settings":{"keywords":"コタエ"}}"#).1["field"] as? String
                    == "settings.keywords")
        }
    }

    @Test func theSettingsPageListsWhatTheChannelsTypeHas() async throws {
        try await withTestApp { app in
            let fb = try await app.makeInbox(
                channel: "facebook", settings: ["pageId": "105000000000001", "humanAgentTag": "true"], credentials: ["appSecret": "s"])
            let page = String(buffer: try await app.request(.get, "/settings/inboxes/\(fb)", token: app.adminToken).body)
            // Plain settings with their values, secrets write-only, the flag as a ticked box.
            #expect(page.contains(#"name="settings.pageId" value="105000000000001""#))
            #expect(page.contains(#"name="settings.humanAppIds""#))
            #expect(page.contains(#"name="settings.keywords""#))
            #expect(page.contains(#"name="settings.humanAgentTag" data-type="flag" checked"#))
            for secret in ["appSecret", "verifyToken", "pageAccessToken"] {
                #expect(page.contains(#"name="credentials.\#(secret)" type="password""#))
            }
            #expect(!page.contains(#"name="settings.accountId""#))

            let line = try await app.makeInbox(channel: "line")
            let linePage = String(buffer: try await app.request(.get, "/settings/inboxes/\(line)", token: app.adminToken).body)
            let names = linePage.matches(of: /name="((?:settings|credentials)\.[A-Za-z]+)"/).map { String($0.1) }
            #expect(names == ["settings.channelId", "settings.faqBot", "credentials.channelSecret", "credentials.channelAccessToken"])
            #expect(linePage.contains(#"name="settings.faqBot" data-type="flag""#), "the FAQ bot is a box to tick")

            // A chat inbox: its fields, and the tags to paste into the shop's pages, naming this inbox.
            let chat = try await app.makeInbox(channel: "chat")
            let chatPage = String(buffer: try await app.request(.get, "/settings/inboxes/\(chat)", token: app.adminToken).body)
            #expect(
                chatPage.matches(of: /name="((?:settings|credentials)\.[A-Za-z]+)"/).map { String($0.1) } == [
                    "settings.allowedOrigins", "settings.faqBot", "settings.identityRequired", "settings.emailInboxId",
                    "settings.emailAfterMinutes", "credentials.identitySecret",
                ])
            #expect(chatPage.contains("/assets/widget.js&quot; data-inbox=&quot;\(chat)&quot;"))
        }
    }

    /// Labels come from the UI's one table of words: every field of every kind has one in both languages.
    @Test func everyFieldHasALabelInJapaneseAndEnglish() async throws {
        try await withTestApp { app in
            for kind in ChannelKind.allCases {
                let form = app.services.channels.form(for: kind)
                for field in form.settings + form.credentials {
                    for language in ["ja", "en"] {
                        #expect(WebStrings.table(language)["field_" + field.key] != nil, "\(kind) \(field.key) in \(language)")
                    }
                }
            }
            let page = String(
                buffer: try await app.request(.get, "/settings/inboxes/\(try await app.makeInbox(channel: "x"))", token: app.adminToken).body)
            // The admin reads Japanese.
            #expect(page.contains(#"<label for="cred-consumerSecret">API キーシークレット"#))
        }
    }

    @Test func storedMapsReadAsTheChannelsType() throws {
        struct Sample: ChannelFieldSet {
            var host: String?
            var user: String?
            enum CodingKeys: String, CodingKey, CaseIterable { case host, user }
        }
        let s = try Sample(stored: ["host": "imap.example.jp", "other": "left aside"])
        #expect(s.host == "imap.example.jp" && s.user == nil)
        #expect(Sample.fields.map(\.key) == ["host", "user"])
        #expect("みどり自転車, 注文、 返品\nサドル ,".settingList == ["みどり自転車", "注文", "返品", "サドル"])
    }
}
