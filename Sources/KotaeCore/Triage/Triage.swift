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

    /// A cue as bytes of its folded text: matching is a byte search, several hundred per message.
    struct Compiled: Sendable {
        let bytes: [UInt8]
        let weight: Double
        /// English: only from the start of a word ("pay" in "repay" is not paying).
        let wordStart: Bool
    }

    private static let folded: [TriageIntent: [Compiled]] = TriageCues.intents.mapValues(compile)
    private static let negative = compile(TriageCues.negative)
    private static let positive = compile(TriageCues.positive)
    private static let urgent = compile(TriageCues.urgent)
    private static let closing = compile(TriageCues.closing)
    private static let autoReply = compile(TriageCues.autoReply)

    private static func compile(_ cues: [TriageCues.Cue]) -> [Compiled] {
        cues.map { cue in
            let f = FAQText.fold(cue.text)
            let first = f.unicodeScalars.first
            return Compiled(bytes: Array(f.utf8), weight: cue.weight, wordStart: first.map { $0.isASCII && $0.properties.isAlphabetic } ?? false)
        }
    }

    /// What the message says, label by label.
    public func read(_ text: String) -> TriageResult {
        let folded = FAQText.fold(text)
        let t = Array(folded.utf8)
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
        let closes = !isPublic && folded.count <= 40 && Self.score(t, Self.closing) >= 1.5 && !Self.asks(folded) && tone >= 0
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
    static func score(_ text: [UInt8], _ cues: [Compiled]) -> Double {
        var total = 0.0
        for cue in cues where contains(text, cue) { total += cue.weight }
        return total
    }

    static func contains(_ text: [UInt8], _ cue: Compiled) -> Bool {
        guard !cue.bytes.isEmpty, cue.bytes.count <= text.count else { return false }
        return text.withUnsafeBytes { t in
            cue.bytes.withUnsafeBytes { c in
                let first = c[0]
                for at in 0...(t.count - c.count) where t[at] == first && memcmp(t.baseAddress! + at, c.baseAddress!, c.count) == 0 {
                    if !cue.wordStart || at == 0 || !isWordByte(t[at - 1]) { return true }
                }
                return false
            }
        }
    }

    private static func isWordByte(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) }
}
