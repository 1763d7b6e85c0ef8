import Testing

@testable import KotaeMail

/// Where the customer's own words end and the quoted history or signature begins.
struct QuoteFoldingTests {
    static func own(_ text: String) -> String {
        guard let at = QuoteFolding.foldPoint(text) else { return text }
        return String(text.prefix(at))
    }

    @Test func theQuotedHistoryOfEachMailerIsFolded() {
        #expect(Self.own("まだ?\n\nOn Tue, 1 Dec 2026 at 9:14, Midori <support@shop.jp> wrote:\n> ご注文ありがとうございます\n") == "まだ?\n\n")
        #expect(Self.own("まだ?\n\n2026年12月1日(火) 9:14 緑川 <support@shop.jp>:\n> ご注文\n") == "まだ?\n\n")
        #expect(Self.own("まだですか\n-----Original Message-----\nFrom: shop\n") == "まだですか\n")
        #expect(Self.own("はい\n\n差出人: ショップ <support@shop.jp>\n送信日時: 2026年12月1日 9:14\n") == "はい\n\n")
        #expect(Self.own("届きました\n________________________________\nFrom: x\n") == "届きました\n")
        #expect(Self.own("ok\n> quoted\n> more\n") == "ok\n")
    }

    @Test func theSignatureIsFolded() {
        #expect(Self.own("ありがとう\n-- \n山田 太郎\n") == "ありがとう\n")
    }

    @Test func nothingIsFoldedWhenNothingOwnWouldRemain() {
        #expect(QuoteFolding.foldPoint("> all quoted\n> here") == nil)
        #expect(QuoteFolding.foldPoint("no history at all\nsecond line") == nil)
        // A forwarded message is the content, not history.
        #expect(QuoteFolding.foldPoint("見てください\n---------- Forwarded message ----------\nFrom: a") == nil)
    }
}
