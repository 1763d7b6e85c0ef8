import Foundation
import KotaeCore
import KotaeFixtures
import Testing

/// The bot answers only with an article it is sure of, offers a few when unsure, and hands off
/// at once for a person, an upset customer or one particular order.
@Suite struct FAQBotTests {
    static let bot = FAQBot(
        index: FAQIndex(
            FAQSearchTests.articles + [
                FAQEntry(
                    id: "returns-en", locale: "en", question: "Can I return an item?", answer: "Within 30 days, unused.", translationKey: "returns")
            ]))

    @Test(arguments: ["人と話したいです", "オペレーターをお願いします", "ｵﾍﾟﾚｰﾀｰ", "担当者に代わってください", "Can I talk to a real person?"])
    func askingForAPersonHandsOffAtOnce(text: String) {
        #expect(Self.bot.decide(text) == .handOff(.askedForPerson))
    }

    @Test(arguments: ["返品の対応が最悪です", "This is ridiculous, I want my refund"])
    func anUpsetCustomerGoesToAPerson(text: String) {
        #expect(Self.bot.decide(text) == .handOff(.upset))
    }

    @Test(arguments: ["注文番号 #1042 の返品はどうなりましたか", "123456-20261028-0000012345 の送料", "where is my order?"])
    func aParticularOrderGoesToAPerson(text: String) {
        #expect(Self.bot.decide(text) == .handOff(.aboutAnOrder))
    }

    @Test(arguments: ["はい、解決しました！", "ありがとうございます", "助かりました", "Yes, thanks!", "はい"])
    func aYesToDidThisSolveItIsAYes(text: String) {
        #expect(FAQBot.saysSolved(text))
    }

    /// A new question is not a yes, even when it holds one ("はいつ" holds "はい").
    @Test(arguments: ["注文番号 #1234 はいつ届きますか", "はいつ届きますか", "ありがとう、でも色は選べますか?", "いいえ", "人と話したいです、ありがとう"])
    func aQuestionOrANoIsNotAYes(text: String) {
        #expect(!FAQBot.saysSolved(text))
    }

    @Test func aClearQuestionIsAnsweredWithTheArticleItself() throws {
        guard case .answer(let entry) = Self.bot.decide("送料はいくらかかりますか?") else { Issue.record("not answered"); return }
        #expect(entry.id == "shipping-fee" && entry.answer == "全国一律660円です。11,000円以上で無料になります。")
    }

    @Test func anEnglishQuestionGetsTheEnglishTranslation() {
        guard case .answer(let entry) = Self.bot.decide("Can I return an item?") else { Issue.record("not answered"); return }
        #expect(entry.id == "returns-en")
    }

    @Test func somethingTheFAQDoesNotKnowIsHandedOff() {
        #expect(Self.bot.decide("今週末の天気はどうですか") == .handOff(.notInFAQ))
        #expect(Self.bot.decide("こんにちは") == .handOff(.notInFAQ))
    }

    /// Two articles about as likely: both offered, neither asserted.
    @Test func twoLikelyArticlesAreOfferedNotAnswered() {
        let bot = FAQBot(
            index: FAQIndex(
                FAQSearchTests.articles.filter { $0.id != "returns" } + [
                    FAQEntry(id: "coat", locale: "ja", question: "コートの返品はできますか?", answer: "コートは30日以内なら返品できます。"),
                    FAQEntry(id: "boots", locale: "ja", question: "ブーツの返品はできますか?", answer: "ブーツは30日以内なら返品できます。"),
                ]))
        let d = bot.decide("返品できますか")
        guard case .suggest(let offered) = d else { Issue.record("not offered: \(d)"); return }
        #expect(Set(offered.map(\.id)).isSuperset(of: ["coat", "boots"]) && offered.count <= 3)
    }

    /// The issue's targets on the dev set in Tests/Fixtures/faq-eval (measured; nothing in the
    /// bot is written for its questions): at least 90 % top-1 on answerable questions, at most
    /// 5 % of unanswerable questions answered.
    @Test func theDevSetMeetsTheTargets() throws {
        let set = try FAQEvaluation(directory: Fixture.root.appendingPathComponent("faq-eval"))
        let report = set.run(FAQBot(index: FAQIndex(set.entries)))
        #expect(report.answerable == 90 && report.unanswerable == 30)
        #expect(report.topOneAccuracy >= 0.9, "\(report)")
        #expect(report.wrongOnUnanswerable <= 0.05, "\(report)")
        #expect(report.answeredWrong * 10 <= report.answeredRight, "wrong answers stay rare: \(report)")
    }
}
