import Foundation

extension WebStrings {
    /// Automation rules: the timeline's record of what a rule did, and the webhook's message.
    static let automationJapanese: [String: String] = [
        "settings_automation": "自動化ルール", "autoHelp": "条件に合う会話に、Kotae がルールの名前で対応します。ルールが行った変更で別のルールが動くことはなく、1つの会話で1時間に10回までです。",
        "autoEnabled": "有効", "autoWhen": "いつ", "autoIf": "条件", "autoThen": "実行", "autoNone": "ルールはまだありません。", "autoAdd": "ルールを追加",
        "autoName": "ルール名", "autoAfterMinutes": "待ち時間（分。「お客様が待っている」「お客様から返信がない」のとき）",
        "autoIfHint": "指定したすべての条件に合うときに実行します。何も指定しなければ、毎回実行します。", "autoWords": "メッセージに含む言葉（1行に1つ、いずれか）",
        "autoIntents": "内容（いずれか）", "autoYes": "はい", "autoNo": "いいえ", "autoHasLabels": "ラベル（空白区切り、いずれか）", "autoHours": "営業時間",
        "auto_inHours": "営業時間内", "auto_outOfHours": "営業時間外", "auto_always": "常に", "autoSnoozeMinutes": "スヌーズ（分）",
        "autoWebhook": "Slack 互換の Webhook URL に知らせる", "autoDryRun": "試しに実行（直近7日）",
        "autoDryRunResult": "直近7日の {checked} 件のうち {matched} 件が条件に合います（何も変更していません）。",
        "trigger_conversation_created": "新しい会話が始まったとき", "trigger_message_received": "お客様からメッセージが届いたとき",
        "trigger_status_changed": "ステータスが変わったとき", "trigger_sla_warning": "対応期限が近づいたとき", "trigger_sla_breach": "対応期限を過ぎたとき",
        "trigger_csat_received": "満足度アンケートの回答が届いたとき", "trigger_customer_waiting": "お客様が返信を待っているとき",
        "trigger_customer_silent": "お客様から返信がないとき",
        "act_automation_applied": "ルール「{rule}」: {actions}", "act_automation_capped": "ルールの実行が1時間に{cap}回を超えたため、ルール「{rule}」を止めました",
        "act_automation_webhookFailed": "ルール「{rule}」の Webhook に送信できませんでした",
        "triageIntent": "内容", "anyIntent": "すべての内容",
        "act_assignment_moved": "{from} さんが{minutes}分以上オフラインのため、{to} さんに割り当て直しました",
        "wsAssignment": "自動割り当て", "wsAutoAssignInboxes": "新しい会話を自動で割り当てる受信箱（オンラインで上限に達していない担当者のうち、担当中の会話が最も少ない人へ）",
        "wsAssignOfflineMinutes": "担当者がこの分数以上オフラインなら、返信待ちの会話を別の担当者へ移す",
        "apifield_autoAssignInboxIds": "自動割り当ての受信箱", "apifield_assignOfflineMinutes": "オフラインの分数（1〜1,440）", "apifield_capacity": "上限（0〜1,000件）",
        "auto_assign": "担当を割り当て", "auto_team": "チームを設定", "auto_labels": "ラベルを追加", "auto_priority": "優先度を設定", "auto_note": "メモを追加",
        "auto_reply": "定型文を自動送信", "auto_snooze": "スヌーズ", "auto_resolve": "対応済みにする", "auto_webhook": "ルール「{rule}」: {customer}（{channel}）",
    ]

    static let automationEnglish: [String: String] = [
        "settings_automation": "Automation",
        "autoHelp":
            "Kotae acts on the conversations that match, in the rule's name. What a rule does sets off no other rule, and a conversation takes at most 10 rule runs an hour.",
        "autoEnabled": "On", "autoWhen": "When", "autoIf": "If", "autoThen": "Then", "autoNone": "No rules yet.", "autoAdd": "Add rule",
        "autoName": "Rule name", "autoAfterMinutes": "Minutes (for “customer waiting” and “customer silent”)",
        "autoIfHint": "The rule acts when every condition given holds; with none, every time.",
        "autoWords": "Words in the message (one per line, any)",
        "autoIntents": "About (any)", "autoYes": "Yes", "autoNo": "No", "autoHasLabels": "Labels (separated by spaces, any)",
        "autoHours": "Business hours",
        "auto_inHours": "within business hours", "auto_outOfHours": "outside business hours", "auto_always": "always",
        "autoSnoozeMinutes": "Snooze (minutes)",
        "autoWebhook": "Tell a Slack-compatible webhook URL", "autoDryRun": "Dry run (last 7 days)",
        "autoDryRunResult": "{matched} of {checked} conversations of the last 7 days match (nothing was changed).",
        "trigger_conversation_created": "A conversation starts", "trigger_message_received": "A customer's message arrives",
        "trigger_status_changed": "The status changes", "trigger_sla_warning": "The due time is near",
        "trigger_sla_breach": "The due time has passed",
        "trigger_csat_received": "A CSAT answer arrives", "trigger_customer_waiting": "The customer has waited",
        "trigger_customer_silent": "The customer has been silent",
        "act_automation_applied": "Rule “{rule}”: {actions}",
        "act_automation_capped": "Rule “{rule}” stopped: rules ran more than {cap} times in an hour here",
        "act_automation_webhookFailed": "Rule “{rule}” could not reach its webhook",
        "triageIntent": "About", "anyIntent": "Anything",
        "act_assignment_moved": "Reassigned from {from} to {to}: offline for more than {minutes} minutes",
        "wsAssignment": "Automatic assignment",
        "wsAutoAssignInboxes":
            "Inboxes whose new conversations are assigned by themselves (to the agent online and under capacity with the fewest open conversations)",
        "wsAssignOfflineMinutes": "Move an agent's waiting conversations on after this many minutes offline",
        "apifield_autoAssignInboxIds": "Inboxes that assign", "apifield_assignOfflineMinutes": "Minutes offline (1 to 1,440)",
        "apifield_capacity": "Capacity (0 to 1,000)",
        "auto_assign": "assigned", "auto_team": "set the team", "auto_labels": "added labels", "auto_priority": "set the priority",
        "auto_note": "added a note",
        "auto_reply": "sent a canned reply", "auto_snooze": "snoozed", "auto_resolve": "resolved",
        "auto_webhook": "Rule “{rule}”: {customer} ({channel})",
    ]
}
