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
        let composed = text.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(composed.unicodeScalars.count)
        for s in composed.unicodeScalars {
            switch s.value {
            case 0x30A1...0x30F6: scalars.append(Unicode.Scalar(s.value - 0x60)!)  // ァ…ヶ → ぁ…ゖ
            case 0x30FD, 0x30FE: scalars.append(Unicode.Scalar(s.value - 0x60)!)  // ヽヾ → ゝゞ
            case 0x2010, 0x2012...0x2015, 0x2212, 0xFF70: scalars.append("ー")  // dashes used as long vowels
            case 0x301C, 0x007E, 0x223C, 0x223E: scalars.append("〜")  // 〜 ~ ∼ ∾
            default: scalars.append(s)
            }
        }
        return String(scalars)
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
