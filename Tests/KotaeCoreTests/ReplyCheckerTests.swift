import Foundation
import KotaeFixtures
import Testing

@testable import KotaeCore

/// The reply checker on drafts written for these tests, each issue both ways.
@Suite struct ReplyCheckerTests {
    let checker = ReplyChecker()

    func kinds(_ text: String, _ context: ReplyChecker.Context = .init()) -> [ReplyIssue.Kind] { checker.check(text, context).map(\.kind) }

    @Test(arguments: [
        "たぶん来週には入荷しますので、週明けにはお届けできると思います。", "近いうちに発送いたします。", "返金は月末ごろになるかもしれません。",
        "It should probably arrive on Monday.", "Hopefully your refund will go through this week.", "We will ship it soon.",
    ])
    func aHedgedPromiseIsVague(text: String) {
        #expect(kinds(text).contains(.vaguePromise))
    }

    @Test(arguments: [
        "本日発送し、11月14日(木)の午前中にお届け予定です。", "入荷日はまだ決まっていません。決まり次第メールでお知らせします。", "通常1〜2週間でお届けしています。",
        "Your replacement ships today and arrives on June 8.", "Delivery usually takes 3-10 business days after shipping.",
    ])
    func aFirmDateOrAnHonestRangeIsNot(text: String) {
        #expect(!kinds(text).contains(.vaguePromise))
    }

    @Test func aComplaintNeedsAnApologyAndAQuestionDoesNot() {
        let answer = "交換品を本日発送しました。"
        #expect(kinds(answer, .init(complaint: true)) == [.noApology])
        #expect(kinds("ご不便をおかけし申し訳ございません。" + answer, .init(complaint: true)).isEmpty)
        #expect(kinds("We're sorry the bell arrived scratched.", .init(complaint: true)).isEmpty)
        #expect(kinds(answer, .init(complaint: false)).isEmpty)
    }

    @Test func blameAndTelephoneOnlyAreCaught() {
        #expect(kinds("お客様の確認不足によるものですので、交換はできかねます。").contains(.blamesCustomer))
        #expect(kinds("You should have read the size chart.").contains(.blamesCustomer))
        #expect(kinds("サイズ表は商品ページに記載しています。").isEmpty)
        #expect(kinds("この件はお電話でのみ承っております。").contains(.phoneOnly))
        #expect(kinds("Refunds can only be handled by phone, please call us.").contains(.phoneOnly))
        #expect(!kinds("お電話でもチャットでもお気軽にどうぞ。").contains(.phoneOnly))
    }

    @Test func theWrongNameTheMissingAttachmentAndTheLength() {
        #expect(checker.check("山田様\n\nお問い合わせありがとうございます。", .init(contactName: "佐藤 花子")).map(\.evidence) == ["山田"])
        #expect(kinds("佐藤様\n\nお問い合わせありがとうございます。", .init(contactName: "佐藤 花子")).isEmpty)
        #expect(kinds("Hi Olivia,\nThanks for writing.", .init(contactName: "Olivia Brown")).isEmpty)
        #expect(kinds("Hi Emma,\nThanks for writing.", .init(contactName: "Olivia Brown")) == [.wrongName])
        #expect(kinds("領収書を添付いたします。") == [.missingAttachment])
        #expect(kinds("領収書を添付いたします。", .init(attachments: 1)).isEmpty)
        #expect(kinds(String(repeating: "ご確認ください。", count: 40)) == [.tooLong])
        #expect(kinds(String(repeating: "a", count: 281), .init(channelLimit: 280)) == [.tooLong])
    }

    @Test func aForbiddenWordBlocksSendingAndTheRestDoNot() {
        let issues = checker.check("絶対に届きます。", .init(forbidden: ["絶対"]))
        #expect(issues.map(\.kind) == [.forbiddenWord] && issues[0].blocks)
        #expect(checker.check("近いうちに発送します。", .init()).allSatisfy { !$0.blocks })
    }

    @Test func anEmailGreetsTheCustomerByName() {
        let email = ReplyChecker.Context(contactName: "佐藤 花子", expectsNamedGreeting: true)
        #expect(checker.check("お問い合わせありがとうございます。", email).map(\.kind) == [.noNamedGreeting])
        #expect(kinds("佐藤様\nお問い合わせありがとうございます。", email).isEmpty)
        // A chat does not open like a letter; nor can a nameless contact be greeted by name.
        #expect(kinds("お問い合わせありがとうございます。", .init(contactName: "佐藤 花子")).isEmpty)
        #expect(kinds("お問い合わせありがとうございます。", .init(expectsNamedGreeting: true)).isEmpty)
    }

    /// Today is 2026-12-28; the order shipped on the 28th and is expected on 2027-01-05.
    @Test func aDayPromisedForTheParcelMustBeOneTheOrderGives() {
        let order = ReplyChecker.Context(orderDays: [LocalDate(2026, 12, 28), LocalDate(2027, 1, 5)], today: LocalDate(2026, 12, 28))
        #expect(kinds("1月5日にお届け予定です。", order).isEmpty)
        #expect(kinds("本日発送し、2027年1月5日に到着します。", order).isEmpty)
        #expect(kinds("It ships today and arrives on Jan 5th.", order).isEmpty)
        #expect(kinds("It will be delivered on 5 January.", order).isEmpty)
        // The year is the one nearest today: 1/6 is next January, and not in the order.
        #expect(checker.check("1/6にお届けします。", order).map(\.evidence) == ["1/6"])
        #expect(checker.check("明日発送いたします。", order).map(\.evidence) == ["明日"])
        #expect(checker.check("It arrives on December 30.", order).map(\.evidence) == ["December 30"])
        // A day that is not about the parcel, or a number that is not a day, is left alone.
        #expect(kinds("12月29日から1月3日までお休みをいただきます。", order).isEmpty)
        #expect(kinds("発送済みで、伝票番号は4321-8765-1098です。", order).isEmpty)
        // Without a shop system connected there is nothing to hold a day against.
        #expect(kinds("12月30日にお届けします。", .init(today: LocalDate(2026, 12, 28))).isEmpty)
    }

    @Test func onXTheLimitIsTheWeightedLength() {
        let x = ReplyChecker.Context(channelLimit: XWeightedLength.limit, xWeighted: true)
        // 140 kana weigh 280: at the limit; one more is over.
        #expect(kinds(String(repeating: "あ", count: 140), x).isEmpty)
        #expect(kinds(String(repeating: "あ", count: 141), x) == [.tooLong])
        #expect(XWeightedLength.of("see https://example.com/a/very/long/path/that/counts/as/twenty-three ok") == 4 + 23 + 3)
    }

    /// The dev set of shared/eval (a copy in Tests/Fixtures/replies-eval), measured (the figures are in BENCHMARKS.md), held as floors.
    @Test func theDevSetFigures() throws {
        let r = try ReplyEvaluation(directory: Fixture.root.appendingPathComponent("replies-eval")).run()
        #expect(r.f1(.vaguePromise) >= ReplyCheckerTests.floors.vague)
        #expect(r.f1(.noApology) >= ReplyCheckerTests.floors.apology)
    }

    static let floors = (vague: 0.95, apology: 0.99)
}
