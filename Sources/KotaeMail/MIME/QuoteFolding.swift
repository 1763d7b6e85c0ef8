import Foundation

/// Where a mail's own words end: the quoted history ("On … wrote:", 「…のメッセージ:」,
/// Outlook's header block, `>` lines) or the signature (`-- `) that follows them. The full
/// text is always kept; the timeline folds what comes after this point.
public enum QuoteFolding {
    /// The character offset of the first quoted or signature line, or nil when there is none
    /// or when nothing of the mail's own would be left above it.
    public static func foldPoint(_ text: String) -> Int? {
        var offset = 0
        var ownTextSeen = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            let l = line.hasSuffix("\r") ? line.dropLast() : line
            if startsHistory(l, next: n + 1 < lines.count ? lines[n + 1] : nil) {
                if ownTextSeen { return offset }
            } else if !l.allSatisfy(\.isWhitespace) {
                ownTextSeen = true
            }
            offset += line.count + 1
        }
        return nil
    }

    static func startsHistory(_ line: Substring, next: Substring?) -> Bool {
        let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if line == "-- " || t == "--" { return true }
        if t.hasPrefix(">") { return true }
        if t.hasPrefix("-----Original Message-----") || t.hasPrefix("-----元のメッセージ-----") || t.hasPrefix("-----Original message-----") {
            return true
        }
        if t.hasPrefix("________________________________") { return true }
        if t.hasPrefix("---------- Forwarded message") { return false }
        // Outlook's block: "From: …" / "差出人: …" followed by "Sent:" / "送信日時:".
        if t.hasPrefix("From:") || t.hasPrefix("差出人:") || t.hasPrefix("差出人：") {
            let n = next.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            if n.hasPrefix("Sent:") || n.hasPrefix("送信日時:") || n.hasPrefix("送信日時：") || n.hasPrefix("Date:") { return true }
        }
        // "On Tue, 1 Dec 2026, Taro <a@b> wrote:" (possibly wrapped onto the next line).
        if t.hasPrefix("On "), t.hasSuffix("wrote:") || (next.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("wrote:") } ?? false)
        {
            return true
        }
        // Gmail in Japanese: "2026年12月1日(火) 9:14 山田 太郎 <a@b>:" and Apple's 「…のメール:」.
        if t.hasSuffix(">:") || t.hasSuffix("> wrote:") || t.hasSuffix("のメッセージ:") || t.hasSuffix("のメール:") || t.hasSuffix("は書きました:") {
            if t.contains("年") || t.contains("@") || t.contains("/") { return true }
        }
        return false
    }
}
