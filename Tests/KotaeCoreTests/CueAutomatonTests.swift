import Testing

@testable import KotaeCore

/// The automaton against the plain definition: a cue is found when its bytes occur in the
/// text, and an English cue only where no letter or digit comes just before it.
@Suite struct CueAutomatonTests {
    /// Overlapping cues, cues inside cues, a shared UTF-8 lead byte, English word starts.
    static let patterns: [(text: String, wordStart: Bool)] = [
        ("届", false), ("届かない", false), ("まだ届", false), ("かない", false), ("ない", false), ("注文", false),
        ("注文した", false), ("した自転車", false), ("自転車", false), ("pay", true), ("payment", true), ("men", true),
        ("ent", false), ("order", true), ("der", false), ("ない?", false), ("?", false),
    ]

    static let automaton = CueAutomaton(
        patterns.enumerated().map { n, p in
            (Array(p.text.utf8), CueAutomaton.Cue(length: p.text.utf8.count, weight: 1, label: n, wordStart: p.wordStart))
        })

    static func expected(in text: String) -> Set<Int> {
        let bytes = Array(text.utf8)
        var found = Set<Int>()
        for (n, p) in patterns.enumerated() {
            let cue = Array(p.text.utf8)
            guard cue.count <= bytes.count else { continue }
            for start in 0...(bytes.count - cue.count) where Array(bytes[start..<start + cue.count]) == cue {
                let prev = start > 0 ? bytes[start - 1] : nil
                if p.wordStart, let prev, prev < 0x80, Character(Unicode.Scalar(prev)).isLetter || Character(Unicode.Scalar(prev)).isNumber {
                    continue
                }
                found.insert(n)
            }
        }
        return found
    }

    @Test func findsExactlyTheCuesThatOccurInTenThousandTexts() {
        let pieces = ["届", "か", "ない", "まだ", "注文", "した", "自転車", "が", "pay", "ment", "re", "order", " ", "?", "1", "e", "n", "d"]
        var random = SplitMix64(seed: 12)
        for _ in 0..<10_000 {
            let text = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let found = Self.automaton.matches(in: text)
            #expect(Set(found) == Self.expected(in: text), "\(text)")
            #expect(found.count == Set(found).count, "each cue once: \(text)")
        }
    }

    @Test func anEnglishCueCountsOnlyFromTheStartOfAWord() {
        let names = { (text: String) in Set(Self.automaton.matches(in: text).map { Self.patterns[$0].text }) }
        #expect(names("repay the order") == ["order", "der"])
        #expect(names("pay later, 2pay") == ["pay"])
        #expect(names("payment") == ["pay", "payment", "ent"], "\"men\" inside a word is not the word")
    }
}
