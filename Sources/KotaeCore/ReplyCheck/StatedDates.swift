import Foundation

/// The days a draft names for a parcel (「12月5日にお届けします」, "ships on Dec 3", 「明日発送」),
/// read as calendar days near today, so they can be held against the order's own dates.
enum StatedDates {
    struct Stated: Equatable {
        /// As written in the draft.
        var text: String
        var day: LocalDate
    }

    /// What a dated sentence must be about for its date to be a promise the order data can back.
    static let parcelWords = [
        "届", "発送", "出荷", "到着", "入荷", "お送り", "配達", "配送", "arrive", "deliver", "ship", "dispatch", "restock", "back in stock",
    ]
    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ]
    /// Days ahead named by a word, as offsets from today. Today itself is what the agent sees
    /// happen (「本日発送しました」), not a promise the order data must back.
    static let relative: [(String, Int)] = [("明後日", 2), ("あさって", 2), ("明日", 1), ("あした", 1), ("tomorrow", 1)]

    nonisolated(unsafe) static let patterns: [Regex<AnyRegexOutput>] = [
        // 2026年12月5日, 2026/12/05, 2026-12-05
        try! Regex("(?<y>\\d{4})\\s*[年/\\-.]\\s*(?<m>\\d{1,2})\\s*[月/\\-.]\\s*(?<d>\\d{1,2})日?"),
        // 12月5日
        try! Regex("(?<m>\\d{1,2})\\s*月\\s*(?<d>\\d{1,2})\\s*日"),
        // 12/5, not inside a longer number (a tracking number; what comes before is checked in `find`)
        try! Regex("(?<m>\\d{1,2})/(?<d>\\d{1,2})(?![\\d/])"),
        // December 5, Dec. 5th
        try! Regex("(?i)\\b(?<mn>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?\\s+(?<d>\\d{1,2})(?:st|nd|rd|th)?\\b"),
        // 5 December, 5th of Dec
        try! Regex("(?i)\\b(?<d>\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?<mn>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\b"),
    ]

    /// Each day named in a sentence about a parcel, once, in the order written.
    static func find(in text: String, today: LocalDate) -> [Stated] {
        var found: [Stated] = []
        for sentence in ReplyPhrases.sentences(text) {
            let lower = sentence.lowercased()
            guard parcelWords.contains(where: { lower.contains($0) }) else { continue }
            var taken: [Range<String.Index>] = []
            for pattern in patterns {
                for match in sentence.matches(of: pattern) where !taken.contains(where: { $0.overlaps(match.range) }) {
                    // Swift's Regex has no lookbehind: a day that continues a longer number is none.
                    if match.range.lowerBound > sentence.startIndex, "0123456789/-".contains(sentence[sentence.index(before: match.range.lowerBound)])
                    {
                        continue
                    }
                    guard let day = day(match, today: today) else { continue }
                    taken.append(match.range)
                    found.append(Stated(text: String(sentence[match.range]), day: day))
                }
            }
            for (word, offset) in relative {
                // 明後日 before 明日, so a 明後日 is not read twice.
                guard let r = lower.range(of: word), !taken.contains(where: { $0.overlaps(r) }) else { continue }
                taken.append(r)
                found.append(Stated(text: word, day: LocalDate(dayNumber: today.dayNumber + offset)))
            }
        }
        var seen = Set<LocalDate>()
        return found.filter { seen.insert($0.day).inserted }
    }

    private static func day(_ match: Regex<AnyRegexOutput>.Match, today: LocalDate) -> LocalDate? {
        func number(_ name: String) -> Int? { match.output[name]?.substring.flatMap { Int($0) } }
        let month: Int?
        if let name = match.output["mn"]?.substring?.lowercased() {
            month = months.firstIndex { $0.hasPrefix(String(name.prefix(3))) }.map { $0 + 1 }
        } else {
            month = number("m")
        }
        guard let m = month, (1...12).contains(m), let d = number("d"), d >= 1 else { return nil }
        if let y = number("y") {
            return d <= LocalDate.daysIn(year: y, month: m) ? LocalDate(y, m, d) : nil
        }
        // No year: the one that puts the day nearest today (December's 1/5 is next January).
        let candidates = [today.year - 1, today.year, today.year + 1].filter { d <= LocalDate.daysIn(year: $0, month: m) }
            .map { LocalDate($0, m, d) }
        return candidates.min { abs($0.dayNumber - today.dayNumber) < abs($1.dayNumber - today.dayNumber) }
    }
}
