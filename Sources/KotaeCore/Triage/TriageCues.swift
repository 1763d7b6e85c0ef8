/// The words customers of any online shop use for each kind of message, in Japanese and
/// English, with how strongly each points there. Written as a support lead would list them,
/// not drawn from any evaluation set; a shop's own words can be added the same way.
/// Japanese is matched after `FAQText.fold` (katakana as hiragana, widths and case folded),
/// English cues from the start of a word.
enum TriageCues {
    typealias Cue = (text: String, weight: Double)

    static let intents: [TriageIntent: [Cue]] = [
        .whereIsMyOrder: [
            ("届かない", 3), ("届きません", 3), ("届いていない", 3), ("届いてない", 3), ("まだ届", 3), ("いつ届", 3), ("いつ頃届", 3),
            ("届く予定", 2), ("到着しない", 3), ("発送されて", 2), ("発送はいつ", 3), ("まだ発送", 3), ("発送準備中", 2), ("追跡", 2),
            ("配送状況", 3), ("配達状況", 3), ("お問い合わせ番号", 2), ("不在票", 2), ("持ち戻り", 3), ("配達完了", 2), ("荷物が", 1),
            ("届いたことになって", 3), ("紛失", 2), ("遅延", 2), ("まだですか", 2), ("まだ?", 1),
            ("where is my order", 4), ("where's my order", 4), ("hasn't arrived", 3), ("has not arrived", 3), ("not arrived", 3),
            ("haven't received", 3), ("not received", 3), ("never arrived", 3), ("still waiting", 2), ("tracking", 2), ("delivery status", 3),
            ("when will my", 3), ("when will it arrive", 3), ("shipped yet", 3), ("marked as delivered", 3), ("says delivered", 3),
            ("in transit", 2), ("delayed", 2), ("lost in", 2), ("parcel", 1), ("package", 1),
        ],
        .wrongItem: [
            ("違う商品", 4), ("別の商品", 4), ("違うもの", 3), ("違う色", 4), ("色が違", 4), ("違うサイズ", 4), ("サイズが違", 3),
            ("注文と違", 4), ("注文したものと", 3), ("間違って届", 4), ("誤配送", 4), ("入っていな", 2), ("入ってな", 2), ("足りない", 2),
            ("1つしか", 2), ("頼んでいない", 3), ("wrong item", 4), ("wrong size", 4), ("wrong colour", 4), ("wrong color", 4),
            ("different item", 4), ("not what i ordered", 4), ("instead of", 2), ("was missing", 2), ("is missing", 2), ("only one", 1),
            ("i didn't order", 3), ("sent me the wrong", 4),
            ("頼んだのに", 1.5), ("注文したのに", 1), ("届いたのは", 2.5), ("入ってた", 1.5), ("入っていました", 1.5), ("しか入って", 3),
            ("他の人の", 4), ("別の人の", 4), ("someone else", 4), ("packing slip", 2), ("different name", 2), ("received a", 1.5),
            ("i ordered", 1), ("but got", 2), ("but received", 2.5),
        ],
        .defect: [
            ("破損", 4), ("壊れ", 4), ("割れ", 3), ("傷が", 3), ("キズ", 3), ("汚れ", 3), ("シミ", 3), ("不良", 4), ("欠け", 3), ("破れ", 3),
            ("ほつれ", 3), ("穴が", 3), ("動かない", 3), ("つかない", 2), ("点かない", 3), ("故障", 4), ("剥がれ", 3), ("はがれ", 3),
            ("水漏れ", 3), ("浸水", 3), ("部品が", 2), ("付属品", 2), ("ポールが", 2), ("縫い目", 2), ("色落ち", 3), ("へたり", 2),
            ("すぐに", 0.5), ("品質", 2), ("broken", 4), ("damaged", 4), ("defect", 4), ("faulty", 4), ("scratch", 3), ("stain", 3), ("torn", 3),
            ("ripped", 3), ("cracked", 3), ("doesn't work", 3), ("does not work", 3), ("stopped working", 4), ("won't turn on", 3),
            ("missing part", 3), ("leak", 3), ("fell apart", 4), ("poor quality", 3), ("hole", 2), ("peeling", 3), ("faded", 2),
            ("ファスナー", 1.5), ("チャック", 1.5), ("ジッパー", 1.5), ("噛み合わ", 3), ("かすれ", 3), ("取れ", 2), ("外れ", 2), ("折れ", 3),
            ("曲が", 2), ("へこ", 3), ("凹", 3), ("ひび", 3), ("つぶれ", 2), ("潰れ", 2), ("仕様ですか", 2), ("初期", 1.5), ("zipper", 1.5),
            ("chip", 3), ("dent", 3), ("bent", 3), ("snap", 2), ("broke", 4), ("turn on", 2), ("came off", 3), ("loose", 2), ("tear", 2),
        ],
        .returnExchange: [
            ("返品", 4), ("交換", 4), ("返送", 3), ("返したい", 4), ("取り替え", 3), ("取替", 3), ("サイズ交換", 2), ("送り返", 3),
            ("return", 4), ("exchange", 4), ("send it back", 4), ("send back", 3), ("swap", 3),
        ],
        .refund: [
            ("返金", 5), ("払い戻し", 5), ("返してほしい", 2), ("お金を返", 4), ("refund", 5), ("money back", 4), ("reimburse", 4),
        ],
        .cancel: [
            ("キャンセル", 5), ("取り消し", 4), ("取消", 4), ("注文をやめ", 4), ("注文を取り", 3), ("cancel", 5), ("call off", 2),
            ("いらなくな", 4), ("要らなくな", 4), ("不要にな", 3), ("no longer need", 4), ("don't need it anymore", 4),
        ],
        .addressChange: [
            ("住所", 4), ("届け先", 4), ("配送先", 4), ("お届け先", 2), ("宛先", 3), ("宛名", 3), ("引っ越", 3), ("転居", 3), ("番地", 3),
            ("部屋番号", 3), ("電話番号を", 2), ("電話番号の", 2), ("address", 4), ("ship it to", 3), ("deliver it to", 3),
            ("moved", 2), ("apartment number", 3), ("phone number", 2), ("zip code", 3), ("postcode", 3), ("郵便番号", 3), ("ship to", 3),
            ("send it to", 3), ("ホテル", 2), ("hotel", 2), ("typo", 2),
        ],
        .payment: [
            ("支払", 4), ("決済", 4), ("クレジット", 3), ("カード", 2), ("請求", 3), ("二重", 3), ("引き落と", 3), ("領収書", 5),
            ("請求書", 5), ("インボイス", 4), ("コンビニ払い", 4), ("代引", 3), ("振込", 3), ("振り込", 3), ("クーポン", 3),
            ("ポイント", 2), ("payペイ", 2), ("paypay", 3), ("amazon pay", 3), ("お会計", 3), ("payment", 4), ("pay ", 2), ("paid", 2),
            ("charged", 4), ("charge", 3), ("card", 2), ("invoice", 5), ("receipt", 5), ("coupon", 3), ("promo code", 3),
            ("discount code", 3), ("checkout", 3), ("billing", 4), ("bank transfer", 3),
        ],
        .productQuestion: [
            ("サイズ感", 4), ("何センチ", 4), ("何cm", 4), ("身長", 3), ("在庫", 4), ("再入荷", 4), ("入荷", 3), ("予約", 2), ("素材", 4),
            ("重さ", 3), ("重量", 3), ("防水", 3), ("洗濯", 3), ("洗え", 3), ("対応してい", 2), ("使えますか", 3), ("使用でき", 2),
            ("ありますか", 2), ("違いは", 3), ("どちらが", 2), ("おすすめ", 1), ("リコール", 3), ("安全", 2), ("耐荷重", 4), ("寸法", 4),
            ("何人用", 4), ("色展開", 4), ("size", 2), ("sizing", 4), ("in stock", 4), ("restock", 4), ("back in stock", 4), ("material", 4),
            ("waterproof", 3), ("washable", 3), ("dimensions", 4), ("weight", 3), ("how big", 3), ("does it", 2), ("will it fit", 3),
            ("履けますか", 3), ("着られますか", 3), ("入りますか", 2), ("教えてください", 2), ("教えて下さい", 2), ("付属", 2), ("付いてきますか", 3),
            ("店舗", 3), ("産地", 3), ("スペック", 3), ("仕様", 1.5), ("幅広", 2), ("縮み", 2), ("縮む", 2), ("何リットル", 4), ("容量", 3),
            ("come with", 3), ("shrink", 3), ("are your", 2), ("is that true", 2), ("in store", 3), ("does the", 2), ("do you", 1.5),
            ("can i use", 2), ("is the", 1), ("how long", 1.5), ("how many", 1.5),
            ("is it safe", 3), ("recall", 3), ("difference between", 3), ("which one", 2), ("available in", 3), ("compatible", 3),
        ],
        .praise: [
            ("ありがとう", 1.5), ("感謝", 2), ("最高", 3), ("素敵", 3), ("すてき", 3), ("気に入", 3), ("満足", 3), ("丁寧", 2.5),
            ("助かりました", 2), ("嬉しい", 2), ("うれしい", 2), ("素晴らし", 3), ("大好き", 3), ("愛用", 3), ("リピート", 2), ("さすが", 2),
            ("感動", 3), ("また買", 3), ("thank", 1.5), ("love", 3), ("great", 2), ("amazing", 3), ("awesome", 3), ("excellent", 3),
            ("perfect", 2.5), ("happy with", 3), ("recommend", 2), ("best", 2), ("fantastic", 3), ("wonderful", 3), ("kudos", 3),
            ("shout out", 3), ("so helpful", 3),
            ("可愛い", 2.5), ("かわいい", 2.5), ("かっこいい", 3), ("いい買い物", 3), ("買ってよかった", 3), ("喜んで", 3), ("早すぎ", 2),
            ("もう届いた", 3), ("リピ", 2.5), ("きれい", 1.5), ("綺麗", 1.5), ("良かった", 2), ("よかった", 2), ("ぴったり", 2), ("快適", 2.5),
            ("👍", 2), ("looks great", 3), ("fits perfectly", 3), ("comfortable", 2), ("beautiful", 3), ("impressed", 3), ("so fast", 3),
            ("super fast", 3),
        ],
        .complaintService: [
            ("返信がない", 4), ("返事がない", 4), ("連絡がない", 4), ("連絡がこない", 4), ("返信が来ない", 4), ("何度も", 3), ("何回も", 3),
            ("問い合わせた", 2), ("問い合わせても", 4), ("定型文", 4), ("自動返信", 3), ("テンプレ", 3), ("対応が遅", 4), ("対応が悪", 4),
            ("態度", 4), ("不誠実", 4), ("誠意", 3), ("ひどい", 2), ("最悪", 3), ("二度と", 3), ("口コミ", 3), ("レビューに", 3),
            ("拡散", 3), ("消費生活センター", 4), ("サイトが", 2), ("エラー", 2), ("ログインでき", 3), ("つながらない", 3),
            ("電話が", 2), ("遅すぎ", 3), ("がっかり", 2), ("no response", 4), ("no reply", 4), ("no answer", 3), ("ignored", 4),
            ("ignoring", 4), ("terrible service", 4), ("customer service", 2), ("worst", 3), ("unacceptable", 3), ("rude", 4),
            ("automated reply", 4), ("canned", 3), ("copy paste", 3), ("never again", 3), ("review", 2), ("warn", 3), ("website", 2),
            ("error", 2), ("can't log in", 3), ("still no", 3), ("third time", 3), ("again and again", 3), ("disappointed", 2),
            ("自動返信が", 3), ("問い合わせてる", 2), ("言い方", 3), ("高圧的", 4), ("不快", 3), ("梱包が雑", 4), ("雑すぎ", 3),
            ("投稿できない", 3), ("消されて", 3), ("発送が遅れ", 3), ("何のために", 2), ("avoid you", 4), ("auto-reply", 3),
            ("haven't heard", 4), ("heard back", 3), ("nobody", 2), ("waste of", 3),
        ],
        .spam: [
            ("当選", 4), ("副業", 4), ("稼げ", 4), ("稼ぐ", 3), ("フォロワー", 3), ("無料で", 2), ("相互フォロー", 4), ("限定オファー", 4),
            ("アカウントが停止", 4), ("アカウント停止", 4), ("本人確認", 2), ("こちらをクリック", 4), ("投資", 3), ("仮想通貨", 4),
            ("儲か", 4), ("プロフィールのリンク", 4), ("dmください", 3), ("click here", 4), ("free followers", 5), ("followers", 2),
            ("winner", 4), ("you have won", 4), ("crypto", 4), ("investment", 3), ("verify your account", 4), ("suspended", 3),
            ("earn $", 4), ("make money", 4), ("check my profile", 4), ("link in bio", 3), ("limited offer", 3), ("dm me", 3), ("giveaway", 2),
            ("激安", 4), ("ブランド品", 3), ("無料診断", 4), ("伸びしろ", 3), ("www.", 1.5), ("congratulations", 2), ("you have been selected", 4),
            ("claim your", 4), ("claim h", 2), ("seo", 4), ("first page", 2), ("guarantee", 1.5),
        ],
        .other: [
            ("あけましておめでとう", 4), ("明けましておめでとう", 4), ("良いお年を", 4), ("よいお年を", 4), ("メリークリスマス", 4),
            ("お疲れ様", 1), ("こんにちは", 1), ("了解", 2), ("承知", 2), ("わかりました", 2), ("分かりました", 2), ("取材", 4), ("コラボ", 4),
            ("採用", 3), ("求人", 4), ("アルバイト", 3), ("不在", 2), ("休暇", 2), ("自動送信", 3), ("happy holidays", 4),
            ("merry christmas", 4), ("happy new year", 4), ("out of office", 5), ("away until", 4), ("on leave", 3), ("collaboration", 4),
            ("collab", 3), ("partnership", 4), ("press", 2), ("interview", 3), ("job", 2), ("hiring", 3), ("ok thanks", 2), ("got it", 2),
            ("noted", 2),
        ],
    ]

