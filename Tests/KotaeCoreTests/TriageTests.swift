import Foundation
import KotaeFixtures
import Testing

@testable import KotaeCore

/// Triage on messages written for these tests (not the evaluation set), then the figures on
/// the dev set in Tests/Fixtures/triage-eval.
@Suite struct TriageTests {
    let triage = Triage()

    @Test(arguments: [
        ("注文した寝袋がまだ届かないのですが、今どこにありますか", TriageIntent.whereIsMyOrder),
        ("Where is my order? It has been two weeks.", .whereIsMyOrder),
        ("黒を注文したのに白が届きました", .wrongItem),
        ("You sent me the wrong size, I ordered a medium", .wrongItem),
        ("届いたランタンのガラスにひびが入っていました", .defect),
        ("The handle came off the pot after one use", .defect),
        ("サイズが合わなかったので返品したいです", .returnExchange),
        ("Can I exchange these boots for a bigger pair?", .returnExchange),
        ("返金はいつ頃になりますか", .refund),
        ("I still haven't got my refund", .refund),
        ("昨日の注文をキャンセルしたいです", .cancel),
        ("配送先の住所を変更できますか", .addressChange),
        ("領収書を発行してもらえますか", .payment),
        ("このジャケットは洗濯機で洗えますか", .productQuestion),
        ("Is the blue one back in stock?", .productQuestion),
        ("スタッフの方の対応がとても丁寧で感動しました！", .praise),
        ("問い合わせても何度も定型文しか返ってこない", .complaintService),
        ("Make money from home!! Click here for free followers", .spam),
        ("あけましておめでとうございます。今年もよろしくお願いします", .other),
    ])
    func eachKindOfMessageIsRead(text: String, intent: TriageIntent) {
        #expect(triage.read(text).intent == intent, "\(text)")
    }

    @Test func aSafetyRiskMoneyAtRiskOrADeadlineIsUrgentAndAnOrdinaryQuestionIsNot() {
        #expect(triage.read("ストーブからガスの臭いがします。使っても大丈夫ですか").urgent)
        #expect(triage.read("I was charged twice for the same order").urgent)
        #expect(triage.read("今週末の旅行に間に合いますか？まだ届いていません").urgent)
        #expect(triage.read("注文をキャンセルしたいです").urgent, "a cancellation is possible only before the parcel leaves")
        // Marked delivered, not received: the parcel may be lost. Delivered and fine is not urgent.
        #expect(triage.read("追跡では配達済になっていますが、荷物が届いていないです").urgent)
        #expect(triage.read("Tracking says the box was delivered on Monday but I never got it").urgent)
        #expect(!triage.read("配達済の通知が来ました。ありがとうございます").urgent)
        // Someone else's details in the parcel; a lost payment slip before its deadline.
        #expect(triage.read("箱の中に他の人の納品書が入っていました").urgent)
        #expect(triage.read("払込票をなくしてしまいました。どうすればいいですか").urgent)
        // No longer wanted, or sent elsewhere, before it ships; a pre-order ships later.
        #expect(triage.read("やっぱりいらなくなりました。まだ止められますか").intent == .cancel)
        #expect(triage.read("Could you ship to my office instead?").intent == .addressChange)
        #expect(triage.read("Could you ship to my office instead?").urgent)
        #expect(!triage.read("予約注文した商品をキャンセルしたいです").urgent)
        #expect(!triage.read("このテントは何人用ですか").urgent)
        #expect(!triage.read("Thank you, love the jacket!").urgent)
    }

    @Test func autoRepliesSpamAndAPrivateOKNeedNoReplyButAPublicThanksDoes() {
        #expect(!triage.read("Automatic reply: I am out of the office until 4 January.").needsReply)
        #expect(!triage.read("只今休暇中のため、不在にしております。").needsReply)
        #expect(!triage.read("了解しました").needsReply)
        #expect(!triage.read("Click here to claim your prize, winner!").needsReply)
        #expect(Triage(isPublic: true).read("ありがとうございます！").needsReply, "a public comment gets an answer")
        #expect(triage.read("了解しました。いつ発送されますか？").needsReply, "a question is not a closing")
        // Short and private, but it reports a broken item: not a closing.
        #expect(!triage.read("荷物が届きました").needsReply)
        #expect(triage.read("マグカップが欠けた状態で届きました").needsReply)
        // Complaining about an auto-reply is not one.
        #expect(triage.read("自動返信が来ただけで、何の回答もありません").needsReply)
    }

    @Test func toneFollowsTheCustomersWords() {
        #expect(triage.read("最悪です。まだ届かないし連絡もない").sentiment == .negative)
        #expect(triage.read("とても気に入りました、ありがとうございます").sentiment == .positive)
        #expect(triage.read("このバッグの容量は何リットルですか").sentiment == .neutral)
    }

    /// Measured on the dev set (the targets: macro-F1 ≥ 0.80, needs-reply ≥ 0.97, urgent
    /// recall ≥ 0.90; reached 0.898, 0.987, 1.000): this test holds close to what is reached,
    /// so a change that loses ground fails.
    @Test func theDevSetFigures() throws {
        let r = try TriageEvaluation(directory: Fixture.root.appendingPathComponent("triage-eval")).run()
        #expect(r.total == 150)
        #expect(r.macroF1 >= 0.88)
        #expect(r.needsReplyAccuracy >= 0.98)
        #expect(r.urgentRecall >= 0.96)
    }
}
