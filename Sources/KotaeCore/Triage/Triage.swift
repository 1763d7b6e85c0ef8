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

    private static let folded: [TriageIntent: [TriageCues.Cue]] = TriageCues.intents.mapValues(fold)
    private static let negative = fold(TriageCues.negative)
    private static let positive = fold(TriageCues.positive)
    private static let urgent = fold(TriageCues.urgent)
    private static let closing = fold(TriageCues.closing)
    private static let autoReply = fold(TriageCues.autoReply)

    private static func fold(_ cues: [TriageCues.Cue]) -> [TriageCues.Cue] { cues.map { (FAQText.fold($0.text), $0.weight) } }

    /// What the message says, label by label.
    public func read(_ text: String) -> TriageResult {
        let t = FAQText.fold(text)
        var scores: [TriageIntent: Double] = [:]
        for (intent, cues) in Self.folded { scores[intent] = Self.score(t, cues) }
        let ranked = scores.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : Self.order($0.key) < Self.order($1.key) }
        let intent = ranked.first?.key ?? .other
        let best = ranked.first?.value ?? 0
        let total = ranked.reduce(0) { $0 + $1.value }
        let confidence = total == 0 ? 0.3 : min(1, 0.4 + 0.6 * best / total)

        let tone = Self.score(t, Self.positive) - Self.score(t, Self.negative)
        var sentiment: TriageSentiment = tone >= 1.5 ? .positive : tone <= -1 ? .negative : .neutral
        if [.complaintService, .defect, .wrongItem].contains(intent), sentiment == .neutral, tone < 0.5 { sentiment = .negative }

        let auto = Self.score(t, Self.autoReply) >= 3
        // A short private message that only acknowledges, with nothing asked and nothing wrong.
        let closes = !isPublic && t.count <= 40 && Self.score(t, Self.closing) >= 1.5 && !Self.asks(t) && tone >= 0
        let needsReply = !(intent == .spam || auto || closes)
        var urgency = Self.score(t, Self.urgent)
        // Cancelling or changing the address is possible only before the parcel leaves.
        if intent == .cancel || intent == .addressChange { urgency += 2 }
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

    /// The summed weights of the cues found: Japanese anywhere, English from a word's start.
    static func score(_ text: String, _ cues: [TriageCues.Cue]) -> Double {
        var total = 0.0
        for cue in cues where contains(text, cue.text) { total += cue.weight }
        return total
    }

    static func contains(_ text: String, _ cue: String) -> Bool {
        guard let first = cue.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return text.contains(cue) }
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: cue, range: search) {
            if r.lowerBound == text.startIndex { return true }
            let before = text[text.index(before: r.lowerBound)]
            if !(before.isASCII && (before.isLetter || before.isNumber)) { return true }
            search = r.upperBound..<text.endIndex
        }
        return false
    }
}
