import Ink
import KotaeCore

/// An article's Markdown as the help center shows it: parsed by Ink, then rebuilt by the
/// sanitizer, so no script or handler written in an article (or pasted into one) reaches a
/// reader. Unlike a customer's mail, an article's pictures are the shop's own and are shown.
enum HelpMarkdown {
    static func html(_ markdown: String) -> String {
        HTMLSanitizer.sanitize(MarkdownParser().html(from: markdown)).replacingOccurrences(of: " data-src=\"", with: " src=\"")
    }

    /// The readable text: for search, the bot's answer and page descriptions.
    static func text(_ markdown: String) -> String { text(html: html(markdown)) }

    static func text(html: String) -> String { HTMLText.plain(html).trimmingCharacters(in: .whitespacesAndNewlines) }
}
