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

    /// What a cue can point to besides an intent.
    enum Signal: Int, CaseIterable {
        case negative, positive, urgent, closing, autoReply, deliveredStatus, notReceived, preOrder
    }

    /// A cue's label as the automaton numbers it: the intents in their order, then the signals.
    private static let intents = TriageIntent.allCases
    private static func label(_ signal: Signal) -> Int { intents.count + signal.rawValue }

    private static let automaton: CueAutomaton = {
        var patterns: [(bytes: [UInt8], cue: CueAutomaton.Cue)] = []
        func add(_ cues: [TriageCues.Cue], _ label: Int) {
            for c in cues {
                let f = FAQText.fold(c.text)
                let first = f.unicodeScalars.first
                patterns.append(
                    (
                        Array(f.utf8),
                        .init(
                            length: f.utf8.count, weight: c.weight, label: label,
                            wordStart: first.map { $0.isASCII && $0.properties.isAlphabetic } ?? false)
                    ))
            }
        }
        for (n, intent) in intents.enumerated() { add(TriageCues.intents[intent] ?? [], n) }
        add(TriageCues.negative, label(.negative))
        add(TriageCues.positive, label(.positive))
        add(TriageCues.urgent, label(.urgent))
        add(TriageCues.closing, label(.closing))
        add(TriageCues.autoReply, label(.autoReply))
        add(TriageCues.deliveredStatus, label(.deliveredStatus))
        add(TriageCues.notReceived, label(.notReceived))
        add(TriageCues.preOrder, label(.preOrder))
        return CueAutomaton(patterns)
    }()

    /// What the message says, label by label. Runs on every message that arrives, so it
    /// keeps to arrays indexed by label (no hashing).
    public func read(_ text: String) -> TriageResult {
        let folded = FAQText.fold(text)
        var sums = [Double](repeating: 0, count: Self.intents.count + Signal.allCases.count)
        for i in Self.automaton.matches(in: folded) {
            let cue = Self.automaton.cues[i]
            sums[cue.label] += cue.weight
        }
        func score(_ signal: Signal) -> Double { sums[Self.label(signal)] }
        // The intent with the highest score; ties go to the one an agent must act on sooner
        // (the earlier in `TriageIntent`'s order).
        var best: (index: Int, score: Double)?
        var total = 0.0
        for n in Self.intents.indices where sums[n] > 0 {
            total += sums[n]
            if sums[n] > best?.score ?? 0 { best = (n, sums[n]) }
        }
        let intent = best.map { Self.intents[$0.index] } ?? .other
        let confidence = total == 0 ? 0.3 : min(1, 0.4 + 0.6 * (best?.score ?? 0) / total)

        let tone = score(.positive) - score(.negative)
        let reportsAProblem = intent == .complaintService || intent == .defect || intent == .wrongItem
        var sentiment: TriageSentiment = tone >= 1.5 ? .positive : tone <= -1 ? .negative : .neutral
        if reportsAProblem, sentiment == .neutral, tone < 0.5 { sentiment = .negative }

        let auto = score(.autoReply) >= 3
        var urgency = score(.urgent)
        // Cancelling or changing the address is possible only before the parcel leaves (a
        // pre-order leaves later).
        if intent == .cancel || intent == .addressChange, score(.preOrder) == 0 { urgency += 2 }
        // Marked delivered, yet not received: the parcel may be lost.
        if score(.deliveredStatus) > 0 && score(.notReceived) > 0 { urgency += 3 }
        // A short private message that only acknowledges, with nothing asked and nothing wrong:
        // "届きました" closes a conversation, "壊れた状態で届きました" opens one.
        let reportsTrouble = reportsAProblem || urgency >= 2
        let closes = !isPublic && score(.closing) >= 1.5 && tone >= 0 && !reportsTrouble && folded.count <= 40 && !Self.asks(folded)
        let needsReply = !(intent == .spam || auto || closes)
        // One strong cue is enough; weak ones (a gift, a review) only together.
        let urgent = needsReply && intent != .spam && intent != .praise && urgency >= 2
        return TriageResult(
            intent: auto && intent != .spam ? .other : intent, confidence: (confidence * 100).rounded() / 100, sentiment: sentiment,
            urgent: urgent, needsReply: needsReply)
    }

    /// Whether the text asks something.
    static func asks(_ t: String) -> Bool {
        t.contains("?") || t.contains("か。") || t.hasSuffix("か") || t.contains("ますか") || t.contains("でしょうか")
    }
}
