import Foundation

/// The FAQ bot's one decision per customer message: answer with an article's own words, offer
/// a few articles, or hand the conversation to a person. It never writes anything itself.
/// It answers only when the best article covers most of what was asked and clearly beats the
/// next; it hands off at once when someone asks for a person, is upset, or asks about one
/// particular order, which no FAQ can answer.
public struct FAQBot: Sendable {
    public struct Thresholds: Sendable, Equatable {
        /// The confidence (`FAQIndex.Hit`) the best article needs to be the answer.
        public var answer: Double
        /// The next article's score may be at most this share of the best's.
        public var secondBest: Double
        /// Below this confidence nothing is offered: the question is not in the FAQ.
        public var suggest: Double

        public init(answer: Double, secondBest: Double, suggest: Double) {
            self.answer = answer
            self.secondBest = secondBest
            self.suggest = suggest
        }

        public static let standard = Thresholds(answer: 1.0, secondBest: 0.8, suggest: 0.5)
    }

    public enum HandOff: String, Sendable, Equatable, CaseIterable {
        /// 「人と話したい」, 「オペレーター」, "talk to a person".
        case askedForPerson
        /// An angry or distressed message: a person, not an article.
        case upset
        /// A particular order's state, charge or refund: the FAQ cannot know it.
        case aboutAnOrder
        /// No article covers it.
        case notInFAQ
        /// The customer wrote again after the bot answered (decided by the conversation, not one message).
        case askedAgain
    }

    public enum Decision: Sendable, Equatable {
        case answer(FAQEntry)
        case suggest([FAQEntry])
        case handOff(HandOff)
    }

    public let index: FAQIndex
    public var thresholds: Thresholds

    public init(index: FAQIndex, thresholds: Thresholds = .standard) {
        self.index = index
        self.thresholds = thresholds
    }

    public func decide(_ text: String) -> Decision {
        if let reason = HandOffSignals.reason(text) { return .handOff(reason) }
        let locale = Self.locale(of: text)
        let hits = index.search(text, limit: 6)
        guard let best = hits.first, best.confidence >= thresholds.suggest else { return .handOff(.notInFAQ) }
        let rivals = hits.dropFirst().filter { $0.entry.translationKey != best.entry.translationKey }
        if best.confidence >= thresholds.answer, rivals.first.map({ $0.score <= best.score * thresholds.secondBest }) ?? true {
            return .answer(translation(of: best.entry, into: locale))
        }
        var offered: [FAQEntry] = []
        for hit in hits where hit.confidence >= thresholds.suggest {
            let entry = translation(of: hit.entry, into: locale)
            if !offered.contains(where: { $0.translationKey == entry.translationKey }) { offered.append(entry) }
            if offered.count == 3 { break }
        }
        return .suggest(offered)
    }

    static let solvedWords = ["はい", "解決", "ありがとう", "助かりました", "わかりました", "yes", "solved", "thanks", "thank you"].map(FAQText.fold)

    /// Whether a customer's answer to "did this solve it?" says yes: short, a word of thanks
    /// or yes, and not itself a question or a reason for a person ("はいつ届きますか" holds
    /// "はい" and is a question about an order, not a yes).
    public static func saysSolved(_ text: String) -> Bool {
        let folded = FAQText.fold(text).trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters).subtracting(["?", "？"]))
        guard folded.count <= 20, HandOffSignals.reason(text) == nil, !folded.contains("?"), !folded.contains("？"),
            !folded.hasSuffix("か"), !folded.hasSuffix("かな")
        else { return false }
        return solvedWords.contains { folded.contains($0) }
    }

    /// The article in the customer's language when the shop translated it.
    func translation(of entry: FAQEntry, into locale: String) -> FAQEntry {
        guard entry.locale != locale else { return entry }
        return index.documents.first { $0.entry.translationKey == entry.translationKey && $0.entry.locale == locale }?.entry ?? entry
    }

    /// Japanese when the text has any kana or kanji, else English.
    public static func locale(of text: String) -> String {
        text.unicodeScalars.contains { [.kana, .kanji].contains(FAQText.script($0)) || (0x30A0...0x30FF).contains($0.value) } ? "ja" : "en"
    }
}

/// The FAQ bot's turn on a customer's message, queued with the message.
public struct AnswerFromFAQ: JobPayload, Equatable {
    public static let kind = "bot.answer"
    @StoredNumber public var conversationId: ID
    @StoredNumber public var messageId: ID

    public init(conversationId: ID, messageId: ID) {
        self.conversationId = conversationId
        self.messageId = messageId
    }
}
