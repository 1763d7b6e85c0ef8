import Foundation

extension WebStrings {
    /// The orders panel beside a conversation.
    static let commerceJapanese: [String: String] = [
        "ordersLoading": "注文を確認しています…", "ordersNone": "この方の注文は見つかりませんでした",
        "orderReason_linked": "担当者が紐付け", "orderReason_numberInMessage": "メッセージ内の注文番号",
        "orderReason_email": "メールアドレスから", "orderReason_phone": "電話番号から",
        "orderUnresolved": "「{number}」に一致する注文はありません",
        "storeUnreachable": "{store} に接続できませんでした（{problem}）。保存済みの情報を表示しています",
        "storeVisibleDays": "{store} から確認できるのは直近{days}日の注文だけです",
        "severalCustomers": "複数のお客様の注文が見つかりました。該当する注文を紐付けてください",
        "linkOrder": "この会話に紐付け", "openInShop": "ショップで開く", "trackParcel": "配送状況",
        "orderPlaced": "{date} 注文", "orderSeen": "{date} 時点", "orderShipTo": "お届け先", "orderTotal": "合計",
        "payment_pending": "支払い待ち", "payment_authorized": "与信済み", "payment_paid": "支払い済み",
        "payment_partiallyPaid": "一部支払い済み", "payment_partiallyRefunded": "一部返金済み", "payment_refunded": "返金済み",
        "payment_voided": "無効", "payment_expired": "期限切れ", "payment_unknown": "支払い状況不明",
        "fulfilment_unfulfilled": "未発送", "fulfilment_partiallyFulfilled": "一部発送済み", "fulfilment_fulfilled": "発送済み",
        "fulfilment_inProgress": "発送処理中", "fulfilment_onHold": "発送保留", "fulfilment_scheduled": "発送予定",
        "fulfilment_restocked": "在庫に戻し済み", "fulfilment_cancelled": "キャンセル", "fulfilment_unknown": "発送状況不明",
        "shipment_confirmed": "発送手配済み", "shipment_shipped": "発送済み", "shipment_inTransit": "配送中", "shipment_outForDelivery": "配達中",
        "shipment_attemptedDelivery": "不在のため持ち戻り", "shipment_delayed": "遅延", "shipment_delivered": "配達済み",
        "shipment_notDelivered": "未配達", "shipment_failed": "配送失敗", "shipment_cancelled": "取り消し",
        "shipment_unknown": "配送状況不明",
        "storePending": "{store} はまだ確認中です。保存済みの情報を表示しています",
        "licenceExpires": "{store} のライセンスキーは {date} に期限が切れます。RMS で再発行してください",
        "rakuten_100": "注文確認待ち", "rakuten_200": "楽天処理中", "rakuten_300": "発送待ち", "rakuten_400": "変更確定待ち",
        "rakuten_500": "発送済", "rakuten_600": "支払手続き中", "rakuten_700": "支払手続き済", "rakuten_800": "キャンセル確定待ち",
        "rakuten_900": "キャンセル確定",
        "action_refund": "返金", "action_reship": "再送", "action_coupon": "クーポン", "action_giftCard": "ギフトカード",
        "action_cancel": "キャンセル", "action_note": "注文へのタグ",
        "act_order_requested": "{who} さんが {number} の{action}を依頼しました（承認待ち）",
        "act_order_approved": "{who} さんが {number} の{action}を承認しました",
        "act_order_submitted": "{number} の{action}をショップに送りました",
        "act_order_confirmed": "{number} の{action}がショップで完了しました",
        "act_order_failed": "{number} の{action}をショップが受け付けませんでした: {error}",
        "act_order_unknown": "{number} の{action}の結果が分かりません（{error}）。もう一度確認します",
        "act_order_rejected": "{who} さんが {number} の{action}を却下しました",
        "act_order_manual": "{who} さんが {number} の{action}を手作業のタスクにしました",
        "act_order_done": "{who} さんが {number} の{action}のタスクを完了しました",
        "task_refund_1": "ショップの管理画面で注文を開く", "task_refund_2": "返金する金額を確かめて返金する",
        "task_refund_3": "お客様に返金したことを伝える",
        "task_reship_1": "同じ商品で新しい注文（送料・代金なし）を作る", "task_reship_2": "発送して追跡番号を控える",
        "task_reship_3": "お客様に再送したことと追跡番号を伝える",
        "task_coupon_1": "このお客様だけが一度使えるクーポンを作る", "task_coupon_2": "クーポンコードをお客様に送る",
        "task_giftCard_1": "ギフトカードを作る", "task_giftCard_2": "コードをお客様に送る",
        "task_cancel_1": "ショップの管理画面で注文をキャンセルする", "task_cancel_2": "返金と在庫の戻しを確かめる",
        "task_cancel_3": "お客様にキャンセルしたことを伝える",
        "task_note_1": "ショップの管理画面で注文にメモを残す",
    ]

