/// One FAQ article as search and the bot see it: what it is asked as, what it answers, and the
/// shop's own words for it.
public struct FAQEntry: Sendable, Equatable {
    public var id: String
    public var locale: String
    public var question: String
    public var answer: String
    /// Other ways customers ask it, written by the shop (searched like the question).
    public var alternatives: [String]
    /// Words customers use for its subject (送料, 返品, "refund"), written by the shop.
    public var synonyms: [String]
    /// Shared by an article and its translations, so a question can be answered in its own language.
    public var translationKey: String

    public init(
        id: String, locale: String, question: String, answer: String, alternatives: [String] = [], synonyms: [String] = [],
        translationKey: String? = nil
    ) {
        self.id = id
        self.locale = locale
        self.question = question
        self.answer = answer
        self.alternatives = alternatives
        self.synonyms = synonyms
        self.translationKey = translationKey ?? id
    }
}
