import Foundation

extension WebStrings {
    /// Automation rules: the timeline's record of what a rule did, and the webhook's message.
    static let automationJapanese: [String: String] = [
        "act_automation_applied": "ルール「{rule}」: {actions}", "act_automation_capped": "ルールの実行が1時間に{cap}回を超えたため、ルール「{rule}」を止めました",
        "act_automation_webhookFailed": "ルール「{rule}」の Webhook に送信できませんでした",
        "auto_assign": "担当を割り当て", "auto_team": "チームを設定", "auto_labels": "ラベルを追加", "auto_priority": "優先度を設定", "auto_note": "メモを追加",
        "auto_reply": "定型文を自動送信", "auto_snooze": "スヌーズ", "auto_resolve": "対応済みにする", "auto_webhook": "ルール「{rule}」: {customer}（{channel}）",
    ]

    static let automationEnglish: [String: String] = [
        "act_automation_applied": "Rule “{rule}”: {actions}",
        "act_automation_capped": "Rule “{rule}” stopped: rules ran more than {cap} times in an hour here",
        "act_automation_webhookFailed": "Rule “{rule}” could not reach its webhook",
        "auto_assign": "assigned", "auto_team": "set the team", "auto_labels": "added labels", "auto_priority": "set the priority",
        "auto_note": "added a note",
        "auto_reply": "sent a canned reply", "auto_snooze": "snoozed", "auto_resolve": "resolved",
        "auto_webhook": "Rule “{rule}”: {customer} ({channel})",
    ]
}
