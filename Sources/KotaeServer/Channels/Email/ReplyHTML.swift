import KotaeCore

/// The HTML part of a reply, beside its plain text: the same words, escaped, the signature
/// after `-- `, and the customer's mail in a `blockquote type="cite"` as mailers show a
/// quote. Nothing the agent or the customer wrote becomes markup.
enum ReplyHTML {
    static func make(text: String, signature: String?, quote: (line: String, text: String)?) -> String {
        var html = "<!doctype html><html><head><meta charset=\"utf-8\"></head><body>"
        html += "<div>" + lines(text) + "</div>"
        if let signature { html += "<div>-- <br>" + lines(signature) + "</div>" }
        if let quote {
            html += "<div>" + lines(quote.line) + "</div>"
            html +=
                "<blockquote type=\"cite\" style=\"margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex\">" + lines(quote.text)
                + "</blockquote>"
        }
        return html + "</body></html>"
    }

    static func lines(_ s: String) -> String {
        // Every `&` too: here it is text, not the start of an entity kept from a customer's HTML.
        HTMLEscape.text(s).split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "<br>\n")
    }
}
