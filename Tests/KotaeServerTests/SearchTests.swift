import Foundation
import KotaeTesting
import Testing

@Suite struct SearchTests {
    func hits(_ app: TestApp, _ q: String) async throws -> [String] {
        let path = "/api/v1/search?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let (_, r) = try await app.admin(.get, path)
        return (r["messages"] as? [[String: Any]] ?? []).map { $0["text"] as! String }
    }

    @Test func japaneseSubstringsAreFoundWithoutSpaces() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let texts = ["注文した自転車がまだ届きません", "レインコートのサイズを交換したいです", "Where is my ＰＡＣＫＡＧＥ?", "まだ?", "ありがとう"]
            for (i, t) in texts.enumerated() { _ = try await app.ingest(inbox: inbox, externalId: "s\(i)", contact: "c\(i)", text: t) }

            #expect(try await hits(app, "自転車") == ["注文した自転車がまだ届きません"])
            #expect(try await hits(app, "届きません") == ["注文した自転車がまだ届きません"])
            #expect(try await hits(app, "サイズを交換") == ["レインコートのサイズを交換したいです"])
            // Full-width and half-width find each other.
            #expect(try await hits(app, "package") == ["Where is my ＰＡＣＫＡＧＥ?"])
            #expect(try await hits(app, "ｐａｃｋ") == ["Where is my ＰＡＣＫＡＧＥ?"])
            // One and two characters still work.
            #expect(Set(try await hits(app, "まだ")) == ["注文した自転車がまだ届きません", "まだ?"])
            #expect(Set(try await hits(app, "車")) == ["注文した自転車がまだ届きません"])
            #expect(try await hits(app, "存在しない言葉").isEmpty)
            // Quotes and operators are text, not query syntax.
            #expect(try await hits(app, "\"OR\" NEAR(").isEmpty)
            // A quote or a wildcard with a combining mark on it is still one to SQLite: it is
            // escaped as one, so the search neither fails nor matches everything.
            // (Kept out of #expect's source text, which a quote with a mark on it confuses.)
            let marked = "サイズ\"\u{301}M", quoteQuery = "ズ\"\u{301}M", wildcardQuery = "%\u{301}"
            _ = try await app.ingest(inbox: inbox, externalId: "s-marked", contact: "c-marked", text: marked)
            let byQuote = try await hits(app, quoteQuery), byWildcard = try await hits(app, wildcardQuery)
            #expect(byQuote == [marked])
            #expect(byWildcard.isEmpty)

            let (_, list) = try await app.admin(
                .get, "/api/v1/conversations?q=" + "自転車".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect((list["conversations"] as! [[String: Any]]).count == 1)
            #expect(try await app.admin(.get, "/api/v1/search").1["field"] as? String == "q")
        }
    }
}
