import Foundation
import KotaeCore

/// schema.org JSON-LD for the help center: `FAQPage` on each category's page (its questions
/// and answers exactly as the page shows them, each question on that one page only) and the
/// shop as an `Organization` with its `ContactPoint`. Google shows FAQ rich results only for
/// authoritative government and health sites since August 2023; the markup stays valid and cheap.
enum HelpStructuredData {
    static func faqPage(_ items: [(question: String, answerHTML: String)]) -> String {
        script([
            "@context": "https://schema.org", "@type": "FAQPage",
            "mainEntity": items.map {
                ["@type": "Question", "name": $0.question, "acceptedAnswer": ["@type": "Answer", "text": $0.answerHTML]] as [String: Any]
            },
        ])
    }

    static func organization(_ shop: HelpCenterSettings, url: String, contactURL: String) -> String {
        var contact: [String: Any] = [
            "@type": "ContactPoint", "contactType": "customer support", "availableLanguage": ["Japanese", "English"], "url": contactURL,
        ]
        if let email = shop.supportEmail, !email.isEmpty { contact["email"] = email }
        if let phone = shop.phone, !phone.isEmpty { contact["telephone"] = phone }
        var org: [String: Any] = [
            "@context": "https://schema.org", "@type": "Organization", "name": shop.shopName, "url": url, "contactPoint": [contact],
        ]
        if let logo = shop.logoURL, !logo.isEmpty { org["logo"] = logo }
        return script(org)
    }

    /// JSON safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` as such, so
    /// text written in an article cannot end the element.
    static func script(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return scriptSafe(String(decoding: data, as: UTF8.self))
    }

    private static let scriptSafe = ASCIIEscape(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"])
}
