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

    /// The dev set of shared/eval (a copy in Tests/Fixtures/replies-eval), measured (the figures are in BENCHMARKS.md), held as floors.
    @Test func theDevSetFigures() throws {
        let r = try ReplyEvaluation(directory: Fixture.root.appendingPathComponent("replies-eval")).run()
        #expect(r.f1(.vaguePromise) >= ReplyCheckerTests.floors.vague)
        #expect(r.f1(.noApology) >= ReplyCheckerTests.floors.apology)
    }

    static let floors = (vague: 0.95, apology: 0.99)
}