    static let negative: [Cue] = [
        ("届かない", 1), ("届きません", 1), ("まだ", 0.5), ("困", 1.5), ("ひどい", 2), ("最悪", 2), ("不安", 1.5), ("怒", 2), ("残念", 1.5),
        ("がっかり", 2), ("壊れ", 1), ("破損", 1), ("不良", 1), ("違う", 0.5), ("返信がない", 2), ("連絡がない", 2), ("ありえない", 2),
        ("いい加減", 2), ("二度と", 2), ("どうなって", 1.5), ("遅い", 1), ("汚れ", 1), ("傷", 0.5), ("!?", 1), ("?!", 1), ("迷惑", 1.5),
        ("disappointed", 2), ("angry", 2), ("terrible", 2), ("worst", 2), ("unacceptable", 2), ("ridiculous", 2), ("frustrat", 2),
        ("annoyed", 2), ("still", 0.5), ("broken", 1), ("damaged", 1), ("wrong", 1), ("never", 1), ("ignored", 2), ("scam", 1.5),
        ("not happy", 2), ("upset", 2), ("awful", 2), ("poor", 1),
    ]

    static let positive: [Cue] = [
        ("ありがとう", 1.5), ("嬉しい", 2), ("うれしい", 2), ("最高", 2), ("楽しみ", 2), ("気に入", 2), ("素敵", 2), ("満足", 2),
        ("助かり", 1.5), ("感謝", 2), ("素晴らし", 2), ("大好き", 2), ("おめでとう", 1.5), ("良い", 0.5), ("thank", 1.5), ("love", 2),
        ("great", 1.5), ("amazing", 2), ("awesome", 2), ("excellent", 2), ("perfect", 1.5), ("happy", 1), ("wonderful", 2),
        ("looking forward", 2), ("appreciate", 1.5),
    ]

