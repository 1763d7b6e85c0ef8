import Foundation

/// Problems in the language the client asks for (`Accept-Language`; the agent UI sends the
/// page's). English is the API's own; a Japanese client gets a Japanese sentence for each
/// code, naming the field or the thing, never an English sentence.
enum ProblemText {
    /// "ja" or "en" from an Accept-Language header; English when it names neither.
    static func language(_ acceptLanguage: String?) -> String {
        WebStrings.language(user: nil, acceptLanguage: acceptLanguage, fallback: "en")
    }

    static func localized(_ problem: APIError, language: String) -> APIError {
        guard language == "ja", !isJapanese(problem.detail) else { return problem }
        var out = APIError(problem.status, code: problem.code, detail: japanese(problem), field: problem.field)
        out.headers = problem.headers
        return out
    }

    static func isJapanese(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    /// The refusals an agent meets in the UI, said exactly (their words are `WebStrings`' `problem_known_*`).
    private static let known: [String: String] = [
        "only a failed delivery can be retried": "problem_known_retryFailedOnly",
        "this merge was already undone": "problem_known_mergeUndone",
        "the contacts changed since this merge; merge or split them by hand": "problem_known_mergeChanged",
        "snooze until a time in the future": "problem_known_snoozeFuture",
        "use the snooze action with a time to snooze": "problem_known_snoozeNeedsTime",
        "mentions belong in a private note, not a reply": "problem_known_mentionsInNotes",
        "the current password is wrong": "problem_known_wrongPassword",
        "text is empty": "problem_known_emptyText",
    ]

    /// Codes that share one sentence.
    private static let sameAs: [String: String] = [
        "malformed_json": "unreadable_body", "bad_body": "unreadable_body", "empty_body": "unreadable_body", "invalid_utf8": "unreadable_body",
        "nul_character": "control_character", "too_many_attempts": "too_many_requests",
    ]

    /// The validation sentences the API builds from a field name, in Japanese.
    private static func pattern(_ detail: String, field: String?) -> String? {
        guard let field, detail.hasPrefix(field + " ") else { return nil }
        let name = WebStrings.table("ja")["apifield_" + field] ?? "「\(field)」"
        let rest = detail.dropFirst(field.count + 1)
        let number = rest.split(separator: " ").compactMap { Int($0) }.first.map(String.init)
        let key: String? =
            if rest.hasPrefix("must be at least"), number != nil { "problem_field_atLeast" } else if rest.hasPrefix("must be at most"), number != nil
            { "problem_field_atMost" } else if rest == "is empty" { "problem_field_empty" } else if rest == "is not an email address" {
                "problem_field_notEmail"
            } else { nil }
        return key.map { WebStrings.text($0, "ja", ["field": name, "n": number ?? ""]) }
    }

    private static func japanese(_ p: APIError) -> String {
        if let key = known[p.detail] { return WebStrings.text(key, "ja") }
        if let built = pattern(p.detail, field: p.field) { return built }
        let ja = WebStrings.table("ja")
        switch p.code {
        case "not_found":
            let thing = p.detail.hasSuffix(" not found") ? String(p.detail.dropLast(" not found".count)) : ""
            let name = ja["thing_" + thing.replacingOccurrences(of: " ", with: "_")] ?? ja["thing_other"] ?? ""
            return WebStrings.text("problem_not_found", "ja", ["thing": name])
        case "validation_failed" where p.field != nil:
            let field = p.field ?? ""
            return WebStrings.text("problem_validation_failed_field", "ja", ["field": "「" + (ja["apifield_" + field] ?? field) + "」"])
        default:
            let code = sameAs[p.code] ?? p.code
            return ja["problem_" + code] ?? WebStrings.text("problem_other", "ja", ["code": p.code])
        }
    }
}
