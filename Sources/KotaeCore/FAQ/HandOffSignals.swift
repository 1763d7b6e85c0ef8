import Foundation

/// What in a message means a person must answer it, whatever the FAQ says. Written for
/// customers of any shop, in Japanese and English; folded like everything else (katakana as
/// hiragana, lower case), so 「オペレーター」 and 「おぺれーたー」 are one phrase.
enum HandOffSignals {
    /// Asking for a person.
    static let person = [
        "人と話", "人間と話", "人に代わ", "担当者", "おぺれーたー", "責任者", "上司", "有人", "人間?", "ぼっと?",
        "human", "real person", "talk to someone", "speak to someone", "a person", "agent", "representative", "manager", "operator",
        "are you a bot", "is this a bot",
    ]

    /// Anger or distress.
    static let upset = [
        "最悪", "ふざけ", "いい加減", "どうなってる", "どうなって", "返事がない", "返信がない", "つながらない", "繋がらない", "詐欺", "訴え", "怒",
        "!!!", "！！！", "ひどい", "酷い", "許せ", "二度と",
        "ridiculous", "unacceptable", "terrible", "worst", "a joke", "scam", "angry", "furious", "disgusting", "never again", "wtf",
    ]

    /// A particular order: its number, where it is, a charge or a refund that did not come.
    static let order = [
        "注文番号", "今どこ", "どのへん", "どの辺", "まだ届かない", "まだ届いてない", "まだ届いていない", "届かない!", "とどかない", "二重", "引き落と",
        "返金されてない", "返金されていない", "消えてる", "消えた",
        "where is my order", "my order #", "order number", "charged twice", "double charge", "haven't received", "has not arrived",
        "hasn't arrived", "not arrived yet", "still waiting for my order",
    ].map(FAQText.fold)

    /// `#1042`, `MO-20240518-0231`, Rakuten's `123456-20261028-0000012345`.
    static var orderNumber: Regex<(Substring, Substring?, Substring?, Substring?, Substring?)> {
        // Extended delimiters: the fuzzer compiles Core without bare `/…/` regex literals.
        #/(#\s?[0-9]{3,})|([a-z]{1,4}-?[0-9]{6,}(-[0-9]+)*)|([0-9]{6}-[0-9]{8}-[0-9]{8,10})/#
    }

    static func reason(_ text: String) -> FAQBot.HandOff? {
        let folded = FAQText.fold(text)
        if person.map(FAQText.fold).contains(where: folded.contains) { return .askedForPerson }
        if upset.map(FAQText.fold).contains(where: folded.contains) { return .upset }
        if order.contains(where: folded.contains) || folded.contains(orderNumber) { return .aboutAnOrder }
        return nil
    }
}
