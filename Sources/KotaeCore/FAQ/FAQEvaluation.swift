import Foundation

/// A labelled set in the format of `shared/eval/`: `faq.json` (the articles) and
/// `questions.jsonl` (each question with the article that answers it, or null), and what the
/// bot makes of it.
public struct FAQEvaluation: Sendable {
    public struct Question: Decodable, Sendable {
        public let text: String
        public let locale: String
        public let expected: String?
    }

    struct Article: Decodable {
        let id: String
        let locale: String
        let question: String
        let answer: String
        let tags: [String]?
    }

    public let entries: [FAQEntry]
    public let questions: [Question]

    /// Reads `dir/faq.json` and `dir/questions.jsonl`. An article's tags are its synonyms, and
    /// `-en` ids are translations of the id without it.
    public init(directory: URL) throws {
        let articles = try JSONDecoder().decode([Article].self, from: Data(contentsOf: directory.appendingPathComponent("faq.json")))
        entries = articles.map {
            FAQEntry(
                id: $0.id, locale: $0.locale, question: $0.question, answer: $0.answer, synonyms: $0.tags ?? [],
                translationKey: $0.id.hasSuffix("-en") ? String($0.id.dropLast(3)) : $0.id)
        }
        let lines = try String(contentsOf: directory.appendingPathComponent("questions.jsonl"), encoding: .utf8).split(separator: "\n")
        questions = try lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            try JSONDecoder().decode(Question.self, from: Data($0.utf8))
        }
    }

    public struct Report: Sendable, Equatable {
        public var answerable = 0, unanswerable = 0
        /// Answerable questions whose best search result is the expected article.
        public var topOneCorrect = 0
        /// Answerable questions the bot answered with the expected article, or with another.
        public var answeredRight = 0, answeredWrong = 0
        /// Unanswerable questions the bot answered all the same.
        public var unanswerableAnswered = 0
        public var suggested = 0, handedOff = 0
        public var total: Int { answerable + unanswerable }

        public var topOneAccuracy: Double { answerable == 0 ? 0 : Double(topOneCorrect) / Double(answerable) }
        public var wrongOnUnanswerable: Double { unanswerable == 0 ? 0 : Double(unanswerableAnswered) / Double(unanswerable) }
        public var handOffRate: Double { total == 0 ? 0 : Double(handedOff) / Double(total) }
    }

    /// What `bot` does with every question. Top-1 is the search's best article for the
    /// question; when its language differs from the question's, the translation counts as it.
    public func run(_ bot: FAQBot) -> Report {
        var r = Report()
        let byId = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // The expected article, or its translation in another language (the same answer).
        func same(_ entry: FAQEntry, _ id: String) -> Bool {
            entry.id == id || (entry.translationKey == byId[id]?.translationKey && entry.locale != byId[id]?.locale)
        }
        for q in questions {
            let decision = bot.decide(q.text)
            if let expected = q.expected {
                r.answerable += 1
                if let top = bot.index.search(q.text, limit: 1).first,
                    top.entry.id == expected || bot.translation(of: top.entry, into: q.locale).id == expected
                {
                    r.topOneCorrect += 1
                }
                if case .answer(let entry) = decision {
                    same(entry, expected) ? (r.answeredRight += 1) : (r.answeredWrong += 1)
                }
            } else {
                r.unanswerable += 1
                if case .answer = decision { r.unanswerableAnswered += 1 }
            }
            switch decision {
            case .answer: break
            case .suggest: r.suggested += 1
            case .handOff: r.handedOff += 1
            }
        }
        return r
    }
}