    static let commerceEnglish: [String: String] = [
        "ordersLoading": "Looking up orders…", "ordersNone": "No orders found for this customer",
        "orderReason_linked": "Linked by an agent", "orderReason_numberInMessage": "Order number in the message",
        "orderReason_email": "From the email address", "orderReason_phone": "From the phone number",
        "orderUnresolved": "No order matches “{number}”",
        "storeUnreachable": "Could not reach {store} ({problem}); showing what was saved earlier",
        "storeVisibleDays": "{store} shows only the last {days} days of orders",
        "severalCustomers": "Orders of several customers match: link the right one",
        "linkOrder": "Link to this conversation", "openInShop": "Open in the shop", "trackParcel": "Track",
        "orderPlaced": "Ordered {date}", "orderSeen": "as of {date}", "orderShipTo": "Ship to", "orderTotal": "Total",
        "payment_pending": "Payment pending", "payment_authorized": "Authorized", "payment_paid": "Paid",
        "payment_partiallyPaid": "Partially paid", "payment_partiallyRefunded": "Partially refunded", "payment_refunded": "Refunded",
        "payment_voided": "Voided", "payment_expired": "Expired", "payment_unknown": "Payment unknown",
        "fulfilment_unfulfilled": "Unfulfilled", "fulfilment_partiallyFulfilled": "Partially fulfilled", "fulfilment_fulfilled": "Fulfilled",
        "fulfilment_inProgress": "In progress", "fulfilment_onHold": "On hold", "fulfilment_scheduled": "Scheduled",
        "fulfilment_restocked": "Restocked", "fulfilment_cancelled": "Cancelled", "fulfilment_unknown": "Fulfilment unknown",
        "shipment_confirmed": "Confirmed", "shipment_shipped": "Shipped", "shipment_inTransit": "In transit",
        "shipment_outForDelivery": "Out for delivery",
        "shipment_attemptedDelivery": "Delivery attempted", "shipment_delayed": "Delayed", "shipment_delivered": "Delivered",
        "shipment_notDelivered": "Not delivered", "shipment_failed": "Delivery failed", "shipment_cancelled": "Cancelled",
        "shipment_unknown": "Shipment unknown",
        "storePending": "{store} is still answering; showing what was saved earlier",
        "licenceExpires": "The licence key of {store} expires on {date}: issue a new one in RMS",
        "rakuten_100": "Awaiting order confirmation", "rakuten_200": "Rakuten processing", "rakuten_300": "Awaiting shipment",
        "rakuten_400": "Awaiting change confirmation", "rakuten_500": "Shipped", "rakuten_600": "Payment in progress",
        "rakuten_700": "Payment completed", "rakuten_800": "Awaiting cancellation", "rakuten_900": "Cancelled",
        "action_refund": "refund", "action_reship": "replacement", "action_coupon": "coupon", "action_giftCard": "gift card",
        "action_cancel": "cancellation", "action_note": "tag on the order",
        "act_order_requested": "{who} asked for a {action} of {number} (waiting for approval)",
        "act_order_approved": "{who} approved a {action} of {number}",
        "act_order_submitted": "Sent the {action} of {number} to the shop",
        "act_order_confirmed": "The shop made the {action} of {number}",
        "act_order_failed": "The shop refused the {action} of {number}: {error}",
        "act_order_unknown": "Not known whether the shop made the {action} of {number} ({error}); asking again",
        "act_order_rejected": "{who} refused a {action} of {number}",
        "act_order_manual": "{who} made the {action} of {number} a task to do by hand",
        "act_order_done": "{who} did the {action} of {number} by hand",
        "task_refund_1": "Open the order in the shop's admin", "task_refund_2": "Check the amount and refund it",
        "task_refund_3": "Tell the customer it was refunded",
        "task_reship_1": "Make a new order of the same items (no charge, no shipping)", "task_reship_2": "Ship it and note the tracking number",
        "task_reship_3": "Tell the customer it was sent again, with the tracking number",
        "task_coupon_1": "Make a code this customer alone can use once", "task_coupon_2": "Send the code to the customer",
        "task_giftCard_1": "Make a gift card", "task_giftCard_2": "Send its code to the customer",
        "task_cancel_1": "Cancel the order in the shop's admin", "task_cancel_2": "Check the refund and the restock",
        "task_cancel_3": "Tell the customer it was cancelled",
        "task_note_1": "Leave a note on the order in the shop's admin",
    ]
}

extension WebFormat {
    /// `¥12,800` for an amount in yen, `12.50 USD` otherwise: what the timeline writes.
    static func money(_ amount: String, currency: String) -> String {
        guard let value = Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")) else { return "\(amount) \(currency)" }
        if currency == "JPY" {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.locale = Locale(identifier: "ja_JP")
            formatter.maximumFractionDigits = 0
            return "¥" + (formatter.string(from: value as NSDecimalNumber) ?? amount)
        }
        return "\(amount) \(currency)"
    }
}
