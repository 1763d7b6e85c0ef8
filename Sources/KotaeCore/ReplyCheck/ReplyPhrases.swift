import Foundation

/// The words the reply checker looks for, written from the categories (not from any set's items).
enum ReplyPhrases {
    /// Hedges: the writer does not commit.
    static let hedges = [
        "たぶん", "多分", "おそらく", "恐らく", "と思います", "と思われます", "かと思います", "かもしれません", "かもしれない", "かも",
        "はずです", "見込みです", "probably", "hopefully", "i think", "i believe", "i guess", "should arrive", "should be", "should ship",
        "might", "may arrive", "may be", "fingers crossed",
    ]
    /// Vague times with no hedge needed: "soon" promises nothing checkable.
    static let vagueTimes = ["近いうちに", "近日中", "そのうち", "いずれ", "早めに", "soon", "shortly", "at some point", "in a few days", "any day now"]
    /// What a promise is about: delivery, shipping, restock, refund, resolution, or when.
    static let subjects = [
        "届", "発送", "出荷", "入荷", "入って", "入る", "到着", "返金", "交換", "お送り", "送ります", "対応", "解決", "連絡", "来週", "週明け", "明日", "今週", "月曜",
        "arrive", "deliver", "ship", "restock", "back in stock", "refund", "replace", "resolve", "fixed", "next week", "monday", "tomorrow",
        "this week",
    ]
    static let apologies = [
        "申し訳", "お詫び", "おわび", "すみません", "失礼いたしました", "ご迷惑をおかけ", "ご不便をおかけ", "ご心配をおかけ", "sorry", "apolog",
        "regret",
    ]
    /// Naming the customer's mistake: お客様 followed closely by one of these.
    static let mistakes = ["ミス", "誤り", "間違", "不備", "確認不足", "不注意", "責任", "過失"]
    static let blame = [
        "お客様の確認不足", "お客様のご確認不足", "お客様の不注意", "お客様の責任", "お客様側の", "ご確認いただければ防げ", "よくお読み", "記載しております通り",
        "記載の通りです", "your fault", "you should have", "you didn't read", "you did not read", "if you had read", "as clearly stated",
        "you failed to", "your mistake",
    ]
    static let phone = ["お電話", "電話で", "電話にて", "電話窓口", "フリーダイヤル", "call us", "phone us", "by phone", "call our", "give us a call"]
    static let onlyWords = [
        "のみ", "だけ", "しか", "でないと", "only", "must call", "need to call", "cannot be handled", "can't be handled", "できません",
    ]
    /// Telling the customer to call, as the way forward.
    static let callDirectives = ["お電話ください", "お電話をください", "お電話いただけます", "please call", "call us at", "give us a call"]
    /// Other ways offered beside the telephone.
    static let alternatives = ["でも", "または", "もしくは", "or reply", "or write", "or chat", "or email", "either"]
    /// Saying plainly that a date is not decided yet is honest, not vague.
    static let undecided = ["未定", "未確定", "決まっていません", "決まり次第", "確定しましたら", "not decided", "not confirmed yet", "no date yet"]
    /// Days named by a word are dates too.
    static let dayWords = ["本日", "今日", "明日", "明後日", "today", "tomorrow"]
    static let attachment = ["添付", "attached", "attachment", "enclosed"]

    static func firstMatch(_ words: [String], in lower: String) -> String? { words.first { lower.contains($0) } }

    /// Sentences, split at Japanese and Latin sentence ends and line breaks.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = [], current = ""
        for ch in text {
            current.append(ch)
            if "。！？!?\n".contains(ch) || (ch == "." && current.count > 1) {
                out.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { out.append(current) }
        return out
    }

    /// A sentence that promises something about time without committing: a hedge or a vague
    /// time with what is promised; or 予定 with no date or number in the sentence.
    static func vaguePromise(in text: String) -> String? {
        for sentence in sentences(text) {
            let lower = sentence.lowercased()
            let hasSubject = subjects.contains { lower.contains($0) }
            if vagueTimes.contains(where: { lower.contains($0) }) { return sentence.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard hasSubject, !undecided.contains(where: { lower.contains($0) }) else { continue }
            // 「届いていたはず」 reasons about the past; it promises nothing.
            let hedged = hedges.contains { h in
                guard let r = lower.range(of: h) else { return false }
                return !(h == "はずです" && lower[..<r.lowerBound].hasSuffix("た"))
            }
            if hedged { return sentence.trimmingCharacters(in: .whitespacesAndNewlines) }
            if lower.contains("予定"), !lower.contains(where: \.isNumber), !dayWords.contains(where: { lower.contains($0) }) {
                return sentence.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return nil
    }

    /// Telephone as the only way: a telephone word with "only" in the same sentence, or the
    /// customer told to call with no other way offered.
    static func phoneOnly(in lower: String) -> String? {
        for sentence in sentences(lower) {
            let directive = callDirectives.contains { sentence.contains($0) }
            guard directive || phone.contains(where: { sentence.contains($0) }) else { continue }
            if alternatives.contains(where: { sentence.contains($0) }) { continue }
            if directive || onlyWords.contains(where: { sentence.contains($0) }) { return sentence.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return nil
    }

    /// The customer's mistake named (お客様の入力ミス), or what they should have done (…していただければ…はず).
    static func blames(in lower: String) -> String? {
        if let word = firstMatch(blame, in: lower) { return word }
        for sentence in sentences(lower) {
            if let r = sentence.range(of: "お客様"), mistakes.contains(where: { sentence[r.upperBound...].prefix(8).contains($0) }) {
                return sentence.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if sentence.contains("いただければ"), sentence.contains("はず") { return sentence.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return nil
    }

    /// The name a Japanese greeting addresses (〇〇様 at the start of a line), or an English "Dear/Hi X".
    static func greetedName(in text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline).prefix(3) {
            let l = line.trimmingCharacters(in: .whitespaces)
            if let r = l.range(of: "様"), r.lowerBound > l.startIndex {
                let name = l[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, name.count <= 12, !name.contains("お客"), !name.contains("皆") { return name }
            }
            for greeting in ["Dear ", "Hi ", "Hello "] where l.hasPrefix(greeting) {
                let rest = l.dropFirst(greeting.count).prefix { $0.isLetter || $0 == " " || $0 == "-" }
                let name = rest.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, name.lowercased() != "there", name.lowercased() != "team" { return name }
            }
        }
        return nil
    }
}
