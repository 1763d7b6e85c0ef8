/// Words shop customers use for the same thing, in Japanese (kanji, kana readings, casual
/// forms) and English, for any shop: a question is widened with the other words of each group
/// it uses, so 「へんぴん」 finds 返品, "refund" finds 返金 and 「台湾に送れる?」 finds 海外発送.
/// A shop's own words for one article are that article's synonyms; this is what every shop shares.
public enum ShopGlossary {
    static let groups: [[String]] = [
        // Shipping and delivery
        ["送料", "配送料", "そうりょう", "shipping fee", "shipping cost", "delivery fee", "postage"],
        ["いくら", "料金", "費用", "値段", "how much", "cost", "price", "fee"],
        ["発送", "出荷", "ship", "shipping", "dispatch"],
        ["配達", "配送", "お届け", "届く", "delivery", "deliver", "arrive"],
        ["何日", "日数", "いつ届", "how long", "how many days", "when will"],
        ["追跡", "追跡番号", "伝票番号", "問い合わせ番号", "お問合せ番号", "tracking", "track", "tracking number"],
        ["再配達", "不在", "不在票", "redelivery", "missed delivery", "not at home"],
        ["日時指定", "時間指定", "配達日", "時間帯", "delivery date", "time slot"],
        ["配送業者", "運送会社", "宅配業者", "ヤマト", "クロネコ", "佐川", "日本郵便", "ゆうパック", "ポスト投函", "carrier", "courier"],
        [
            "海外", "海外発送", "国際配送", "international", "overseas", "abroad", "worldwide", "outside japan", "台湾", "韓国", "中国", "香港", "アメリカ",
            "米国", "カナダ", "イギリス", "ドイツ", "フランス", "オーストラリア", "シンガポール", "ブラジル", "usa", "america", "canada", "germany",
            "uk", "france", "australia", "taiwan", "korea", "china", "singapore", "hong kong", "brazil", "europe",
        ],
        ["関税", "税関", "customs", "duty", "duties"],
        // Returns, exchanges, refunds, cancelling
        ["返品", "へんぴん", "返却", "返送", "return", "send back"],
        ["交換", "こうかん", "exchange", "swap"],
        ["返金", "へんきん", "払い戻し", "払戻", "refund", "money back"],
        ["キャンセル", "取り消し", "取消", "cancel", "cancellation"],
        [
            "不良", "不良品", "初期不良", "破損", "壊れ", "こわれ", "故障", "破れ", "やぶれ", "汚れ", "よごれ", "シミ", "傷", "キズ", "ほつれ", "defect",
            "defective", "damaged", "broken", "torn", "stain", "faulty",
        ],
        ["違う商品", "誤配送", "間違", "まちがい", "wrong item", "different item", "wrong", "incorrect"],
        ["部品不足", "足りない", "入っていない", "missing", "missing part"],
        // Sizes and products
        ["サイズ", "size", "身長", "体重", "着丈", "身幅", "サイズ感", "measurements"],
        ["サイズ表", "size chart", "size guide"],
        ["再入荷", "入荷", "在庫", "売り切れ", "完売", "品切れ", "restock", "back in stock", "sold out", "out of stock"],
        ["お手入れ", "手入れ", "洗濯", "洗う", "洗い", "メンテナンス", "care", "wash", "washing", "clean", "maintenance"],
        ["撥水", "防水", "waterproof", "water repellent"],
        ["ラッピング", "包装", "ギフト", "プレゼント", "のし", "gift wrap", "gift wrapping", "wrapping", "gift"],
        // Payment
        ["支払い", "支払", "決済", "払い", "payment", "pay"],
        ["支払い方法", "決済方法", "payment method", "paypay", "楽天ペイ", "d払い", "paypal", "apple pay", "google pay", "銀行振込", "bank transfer"],
        ["クレジットカード", "クレカ", "カード", "credit card", "card", "visa", "mastercard", "amex", "american express", "jcb"],
        ["コンビニ払い", "コンビニ決済", "コンビニ", "convenience store"],
        ["代引き", "代金引換", "代引", "だいびき", "cash on delivery", "cod"],
        ["領収書", "りょうしゅうしょ", "領収証", "請求書", "インボイス", "receipt", "invoice"],
        ["クーポン", "割引コード", "クーポンコード", "割引", "coupon", "discount code", "promo code", "discount"],
        ["ポイント", "point"],
        ["amazon pay", "アマゾンペイ"],
        // Accounts and orders
        ["パスワード", "password"],
        ["ログイン", "login", "log in", "sign in"],
        ["退会", "アカウント削除", "delete account", "close account", "delete my account"],
        ["会員登録", "会員", "アカウント", "sign up", "register", "account", "membership"],
        ["注文確認メール", "確認メール", "confirmation email", "order confirmation"],
        ["住所変更", "届け先", "お届け先", "住所", "address", "shipping address"],
        ["注文変更", "変更", "追加", "change my order", "modify", "add to my order"],
    ]

    /// Folded members of each group, with the groups each member belongs to.
    static let folded: [[String]] = groups.map { $0.map(FAQText.fold) }

    /// The other words of every group `foldedText` uses, to add to the question's terms.
    public static func widening(_ foldedText: String) -> [String] {
        let words = Set(foldedText.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        var extra: [String] = []
        for group in folded {
            let used = group.contains { member in
                // A Latin word must be a whole word ("card" is not in "cardigan"); Japanese has no spaces.
                member.unicodeScalars.allSatisfy { $0.isASCII }
                    ? (member.contains(" ") ? foldedText.contains(member) : words.contains(member) || words.contains(member + "s"))
                    : foldedText.contains(member)
            }
            if used { extra += group }
        }
        return extra
    }
}
