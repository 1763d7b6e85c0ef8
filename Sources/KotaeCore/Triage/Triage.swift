import Foundation

/// Reads a customer's message for what it is about, its tone, whether it should be handled
/// today and whether it needs an answer at all, without a network or a downloaded model:
/// weighted cue words per label (`TriageCues`) over the folded text, in Japanese and English.
/// Every label comes with what decided it, so a rule or an agent can see why.
public struct Triage: Sendable {
    /// Public channels (comments, mentions): a "thanks!" there still gets an answer.
    public var isPublic: Bool

    public init(isPublic: Bool = false) {
        self.isPublic = isPublic
    }

    /// The labels a cue scores for, as the automaton numbers them.
    enum Label: Hashable, Sendable {
        case intent(TriageIntent), negative, positive, urgent, closing, autoReply, deliveredStatus, notReceived, preOrder
    }

    private static let labels: [Label] =
        TriageIntent.allCases.map(Label.intent) + [.negative, .positive, .urgent, .closing, .autoReply, .deliveredStatus, .notReceived, .preOrder]

    private static let automaton: CueAutomaton = {
        var patterns: [(bytes: [UInt8], cue: CueAutomaton.Cue)] = []
        func add(_ cues: [TriageCues.Cue], _ label: Label) {
            let n = labels.firstIndex(of: label)!
            for c in cues {
                let f = FAQText.fold(c.text)
                let first = f.unicodeScalars.first
                patterns.append(
                    (
                        Array(f.utf8),
                        .init(
                            length: f.utf8.count, weight: c.weight, label: n,
                            wordStart: first.map { $0.isASCII && $0.properties.isAlphabetic } ?? false)
                    ))
            }
        }
        for intent in TriageIntent.allCases { add(TriageCues.intents[intent] ?? [], .intent(intent)) }
        add(TriageCues.negative, .negative)
        add(TriageCues.positive, .positive)
        add(TriageCues.urgent, .urgent)
        add(TriageCues.closing, .closing)
        add(TriageCues.autoReply, .autoReply)
        add(TriageCues.deliveredStatus, .deliveredStatus)
        add(TriageCues.notReceived, .notReceived)
        add(TriageCues.preOrder, .preOrder)
        return CueAutomaton(patterns)
    }()

    /// What the message says, label by label.
    public func read(_ text: String) -> TriageResult {
        let folded = FAQText.fold(text)
        var sums = [Double](repeating: 0, count: Self.labels.count)
        for i in Self.automaton.matches(Array(folded.utf8)) {
            let cue = Self.automaton.cues[i]
            sums[cue.label] += cue.weight
        }
        func score(_ label: Label) -> Double { sums[Self.labels.firstIndex(of: label)!] }
        var scores: [TriageIntent: Double] = [:]
        for intent in TriageIntent.allCases { scores[intent] = score(.intent(intent)) }
        let ranked = scores.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : Self.order($0.key) < Self.order($1.key) }
        let intent = ranked.first?.key ?? .other
        let best = ranked.first?.value ?? 0
        let total = ranked.reduce(0) { $0 + $1.value }
        let confidence = total == 0 ? 0.3 : min(1, 0.4 + 0.6 * best / total)

        let tone = score(.positive) - score(.negative)
        var sentiment: TriageSentiment = tone >= 1.5 ? .positive : tone <= -1 ? .negative : .neutral
        if [.complaintService, .defect, .wrongItem].contains(intent), sentiment == .neutral, tone < 0.5 { sentiment = .negative }

        let auto = score(.autoReply) >= 3
        var urgency = score(.urgent)
        // Cancelling or changing the address is possible only before the parcel leaves (a
        // pre-order leaves later).
        if intent == .cancel || intent == .addressChange, score(.preOrder) == 0 { urgency += 2 }
        // Marked delivered, yet not received: the parcel may be lost.
        if score(.deliveredStatus) > 0 && score(.notReceived) > 0 { urgency += 3 }
        // A short private message that only acknowledges, with nothing asked and nothing wrong:
        // "届きました" closes a conversation, "壊れた状態で届きました" opens one.
        let reportsTrouble = [.defect, .wrongItem, .complaintService].contains(intent) || urgency >= 2
        let closes = !isPublic && folded.count <= 40 && score(.closing) >= 1.5 && !Self.asks(folded) && tone >= 0 && !reportsTrouble
        let needsReply = !(intent == .spam || auto || closes)
        // One strong cue is enough; weak ones (a gift, a review) only together.
        let urgent = needsReply && intent != .spam && intent != .praise && urgency >= 2
        return TriageResult(
            intent: auto && intent != .spam ? .other : intent, confidence: (confidence * 100).rounded() / 100, sentiment: sentiment,
            urgent: urgent, needsReply: needsReply)
    }

    /// Ties go to the label an agent must act on sooner.
    private static func order(_ intent: TriageIntent) -> Int { TriageIntent.allCases.firstIndex(of: intent) ?? 99 }

    /// Whether the text asks something.
    static func asks(_ t: String) -> Bool {
        t.contains("?") || t.contains("か。") || t.hasSuffix("か") || t.contains("ますか") || t.contains("でしょうか")
    }
}
