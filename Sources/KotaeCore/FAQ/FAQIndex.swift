import Foundation

/// BM25 over FAQ articles, in memory: the question and its alternative phrasings count three
/// times, the shop's synonyms twice, the answer once (Zendesk weighs a title 3 to a body's 1).
/// Built from the articles whenever they change; a shop's few thousand articles take
/// milliseconds, and the same ranking holds whichever database keeps them.
public struct FAQIndex: Sendable {
    public static let questionWeight = 3.0
    public static let synonymWeight = 2.0
    public static let answerWeight = 1.0
    static let wideningWeight = 0.35
    static let k1 = 1.2
    static let b = 0.75

    struct Document: Sendable {
        let entry: FAQEntry
        let length: Double
    }

    /// A match: the article, its BM25 score, and that score in units of one rare word fully
    /// matched (`score / ((k1 + 1) · ln(1 + articles))`), comparable between FAQs of any size.
    public struct Hit: Sendable, Equatable {
        public let entry: FAQEntry
        public let score: Double
        public let confidence: Double
    }

    let documents: [Document]
    /// For each term, the documents that have it and its weighted frequency there.
    let postings: [String: [(document: Int, frequency: Double)]]
    let averageLength: Double

    public var count: Int { documents.count }

    public init(_ entries: [FAQEntry]) {
        var documents: [Document] = []
        var postings: [String: [(document: Int, frequency: Double)]] = [:]
        for (n, entry) in entries.enumerated() {
            var tf: [String: Double] = [:]
            func add(_ text: String, _ weight: Double) {
                for term in FAQText.terms(FAQText.fold(text)) { tf[term.text, default: 0] += weight * term.weight }
            }
            add(entry.question, Self.questionWeight)
            for a in entry.alternatives { add(a, Self.questionWeight) }
            for s in entry.synonyms { add(s, Self.synonymWeight) }
            add(entry.answer, Self.answerWeight)
            for (term, f) in tf { postings[term, default: []].append((n, f)) }
            documents.append(Document(entry: entry, length: tf.values.reduce(0, +)))
        }
        self.documents = documents
        self.postings = postings
        averageLength = documents.isEmpty ? 1 : documents.map(\.length).reduce(0, +) / Double(documents.count)
    }

    /// How rare a term is among the articles (a term no article has is the rarest of all).
    func idf(_ term: String) -> Double {
        let n = Double(documents.count), d = Double(postings[term]?.count ?? 0)
        return log(1 + (n - d + 0.5) / (d + 0.5))
    }

    /// The best matches for `text`, best first; `locale` keeps to articles in that language.
    public func search(_ text: String, locale: String? = nil, limit: Int = 5) -> [Hit] {
        var query: [String: Double] = [:]
        let folded = FAQText.fold(text)
        for term in FAQText.terms(folded) { query[term.text] = max(query[term.text] ?? 0, term.weight) }
        // The glossary's other words count for less than the customer's own.
        for word in ShopGlossary.widening(folded) {
            for term in FAQText.terms(word) where query[term.text] == nil { query[term.text] = term.weight * Self.wideningWeight }
        }
        guard !query.isEmpty, !documents.isEmpty else { return [] }
        var scores: [Int: Double] = [:]
        for (term, weight) in query {
            guard let list = postings[term] else { continue }
            let w = weight * idf(term)
            for (d, tf) in list {
                let norm = Self.k1 * (1 - Self.b + Self.b * documents[d].length / averageLength)
                scores[d, default: 0] += w * tf * (Self.k1 + 1) / (tf + norm)
            }
        }
        let unit = (Self.k1 + 1) * log(1 + Double(documents.count))
        var hits = scores.compactMap { d, score -> Hit? in
            let entry = documents[d].entry
            guard locale == nil || entry.locale == locale else { return nil }
            return Hit(entry: entry, score: score, confidence: score / unit)
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry.id < $1.entry.id }
        return Array(hits.prefix(limit))
    }
}
