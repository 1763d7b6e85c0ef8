import Foundation

/// The readable text of an HTML mail, for snippets, search and a mail that has no plain
/// part: blocks become lines, scripts and styles go, entities are read.
public enum HTMLText {
    static let blockTags: Set<String> = [
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "section", "article", "header", "footer", "address", "center", "dd", "dt",
    ]

    public static func plain(_ html: String) -> String {
        var out = ""
        var skipUntil: String?
        var i = html.startIndex
        var pendingText = ""
        func flushText() {
            guard !pendingText.isEmpty else { return }
            // Inside HTML, runs of whitespace are one space.
            var collapsed = ""
            var lastSpace = out.last.map { $0 == " " || $0 == "\n" } ?? true
            for ch in decode(pendingText) {
                if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" {
                    if !lastSpace { collapsed.append(" ") }
                    lastSpace = true
                } else {
                    collapsed.append(ch)
                    lastSpace = false
                }
            }
            out += collapsed
            pendingText = ""
        }
        while i < html.endIndex {
            if html[i] == "<" {
                if html[i...].hasPrefix("<!--") {
                    i = html.range(of: "-->", range: html.index(i, offsetBy: 4)..<html.endIndex)?.upperBound ?? html.endIndex
                    continue
                }
                if let tag = HTMLSanitizer.parseTag(html, at: i) {
                    i = tag.end
                    if let skip = skipUntil {
                        if tag.closing && tag.name == skip { skipUntil = nil }
                        continue
                    }
                    if HTMLSanitizer.droppedWithContent.contains(tag.name) {
                        if !tag.closing && !tag.selfClosing { skipUntil = tag.name }
                        continue
                    }
                    flushText()
                    if tag.name == "br" || (blockTags.contains(tag.name) && (out.last.map { $0 != "\n" } ?? false)) {
                        while out.last == " " { out.removeLast() }
                        out += "\n"
                    }
                    if tag.name == "li" && !tag.closing { out += "・" }
                    if tag.name == "td" || tag.name == "th", !tag.closing, let last = out.last, last != "\n" { out += "\t" }
                    continue
                }
            }
            if skipUntil == nil { pendingText.append(html[i]) }
            i = html.index(after: i)
        }
        flushText()
        // At most one empty line in a row, none at the ends.
        var lines: [Substring] = []
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Entities, with the named ones mail really uses (`&nbsp;`, `&copy;`…) beside the
    /// sanitizer's.
    static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var t = s
        for (name, value) in named { t = t.replacingOccurrences(of: "&\(name);", with: value) }
        return HTMLSanitizer.decodeEntities(t)
    }

    private static let named: [(String, String)] = [
        ("nbsp", " "), ("copy", "©"), ("reg", "®"), ("trade", "™"), ("hellip", "…"), ("mdash", "—"), ("ndash", "–"),
        ("yen", "¥"), ("laquo", "«"), ("raquo", "»"), ("middot", "·"), ("rsquo", "’"), ("lsquo", "‘"), ("rdquo", "”"),
        ("ldquo", "“"), ("bull", "•"), ("times", "×"),
    ]
}
