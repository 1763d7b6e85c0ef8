import Foundation
import KotaeCore

/// The images of an HTML message as its sandboxed frame shows them. The sanitizer leaves
/// every image as `data-src`, which loads nothing: here an inline part (`cid:`, RFC 2392)
/// becomes a `data:` URL of the stored part — the customer's own picture, shown at once —
/// and a remote image becomes a real `src` only once the agent asked for images (remote
/// images can track who opened the mail).
enum MailFrameImages {
    /// Inline parts larger than this stay hidden (the frame is sent whole).
    static let inlineLimit = 5 << 20

    static func resolve(_ html: String, attachments: [Attachment], load: (String) -> Data?, remote: Bool) -> String {
        let marker = " data-src=\""
        guard html.contains(marker) else { return html }
        var out = ""
        var rest = html[...]
        while let start = rest.range(of: marker) {
            out += rest[..<start.lowerBound]
            let valueStart = start.upperBound
            guard let end = rest[valueStart...].firstIndex(of: "\"") else {
                rest = rest[start.lowerBound...]
                break
            }
            let value = String(rest[valueStart..<end])
            out += attribute(for: value, attachments: attachments, load: load, remote: remote) ?? String(rest[start.lowerBound...end])
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// ` src="…"` for one image, or nil to leave it blocked.
    private static func attribute(for escaped: String, attachments: [Attachment], load: (String) -> Data?, remote: Bool) -> String? {
        let value = escaped.replacingOccurrences(of: "&amp;", with: "&")
        if value.lowercased().hasPrefix("cid:") {
            let id = String(value.dropFirst(4)).removingPercentEncoding ?? String(value.dropFirst(4))
            guard let part = attachments.first(where: { $0.contentId == id }), part.contentType.lowercased().hasPrefix("image/"),
                part.size <= inlineLimit, let data = load(part.sha256)
            else { return nil }
            // The type is from the mail: only a plain media type goes into the URL.
            let type = part.contentType.lowercased().filter { $0.isLetter || $0.isNumber || "/.+-".contains($0) }
            return " src=\"data:\(type);base64,\(data.base64EncodedString())\""
        }
        return remote ? " src=\"\(escaped)\"" : nil
    }
}
