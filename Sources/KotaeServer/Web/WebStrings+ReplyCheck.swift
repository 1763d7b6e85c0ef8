import Foundation

extension WebStrings {
    /// The reply checker's warnings in the composer (`{evidence}`: the words that raised it),
    /// and its settings.
    static let replyCheckJapanese: [String: String] = [
        "rc_title": "送信前の確認", "rc_sendAnyway": "このまま送信", "rc_edit": "修正する",
        "rc_blockedHint": "禁止語を含むため送信できません。書き直してください。",
        "rc_overridden": "確認の警告を承知で送信: {kinds}",
        "rc_vague_promise": "あいまいな約束です（「{evidence}」）。確かな日付か、分かり次第連絡することを書きましょう。",
        "rc_no_apology": "お客様は困っています。まず一言お詫びを入れましょう。",
        "rc_too_long": "長すぎます（{evidence}文字）。このチャネルでは短く区切ると読みやすくなります。",
        "rc_blames_customer": "お客様のせいにしているように読めます（「{evidence}」）。",
        "rc_asks_to_call_phone_only": "電話だけを案内しています（「{evidence}」）。ここでの回答か、他の連絡方法も示しましょう。",
        "rc_wrong_name": "宛名が「{evidence}」ですが、お客様のお名前と違います。",
        "rc_no_named_greeting": "メールの冒頭にお客様のお名前（{evidence}様）がありません。",
        "rc_missing_attachment": "「{evidence}」とありますが、ファイルが添付されていません。",
        "rc_forbidden_word": "禁止語「{evidence}」が含まれています。送信できません。",
        "rc_unsourced_date": "「{evidence}」という日付は注文データにありません。発送・お届け予定を確かめてから約束しましょう。",
        "rc_kind_vague_promise": "あいまいな約束", "rc_kind_no_apology": "お詫びなし", "rc_kind_too_long": "長すぎる",
        "rc_kind_blames_customer": "お客様のせいにする表現", "rc_kind_asks_to_call_phone_only": "電話のみの案内", "rc_kind_wrong_name": "宛名違い",
        "rc_kind_no_named_greeting": "宛名なし", "rc_kind_missing_attachment": "添付漏れ", "rc_kind_forbidden_word": "禁止語",
        "rc_kind_unsourced_date": "根拠のない日付",
        "wsReplyCheck": "返信の確認", "wsForbiddenWords": "禁止語（1行に1つ。含む返信は送信できません）",
        "apifield_forbiddenWords": "禁止語（1語50文字まで、200語まで）",
    ]

    static let replyCheckEnglish: [String: String] = [
        "rc_title": "Before you send", "rc_sendAnyway": "Send anyway", "rc_edit": "Edit",
        "rc_blockedHint": "This reply contains a forbidden word and cannot be sent. Please rewrite it.",
        "rc_overridden": "Sent despite the checker: {kinds}",
        "rc_vague_promise": "A vague promise (“{evidence}”). Give a firm date, or say you will write as soon as you know.",
        "rc_no_apology": "The customer is unhappy. Start with an apology.",
        "rc_too_long": "Too long ({evidence} characters). On this channel, shorter messages read better.",
        "rc_blames_customer": "This reads as blaming the customer (“{evidence}”).",
        "rc_asks_to_call_phone_only": "The telephone is the only way offered (“{evidence}”). Answer here or offer another way too.",
        "rc_wrong_name": "The greeting says “{evidence}”, which is not the customer's name.",
        "rc_no_named_greeting": "The email does not greet the customer by name ({evidence}).",
        "rc_missing_attachment": "It mentions “{evidence}”, but no file is attached.",
        "rc_forbidden_word": "It contains the forbidden word “{evidence}” and cannot be sent.",
        "rc_unsourced_date": "The day “{evidence}” is not in the order data. Check the shipping or delivery date before promising it.",
        "rc_kind_vague_promise": "vague promise", "rc_kind_no_apology": "no apology", "rc_kind_too_long": "too long",
        "rc_kind_blames_customer": "blames the customer", "rc_kind_asks_to_call_phone_only": "telephone only", "rc_kind_wrong_name": "wrong name",
        "rc_kind_no_named_greeting": "no name in the greeting", "rc_kind_missing_attachment": "missing attachment",
        "rc_kind_forbidden_word": "forbidden word", "rc_kind_unsourced_date": "date without a source",
        "wsReplyCheck": "Reply checks", "wsForbiddenWords": "Forbidden words (one per line; a reply containing one cannot be sent)",
        "apifield_forbiddenWords": "Forbidden words (at most 200, each up to 50 characters)",
    ]
}
