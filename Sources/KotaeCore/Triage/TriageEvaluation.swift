import Foundation

/// A labelled set in the format of `shared/eval/triage.jsonl`, and how `Triage` does on it:
/// intent macro-F1, needs-reply accuracy, urgent recall (and precision), sentiment accuracy.
public struct TriageEvaluation: Sendable {
    public struct Item: Decodable, Sendable {
        public let text: String
        public let locale: String
        public let channel: String
        public let intent: TriageIntent
        public let sentiment: TriageSentiment
        public let urgent: Bool
        public let needsReply: Bool

        enum CodingKeys: String, CodingKey {
            case text, locale, channel, intent, sentiment, urgent
            case needsReply = "needs_reply"
        }

        /// Comments and mentions are public.
        public var isPublic: Bool { channel.hasSuffix("_comment") || channel.hasSuffix("_mention") }
    }

    public let items: [Item]

    /// Reads `dir/triage.jsonl`.
    public init(directory: URL) throws {
        let lines = try String(contentsOf: directory.appendingPathComponent("triage.jsonl"), encoding: .utf8).split(separator: "\n")
        items = try lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            try JSONDecoder().decode(Item.self, from: Data($0.utf8))
        }
    }

    public struct Report: Sendable {
        public var total = 0
        /// Per intent: true positives, false positives, false negatives.
        public var counts: [TriageIntent: (tp: Int, fp: Int, fn: Int)] = [:]
        public var needsReplyRight = 0, sentimentRight = 0
        public var urgentFound = 0, urgentMissed = 0, urgentFalse = 0

        public func f1(_ intent: TriageIntent) -> Double {
            let c = counts[intent] ?? (0, 0, 0)
            let p = c.tp + c.fp == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fp)
            let r = c.tp + c.fn == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fn)
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }

        /// The mean F1 over the intents the set has.
        public var macroF1: Double {
            let present = TriageIntent.allCases.filter { (counts[$0]?.tp ?? 0) + (counts[$0]?.fn ?? 0) > 0 }
            return present.isEmpty ? 0 : present.map(f1).reduce(0, +) / Double(present.count)
        }
        public var needsReplyAccuracy: Double { total == 0 ? 0 : Double(needsReplyRight) / Double(total) }
        public var sentimentAccuracy: Double { total == 0 ? 0 : Double(sentimentRight) / Double(total) }
        public var urgentRecall: Double { urgentFound + urgentMissed == 0 ? 0 : Double(urgentFound) / Double(urgentFound + urgentMissed) }
        public var urgentPrecision: Double { urgentFound + urgentFalse == 0 ? 0 : Double(urgentFound) / Double(urgentFound + urgentFalse) }
    }

    public func run() -> Report {
        var r = Report()
        for item in items {
            let got = Triage(isPublic: item.isPublic).read(item.text)
            r.total += 1
            if got.intent == item.intent {
                r.counts[item.intent, default: (0, 0, 0)].tp += 1
            } else {
                r.counts[got.intent, default: (0, 0, 0)].fp += 1
                r.counts[item.intent, default: (0, 0, 0)].fn += 1
            }
            if got.needsReply == item.needsReply { r.needsReplyRight += 1 }
            if got.sentiment == item.sentiment { r.sentimentRight += 1 }
            switch (item.urgent, got.urgent) {
            case (true, true): r.urgentFound += 1
            case (true, false): r.urgentMissed += 1
            case (false, true): r.urgentFalse += 1
            case (false, false): break
            }
        }
        return r
    }
}
