import ArgumentParser
import Foundation
import KotaeCore

/// `kotae eval faq DIR`, `kotae eval triage DIR`: the FAQ bot and triage measured on labelled sets.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Kotae's answers on labelled sets.", subcommands: [FAQ.self, TriageSet.self, Replies.self])

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

    struct TriageSet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "triage",
            abstract: "Triage on DIR/triage.jsonl: intent macro-F1, needs-reply accuracy, urgent recall, sentiment accuracy.")

        @Argument(help: "A folder with triage.jsonl (the format of shared/eval).")
        var directory: String

        @Flag(help: "List every message triage gets wrong.")
        var verbose = false

        func run() async throws {
            let set = try TriageEvaluation(directory: URL(fileURLWithPath: directory))
            let r = set.run()
            func f(_ x: Double) -> String { String(format: "%.3f", x) }
            print("messages: \(r.total)")
            print("intent macro-F1: \(f(r.macroF1))")
            for intent in TriageIntent.allCases { print("  \(intent.rawValue): F1 \(f(r.f1(intent)))") }
            print("needs-reply accuracy: \(f(r.needsReplyAccuracy)) (\(r.needsReplyRight)/\(r.total))")
            print("urgent recall: \(f(r.urgentRecall)) (\(r.urgentFound)/\(r.urgentFound + r.urgentMissed)), precision \(f(r.urgentPrecision))")
            print("sentiment accuracy: \(f(r.sentimentAccuracy))")
            if verbose {
                for item in set.items {
                    let got = Triage(isPublic: item.isPublic).read(item.text)
                    guard got.intent != item.intent || got.needsReply != item.needsReply || got.urgent != item.urgent else { continue }
                    print(
                        "\(item.intent.rawValue)→\(got.intent.rawValue)\turgent \(item.urgent)→\(got.urgent)\treply \(item.needsReply)→\(got.needsReply)\t\(item.text.prefix(70))"
                    )
                }
            }
        }
    }

    struct Replies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replies", abstract: "The reply checker on DIR/replies.jsonl: F1 per issue (vague promise, no apology, …).")

        @Argument(help: "A folder with replies.jsonl (the format of shared/eval).")
        var directory: String

        @Flag(help: "List every reply the checker reads wrongly.")
        var verbose = false

        func run() async throws {
            let set = try ReplyEvaluation(directory: URL(fileURLWithPath: directory))
            let r = set.run()
            print("replies: \(set.items.count)")
            for kind in ReplyEvaluation.measured {
                let c = r.counts[kind] ?? (0, 0, 0)
                print("\(kind.rawValue): F1 \(String(format: "%.3f", r.f1(kind))) (found \(c.tp), missed \(c.fn), wrongly \(c.fp))")
            }
            if verbose {
                for item in set.items {
                    let got = ReplyEvaluation.found(item).filter { ReplyEvaluation.measured.contains($0) }.map(\.rawValue).sorted()
                    guard got != item.issues.sorted() else { continue }
                    print("\(item.issues.sorted())→\(got)\t\(item.text.prefix(80))")
                }
            }
        }
    }
}
