/// Rewrites a customer's HTML (an email body) into a small safe subset: allowed tags
/// only, no scripts or styles, no event handlers, links only to http(s) and mailto,
/// images kept as `data-src` so that remote images load only when an agent allows them.
/// Output is rebuilt from parsed pieces, never passed through, so whatever the input
/// holds, the result has no executable part.
public enum HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul", "font", "center",
    ]
    /// Tags whose whole content is dropped, not just the tag.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "head", "title", "textarea", "select",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]
    static let allowedAttributes: [String: Set<String>] = [
        "a": ["href", "title"], "img": ["src", "data-src", "alt", "width", "height"], "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan"],
    ]

    public static func sanitize(_ html: String) -> String {
        var out = ""
        // The text since the last tag, escaped in one go when a tag (or the end) comes.
        var text = ""
        func flushText() {
            out += HTMLEscape.keepingEntities(text)
            text = ""
        }
        var open: [String] = []
        var skipUntil: String?
        var i = html.startIndex
        while i < html.endIndex {
            if html[i] == "<" {
                // Comments and doctypes go away whole.
                if html[i...].hasPrefix("<!--") {
                    if let end = html.range(of: "-->", range: html.index(i, offsetBy: 4)..<html.endIndex) {
                        i = end.upperBound
                    } else {
                        i = html.endIndex
                    }
                    continue
                }
                if let tag = parseTag(html, at: i) {
                    i = tag.end
                    if let skip = skipUntil {
                        if tag.closing && tag.name == skip { skipUntil = nil }
                        continue
                    }
                    if droppedWithContent.contains(tag.name) {
                        if !tag.closing && !tag.selfClosing { skipUntil = tag.name }
                        continue
                    }
                    guard allowedTags.contains(tag.name) else { continue }
                    flushText()
                    if tag.closing {
                        if let idx = open.lastIndex(of: tag.name) {
                            for t in open[idx...].reversed() { out += "</\(t)>" }
                            open.removeSubrange(idx...)
                        }
                    } else {
                        out += "<" + tag.name + attributes(tag.name, tag.attributes) + ">"
                        if !voidTags.contains(tag.name) { open.append(tag.name) }
                    }
                    continue
                }
            }
            let ch = html[i]
            i = html.index(after: i)
            if skipUntil != nil { continue }
            text.append(ch)
        }
        flushText()
        for t in open.reversed() { out += "</\(t)>" }
        return out
    }

    public static func escapeText(_ s: String) -> String { HTMLEscape.keepingEntities(s) }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
        var attributes: [(String, String)]
        var end: String.Index
    }

    /// Parses `<name attr="v" …>` at `start`; nil if it is not a tag (then `<` is text).
    static func parseTag(_ s: String, at start: String.Index) -> Tag? {
        var i = s.index(after: start)
        var closing = false
        if i < s.endIndex, s[i] == "/" { closing = true; i = s.index(after: i) }
        if i < s.endIndex, s[i] == "!" || s[i] == "?" {
            guard let end = s[i...].firstIndex(of: ">") else { return nil }
            return Tag(name: "!", closing: false, selfClosing: true, attributes: [], end: s.index(after: end))
        }
        let nameStart = i
        while i < s.endIndex, s[i].isLetter || s[i].isNumber { i = s.index(after: i) }
        guard i > nameStart else { return nil }
        let name = s[nameStart..<i].lowercased()
        var attrs: [(String, String)] = []
        var selfClosing = false
        while i < s.endIndex {
            let c = s[i]
            if c == ">" { return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: attrs, end: s.index(after: i)) }
            if c == "/" { selfClosing = true; i = s.index(after: i); continue }
            if c.isWhitespace { i = s.index(after: i); continue }
            let an = i
            while i < s.endIndex, !s[i].isWhitespace, s[i] != "=", s[i] != ">", s[i] != "/" { i = s.index(after: i) }
            let attrName = s[an..<i].lowercased()
            var value = ""
            while i < s.endIndex, s[i].isWhitespace { i = s.index(after: i) }
            if i < s.endIndex, s[i] == "=" {
                i = s.index(after: i)
                while i < s.endIndex, s[i].isWhitespace { i = s.index(after: i) }
                if i < s.endIndex, s[i] == "\"" || s[i] == "'" {
                    let q = s[i]
                    let vs = s.index(after: i)
                    guard let ve = s[vs...].firstIndex(of: q) else { return nil }
                    value = String(s[vs..<ve])
                    i = s.index(after: ve)
                } else {
                    let vs = i
                    while i < s.endIndex, !s[i].isWhitespace, s[i] != ">" { i = s.index(after: i) }
                    value = String(s[vs..<i])
                }
            }
            if an == i { i = s.index(after: i) } else if !attrName.isEmpty { attrs.append((attrName, value)) }
        }
        return nil
    }

    static func attributes(_ tag: String, _ attrs: [(String, String)]) -> String {
        let allowed = allowedAttributes[tag] ?? []
        var out = ""
        for (name, raw) in attrs where allowed.contains(name) {
            let value = decodeEntities(raw)
            switch name {
            case "href":
                guard isSafeURL(value, schemes: ["http", "https", "mailto"]) else { continue }
                out += " href=\"\(escapeText(value))\" rel=\"noopener noreferrer nofollow\" target=\"_blank\""
            case "src", "data-src":
                // Remote images wait for the agent's permission; cid: parts are served by Kotae.
                // (`data-src` is this sanitizer's own output: sanitizing twice changes nothing.)
                guard isSafeURL(value, schemes: ["http", "https", "cid"]) else { continue }
                out += " data-src=\"\(escapeText(value))\""
            default:
                out += " \(name)=\"\(escapeText(value))\""
            }
        }
        return out
    }

    /// A URL whose scheme, after removing what browsers ignore, is one of `schemes`.
    static func isSafeURL(_ url: String, schemes: Set<String>) -> Bool {
        let cleaned = url.filter { !$0.isWhitespace && !($0.asciiValue.map { $0 < 0x20 } ?? false) }.lowercased()
        guard let colon = cleaned.firstIndex(of: ":") else { return !cleaned.isEmpty }  // relative URL
        return schemes.contains(String(cleaned[..<colon]))
    }

    /// Numeric and the common named entities, so `&#106;avascript:` cannot hide a scheme.
    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let entity = s[s.index(after: i)..<semi]
                var decoded: Character?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map(Character.init)
                } else if entity.hasPrefix("#") {
                    decoded = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map(Character.init)
                } else {
                    decoded =
                        ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n"][String(entity)]
                }
                if let decoded {
                    out.append(decoded)
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
