import Foundation
@testable import KotaeCore
import KotaeFixtures
import Testing

/// FAQ search in Japanese without spaces: two-character words, width and kana variants,
/// long vowels and wave dashes, the question weighing more than the answer, the glossary.
@Suite struct FAQSearchTests {
    static let articles = [
        FAQEntry(id: "returns", locale: "ja", question: "返品はできますか?", answer: "商品到着後30日以内、未使用でタグが付いていれば返品を承ります。"),
        FAQEntry(id: "shipping-fee", locale: "ja", question: "送料はいくらですか?", answer: "全国一律660円です。11,000円以上で無料になります。"),
        FAQEntry(id: "restock", locale: "ja", question: "売り切れの商品は再入荷しますか?", answer: "在庫が戻る時期は商品ページでお知らせします。"),
        FAQEntry(id: "size-guide", locale: "ja", question: "サイズ表はありますか?", answer: "各商品ページに実寸のサイズ表があります。"),
        FAQEntry(id: "sale", locale: "ja", question: "セール品の扱いは?", answer: "セール品は返品できません。交換のみ承ります。"),
        FAQEntry(id: "wave", locale: "ja", question: "営業時間は?", answer: "平日10時〜18時です。"),
        FAQEntry(id: "refund", locale: "ja", question: "返金はいつですか?", answer: "検品後5営業日以内に返金します。"),
    ]
    static let index = FAQIndex(articles)

    func top(_ query: String) -> String? { Self.index.search(query, limit: 1).first?.entry.id }

    @Test func foldingMakesWidthKanaLongVowelAndWaveDashVariantsOne() {
        #expect(FAQText.fold("ｻｲｽﾞ") == FAQText.fold("サイズ"))
        #expect(FAQText.fold("サイズ") == "さいず")
        #expect(FAQText.fold("ＡＢＣ１２３") == "abc123")
        #expect(FAQText.fold("10時～18時") == FAQText.fold("10時〜18時") && FAQText.fold("10時~18時") == FAQText.fold("10時〜18時"))
        #expect(FAQText.fold("ｺｰﾄ") == FAQText.fold("コート") && FAQText.fold("コ―ト") == FAQText.fold("コート"))
        #expect(FAQText.fold("ガ") == FAQText.fold("ｶﾞ"), "a voiced half-width kana composes")
    }

    /// The fold's shortcut past Foundation's NFKC must give what NFKC gives: every scalar it
    /// takes, alone and each after the one before it, and a message such as customers write
    /// takes the shortcut whole.
    @Test func theFoldsShortcutAgreesWithNFKCOnEveryScalarItTakes() {
        var taken = String.UnicodeScalarView(), mapped = String.UnicodeScalarView()
        var disagreements: [String] = []
        for value in UInt32(0)...0x2FFFF {
            guard let s = Unicode.Scalar(value), let simple = FAQText.simpleCompatibilityForm(s) else { continue }
            taken.append(s)
            mapped.append(simple)
            if String(s).precomposedStringWithCompatibilityMapping != String(simple) { disagreements.append(String(value, radix: 16)) }
        }
        #expect(disagreements.isEmpty)
        #expect(taken.count > 20_000)
        #expect(String(taken).precomposedStringWithCompatibilityMapping == String(mapped))
        let message = "注文した自転車（ＸＬサイズ）がまだ届きません！　いつ発送されますか？ Order #1024"
        #expect(message.unicodeScalars.allSatisfy { FAQText.simpleCompatibilityForm($0) != nil })
        #expect(FAQText.fold(message) == "注文した自転車(xlさいず)がまだ届きません! いつ発送されますか? order #1024")
    }

    @Test func twoCharacterWordsAreFound() {
        #expect(top("返品") == "returns")
        #expect(top("送料") == "shipping-fee")
        #expect(top("在庫") == "restock")
        #expect(top("返金") == "refund")
    }

    @Test func halfWidthAndFullWidthFindEachOther() {
        #expect(top("ｻｲｽﾞ") == "size-guide")
        #expect(top("サイズ") == "size-guide")
        #expect(top("１１０００円で無料") == "shipping-fee")
    }

    /// 返品 is in the question of one article and in the answer of another: the question wins.
    @Test func theQuestionWeighsMoreThanTheAnswer() {
        let hits = Self.index.search("返品", limit: 5).map(\.entry.id)
        #expect(hits.first == "returns" && hits.contains("sale"))
    }

    @Test func theGlossaryFindsReadingsAndEnglish() {
        #expect(top("へんぴんってどうやるの") == "returns", "a word written in kana finds its kanji")
        #expect(top("How much is shipping?") == "shipping-fee", "an English question finds the Japanese article")
        #expect(top("refund") == "refund")
    }

    @Test func nothingMatchesNothing() {
        #expect(Self.index.search("", limit: 3).isEmpty)
        #expect(Self.index.search("!!!", limit: 3).isEmpty)
        #expect(FAQIndex([]).search("返品").isEmpty)
    }

    /// An article's own words (its synonyms and other phrasings) find it.
    @Test func anArticlesSynonymsAndPhrasingsFindIt() {
        var articles = Self.articles
        articles[0].synonyms = ["返送"]
        articles[0].alternatives = ["いらなくなったので送り返したい"]
        let index = FAQIndex(articles)
        #expect(index.search("送り返したい", limit: 1).first?.entry.id == "returns")
    }
}