    /// Why a message should be handled today: safety, money at risk, a public or legal
    /// threat, a deadline the shop can still meet, a parcel that may be lost, a second try.
    static let urgent: [Cue] = [
        ("危険", 3), ("危な", 3), ("ガス", 3), ("火が", 3), ("発火", 3), ("煙", 3), ("焦げ", 3), ("やけど", 3), ("怪我", 3), ("ケガ", 3),
        ("ガラス", 2), ("割れ", 1), ("リコール", 3), ("二重", 3), ("2回引き落", 3), ("身に覚え", 3), ("不正", 3), ("チャージバック", 3),
        ("拡散", 3), ("口コミ", 2.5), ("レビューに", 2.5), ("消費生活センター", 3), ("弁護士", 3), ("訴え", 3), ("警察", 3),
        ("明日", 2), ("今日中", 3), ("今週末", 2.5), ("週末", 2), ("旅行", 2.5), ("キャンプ", 1.5), ("誕生日", 2.5), ("プレゼント", 1.5),
        ("までに", 2), ("間に合", 3), ("急ぎ", 3), ("至急", 3), ("発送前", 2.5), ("支払期限", 3), ("期限", 1.5), ("紛失", 3),
        ("配達完了", 2), ("届いたことになって", 3), ("何度も", 2.5), ("何回も", 2.5), ("再度", 2), ("返信がない", 2.5), ("連絡がない", 2.5),
        ("dangerous", 3), ("fire", 3), ("gas", 2), ("smoke", 3), ("burn", 3), ("injur", 3), ("glass", 2), ("recall", 3),
        ("charged twice", 3), ("double charged", 3), ("fraud", 3), ("chargeback", 3), ("unauthori", 3), ("followers", 1), ("review", 1.5),
        ("lawyer", 3), ("tomorrow", 2), ("this weekend", 2.5), ("trip", 2.5), ("birthday", 2.5), ("gift", 1), ("in time", 2.5), ("asap", 3),
        ("urgent", 3), ("before it ships", 3), ("lost", 2), ("says delivered", 3), ("marked as delivered", 3), ("still no", 2.5),
        ("third time", 3), ("no response", 2), ("no reply", 2), ("明後日", 2), ("あさって", 2), ("今夜", 2), ("今晩", 2),
        ("2回目", 2.5), ("二度目", 2.5), ("3回目", 3), ("再三", 3), ("2回請求", 3), ("二重請求", 3), ("sns", 2), ("ツイッター", 2),
        ("晒", 2.5), ("second time", 2.5), ("again", 1), ("telling everyone", 3), ("everyone i know", 3), ("safe to use", 3),
        ("is it safe", 2.5), ("twice", 2), ("by friday", 2.5), ("by saturday", 2.5), ("by the", 1), ("deadline", 2.5),
        // Someone else's name or order in the parcel: personal data gone astray.
        ("他の人の", 3), ("別の人の", 3), ("他人の", 3), ("個人情報", 3), ("someone else", 3), ("personal information", 3),
        // Without the payment number the customer cannot pay before its deadline.
        ("払込番号", 2.5), ("払込票", 2.5), ("支払番号", 2.5), ("支払い番号", 2.5), ("payment slip", 2.5),
    ]

