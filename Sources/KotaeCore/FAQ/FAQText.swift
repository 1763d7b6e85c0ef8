import Foundation

/// Text as FAQ search and the bot compare it. Japanese is written without spaces, in kanji,
/// hiragana or katakana, full- or half-width, with several long-vowel and wave-dash marks;
/// all of that is folded here, the same way for articles and questions, so
/// 「ｻｲｽﾞ」 finds 「サイズ」 and 「へんぴん」 finds 「返品」's reading where an article gives it.
public enum FAQText {
    /// NFKC (half-width kana and full-width Latin to their usual forms, composed), lower case,
    /// katakana as hiragana, every long-vowel mark as ー and every wave dash as 〜. (NFKC ends
    /// in canonical composition, so an NFC pass after it changed nothing and cost a second
    /// normalization of every message triage reads.)
    public static func fold(_ text: String) -> String {
        // Most messages are ASCII, kana, kanji and full-width punctuation, which NFKC leaves
        // alone or maps one to one; Foundation's normalization (through NSString) was half of
        // triage's time on every message, so it runs only for text with anything else.
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            guard let simple = simpleCompatibilityForm(s) else { return folded(text.precomposedStringWithCompatibilityMapping.lowercased()) }
            appendFolded(simple, to: &out)
        }
        return String(out)
    }

    /// Text already in NFKC, folded the rest of the way.
    private static func folded(_ composed: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(composed.utf8.count)
        for s in composed.unicodeScalars { appendFolded(s, to: &out) }
        return String(out)
    }

    /// One NFKC scalar: lower case, katakana as hiragana, long-vowel marks and wave dashes unified.
    private static func appendFolded(_ s: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        switch s.value {
        case 0x41...0x5A: out.append(Unicode.Scalar(s.value + 0x20)!)  // A…Z (the shortcut's only cased letters)
        case 0x30A1...0x30F6: out.append(Unicode.Scalar(s.value - 0x60)!)  // ァ…ヶ → ぁ…ゖ
        case 0x30FD, 0x30FE: out.append(Unicode.Scalar(s.value - 0x60)!)  // ヽヾ → ゝゞ
        case 0x2010, 0x2012...0x2015, 0x2212, 0xFF70: out.append("ー")  // dashes used as long vowels
        case 0x301C, 0x007E, 0x223C, 0x223E: out.append("〜")  // 〜 ~ ∼ ∾
        default: out.append(s)
        }
    }

    /// The scalar NFKC makes of `s` when that needs no table: ASCII, hiragana, katakana, the
    /// CJK symbols and ideographs (all unchanged: none decomposes, is a combining mark, or
    /// composes with what precedes it), the ideographic space (a space) and full-width ASCII
    /// (its ASCII). Nil for anything else: half-width kana, combining marks, compatibility
    /// ideographs and the rest go through Foundation. A test compares both on every scalar.
    static func simpleCompatibilityForm(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x00...0x7F, 0x3001...0x3029, 0x3030...0x3035, 0x3037, 0x303B...0x303F, 0x3041...0x3096, 0x309D, 0x309E,
            0x30A0...0x30FE, 0x3400...0x4DBF, 0x4E00...0x9FFF:
            s
        case 0x3000: " "
        case 0xFF01...0xFF5E: Unicode.Scalar(s.value - 0xFEE0)
        default: nil
        }
    }

    /// How a character takes part in a term.
    enum Script: Equatable {
        case kanji, kana, latin, other
    }

    static func script(_ s: Unicode.Scalar) -> Script {
        switch s.value {
        case 0x3041...0x309F, 0x30FC: .kana  // hiragana (katakana is folded into it) and ー
        case 0x3005, 0x3006, 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2FA1F: .kanji  // 々 〆 and the CJK blocks
        case 0x30...0x39, 0x61...0x7A, 0xC0...0x24F: .latin
        default: .other
        }
    }

    /// A term and how much it counts (a bigram of two kana, mostly grammar, counts less).
    public struct Term: Hashable, Sendable {
        public let text: String
        public let weight: Double
    }

    /// The terms of already folded `text`: Japanese runs as character bigrams (so two-character
    /// words such as 返品 or 送料 are found) plus each kanji alone (one-kanji words: 靴, 色),
    /// Latin runs as words. Punctuation, spaces and emoji separate runs.
    public static func terms(_ folded: String) -> [Term] {
        var terms: [Term] = []
        var run: [Unicode.Scalar] = []
        var latin = false
        func flush() {
            defer { run.removeAll(keepingCapacity: true) }
            if latin {
                if !run.isEmpty, let w = englishWord(String(String.UnicodeScalarView(run))) { terms.append(Term(text: w, weight: 1)) }
                return
            }
            for i in run.indices {
                if script(run[i]) == .kanji { terms.append(Term(text: String(run[i]), weight: 0.5)) }
                guard i + 1 < run.count else { continue }
                let grammar = script(run[i]) == .kana && script(run[i + 1]) == .kana
                terms.append(Term(text: String(String.UnicodeScalarView([run[i], run[i + 1]])), weight: grammar ? 0.4 : 1))
            }
        }
        for s in folded.unicodeScalars {
            let sc = script(s)
            if sc == .other {
                flush()
                continue
            }
            if (sc == .latin) != latin {
                flush()
                latin = sc == .latin
            }
            run.append(s)
        }
        flush()
        return terms
    }

    /// Words too common in questions to say what one is about.
    static let englishStopWords: Set<String> = [
        "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "it", "its", "is", "are", "was", "were", "be", "been", "am", "do",
        "does", "did", "can", "could", "would", "will", "should", "to", "of", "in", "on", "at", "for", "with", "and", "or", "if", "this",
        "that", "there", "what", "how", "when", "which", "who", "please", "hi", "hello", "so", "just", "any", "have", "has", "had", "get",
        "from", "by", "about", "not", "no", "yes",
    ]

    /// A Latin word as a term: stop words dropped, a plural's `s` taken off.
    static func englishWord(_ word: String) -> String? {
        guard !englishStopWords.contains(word) else { return nil }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), word.first?.isLetter == true { return String(word.dropLast()) }
        return word
    }
}
