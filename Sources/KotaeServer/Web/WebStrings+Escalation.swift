import Foundation

extension WebStrings {
    /// SLA warnings and breach alerts: the Slack message (written in Japanese, the shop's
    /// working language), the agents' notifications, the timeline and the settings.
    static let escalationJapanese: [String: String] = [
        "sla_alert_warning": "対応期限まであと{left}：{customer}（{channel}）", "sla_alert_breach": "対応期限を過ぎました：{customer}（{channel}）",
        "sla_alert_due": "期限 {due}", "sla_alert_assignee": "担当 {name}", "sla_alert_unassigned": "担当なし", "sla_alert_open": "Kotae で開く",
        "slaWarningNotice": "対応期限が近づいています", "slaBreachNotice": "対応期限を過ぎました",
        "act_sla_warning": "対応期限の{left}前の通知を送りました", "act_sla_breach": "対応期限を過ぎたことを通知しました",
        "act_sla_alert_webhook": "（Slack にも送信）", "act_sla_alert_email": "（メールでも送信）",
        "wsSlaEmailInbox": "通知をメールでも送る（担当者・チーム・管理者へ。送信に使うメール受信箱）", "wsSlaEmailNone": "メールでは送らない",
        "apifield_slaEmailInboxId": "通知を送るメール受信箱",
        "wsEscalation": "対応期限の通知", "wsSlaWarningMinutes": "期限の何分前に通知するか（空白またはカンマ区切り。期限を過ぎたときは必ず通知）",
        "wsSlaWebhookURL": "Slack 互換の Incoming Webhook の URL（空欄なら Kotae 内の通知のみ）",
        "apifield_slaWarningMinutes": "通知のタイミング（1〜10,080分、5つまで）", "apifield_slaWebhookURL": "Webhook の URL",
    ]

    static let escalationEnglish: [String: String] = [
        "sla_alert_warning": "{left} left to answer: {customer} ({channel})", "sla_alert_breach": "Past its due time: {customer} ({channel})",
        "sla_alert_due": "Due {due}", "sla_alert_assignee": "Assigned to {name}", "sla_alert_unassigned": "Unassigned",
        "sla_alert_open": "Open in Kotae", "slaWarningNotice": "Due soon", "slaBreachNotice": "Past its due time",
        "act_sla_warning": "Warned {left} before the due time", "act_sla_breach": "Alerted that the due time has passed",
        "act_sla_alert_webhook": " (also to Slack)", "act_sla_alert_email": " (also by email)",
        "wsSlaEmailInbox": "Also send alerts by email (to the assignee, team or admins), through this email inbox",
        "wsSlaEmailNone": "Not by email", "apifield_slaEmailInboxId": "Email inbox for alerts",
        "wsEscalation": "Due-time alerts",
        "wsSlaWarningMinutes": "Warn this many minutes before the due time (separated by spaces or commas; the breach always alerts)",
        "wsSlaWebhookURL": "Slack-compatible incoming webhook URL (empty: alerts in Kotae only)",
        "apifield_slaWarningMinutes": "Warning times (1 to 10,080 minutes, at most 5)", "apifield_slaWebhookURL": "Webhook URL",
    ]
}
