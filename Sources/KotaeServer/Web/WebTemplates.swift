import Foundation
import Hummingbird
import HTTPTypes
import KotaeCore
import Mustache

/// The agent UI's Mustache templates and the headers every page goes out with.
struct WebTemplates: Sendable {
    let library: MustacheLibrary

    /// The folder the package copies `Web/templates` and `Web/assets` into.
    static func resourceFolder(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            throw MissingResource("the \(name) resources are missing from the build")
        }
        return url.path
    }

    /// Every template, each read as if it began with `{{% CONTENT_TYPE: KotaeHTML}}`: its
    /// `{{value}}`s are escaped by `HTMLEscape` rather than by Mustache's own escaping, which
    /// compares whole characters (a quote with a combining mark got through) and looks each one
    /// up in a dictionary (a quarter of an inbox page's time went there).
    static func load() async throws -> WebTemplates {
        MustacheContentTypes.register(EscapedHTML(), named: EscapedHTML.name)
        let folder = URL(fileURLWithPath: try resourceFolder("templates"))
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            library.register(
                try MustacheTemplate(string: "{{% CONTENT_TYPE: \(EscapedHTML.name)}}" + text), named: file.deletingPathExtension().lastPathComponent)
        }
        return WebTemplates(library: library)
    }

    /// HTML escaping by `HTMLEscape`, for `{{value}}` in every template.
    struct EscapedHTML: MustacheContentType {
        static let name = "KotaeHTML"
        func escapeText(_ text: String) -> String { HTMLEscape.text(text) }
    }

    /// Page security: scripts only from our own files (no inline script at all), no framing
    /// of our pages, frames only from our own origin (the sandboxed e-mail view).
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "connect-src 'self'", "frame-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func page(_ name: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(model, withTemplate: name) ?? "template \(name) is missing"
        return Self.html(html, status: status, csp: Self.contentSecurityPolicy, frameOptions: "DENY")
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, csp: String, frameOptions: String) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = csp
        headers[HTTPField.Name("X-Frame-Options")!] = frameOptions
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

struct MissingResource: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
