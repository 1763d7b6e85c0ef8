import Foundation
import KotaeCore
import KotaeStore

/// When SLA warnings go (minutes before the due time; the breach always alerts), the
/// Slack-compatible incoming webhook they also go to, and the email inbox that mails them to
/// the people alerted, if any.
struct EscalationSettings: Sendable, Equatable {
    static let offsetsSetting = "sla.alertOffsets"
    static let webhookSetting = "sla.alertWebhookURL"
    static let emailSetting = "sla.alertEmailInboxId"
    /// At most this many warnings before one due time, each at most a week ahead.
    static let maxOffsets = 5
    static let maxOffset: TimeInterval = 7 * 86400

    /// Seconds before the due time, largest first.
    var offsets: [TimeInterval]
    var webhookURL: String?
    /// The email inbox whose address and SMTP server mail each alert to the people it is for.
    var emailInboxId: ID?

    static func load(_ store: KotaeStore) async throws -> EscalationSettings {
        let offsets = try await store.setting(offsetsSetting).map { stored in
            stored.split(separator: ",").compactMap { TimeInterval($0.trimmingCharacters(in: .whitespaces)) }
        }
        let url = try await store.setting(webhookSetting).flatMap { $0.isEmpty ? nil : $0 }
        return EscalationSettings(
            offsets: (offsets ?? SLAEscalation.defaultOffsets).sorted(by: >), webhookURL: url,
            emailInboxId: try await store.setting(emailSetting).flatMap { ID($0) })
    }

    /// As stored: seconds, comma-separated ("" for no warning, only the breach).
    static func stored(_ offsets: [TimeInterval]) -> String {
        offsets.sorted(by: >).map { String(Int64($0)) }.joined(separator: ",")
    }

    /// Why a webhook address cannot be used, or nil.
    static func problem(webhook url: String) -> String? {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), ["https", "http"].contains(scheme), u.host?.isEmpty == false
        else { return "an http(s) address such as https://hooks.slack.com/services/…" }
        return url.count > 2_000 ? "at most 2,000 characters" : nil
    }
}