    /// An order that ships later (a pre-order): cancelling or changing it has no deadline today.
    static let preOrder: [Cue] = [
        ("予約注文", 1), ("予約商品", 1), ("発売日", 1), ("pre-order", 1), ("preorder", 1), ("release date", 1),
    ]

    /// A parcel the carrier marks delivered; with a word of not having it, a parcel that may be lost.
    static let deliveredStatus: [Cue] = [
        ("配達完了", 1), ("配達済", 1), ("配達された", 1), ("届いたことに", 1), ("受取済", 1), ("投函済", 1), ("delivered", 1),
        ("delivery confirmed", 1),
    ]

    static let notReceived: [Cue] = [
        ("届いていない", 1), ("届いてない", 1), ("届いておりません", 1), ("受け取っていない", 1), ("受け取ってない", 1), ("見当たらない", 1),
        ("見つからない", 1), ("not here", 1), ("not received", 1), ("haven't received", 1), ("have not received", 1), ("never received", 1),
        ("never arrived", 1), ("never got", 1), ("didn't get", 1), ("did not get", 1), ("can't find", 1), ("cannot find", 1),
        ("don't have it", 1), ("nowhere", 1),
    ]

    /// A message nobody needs to answer: an auto-reply, or a private "OK, got it" that closes a conversation.
    static let closing: [Cue] = [
        ("了解", 2), ("承知", 2), ("わかりました", 2), ("分かりました", 2), ("届きました", 1.5), ("大丈夫です", 1.5), ("解決しました", 2),
        ("ok", 1.5), ("okです", 2), ("got it", 2), ("noted", 2), ("all good", 2), ("received it", 1.5), ("thanks", 1), ("ありがとう", 1),
        ("確認できました", 2), ("受け取りました", 1.5), ("楽しみに", 1), ("sorted", 2), ("all set", 2),
    ]

    /// Words a mail uses of itself when it is an auto-reply ("this is an automatic reply"),
    /// not a customer's complaint about one.
    static let autoReply: [Cue] = [
        ("自動返信です", 3), ("自動送信されて", 3), ("不在にしております", 3), ("不在にしています", 3), ("休暇中のため", 3),
        ("out of office", 3), ("out of the office", 3), ("automatic reply:", 3), ("away until", 3), ("on leave until", 3),
        ("limited access to email", 3),
    ]
}
