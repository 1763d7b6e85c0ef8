import ArgumentParser
import Foundation
import KotaeCore

/// `kotae eval faq DIR`: the FAQ bot measured on a labelled set.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure Kotae's answers on labelled sets.", subcommands: [FAQ.self])

    struct FAQ: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "faq",
            abstract: "The FAQ bot on DIR/faq.json and DIR/questions.jsonl: top-1 accuracy, wrong answers, hand-offs.")

        @Argument(help: "A folder with faq.json and questions.jsonl (the format of shared/eval).")
        var directory: String

        @Flag(help: "List every question the bot gets wrong.")
        var verbose = false

        func run() async throws {
            let set = try FAQEvaluation(directory: URL(fileURLWithPath: directory))
            let bot = FAQBot(index: FAQIndex(set.entries))
            let r = set.run(bot)
            func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
            print("questions: \(r.total) (\(r.answerable) answerable, \(r.unanswerable) not in the FAQ)")
            print("top-1 accuracy on answerable: \(percent(r.topOneAccuracy)) (\(r.topOneCorrect)/\(r.answerable))")
            print("answered on answerable: \(r.answeredRight) right, \(r.answeredWrong) wrong")
            print("unanswerable answered all the same: \(percent(r.wrongOnUnanswerable)) (\(r.unanswerableAnswered)/\(r.unanswerable))")
            print("handed off: \(percent(r.handOffRate)) (\(r.handedOff)/\(r.total)); articles offered: \(r.suggested)")
            if verbose {
                for q in set.questions {
                    let top = bot.index.search(q.text, limit: 2)
                    let d = bot.decide(q.text)
                    let said: String
                    switch d {
                    case .answer(let e): said = "answer \(e.id)"
                    case .suggest(let es): said = "suggest \(es.map(\.id))"
                    case .handOff(let why): said = "hand off (\(why.rawValue))"
                    }
                    let topText = top.map { "\($0.entry.id) \(String(format: "%.2f/%.2f", $0.score, $0.confidence))" }.joined(separator: ", ")
                    print("\(q.expected ?? "-")\t\(said)\t[\(topText)]\t\(q.text.prefix(60))")
                }
            }
        }
    }
}
