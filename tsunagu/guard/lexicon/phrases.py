"""The phrases of a request to talk or pay outside the platform, or to work before the escrow.

Each family is a kind of request and a pattern, in Japanese (``JA``, written in katakana where
the view has hiragana: solicitation.py reads it through kana_pattern) or English (``EN``, each
top-level alternative starting with ``\\b``), with the trigger words that every match holds
(``JA_TRIGGERS``, ``EN_TRIGGERS``, one tuple a family). The names of apps and ways to pay come
from names.py. solicitation.py compiles and runs them.
"""

from __future__ import annotations

from .names import (
    SERVICES,
    alternation,
    app_spellings,
    handles,
    id_services,
    latin,
    mail_spellings,
    marketplace_spellings,
    payment_spellings,
    service_spellings,
    trigger,
)

__all__ = ["APPS", "EN", "EN_TRIGGERS", "JA", "JA_TRIGGERS", "PAY_METHODS"]

_LINE = alternation(next(service for service in SERVICES if service.key == "line").names)
# The apps in English phrases ("on WhatsApp", "your Telegram")
_EN_APPS = alternation(latin(app_spellings()))
_EN_PAYMENTS = alternation(latin(payment_spellings()))

# The apps, sites and other ways to talk that a request to move names ("LINEで", "メールにて").
_APP_SPELLINGS = [
    *service_spellings(nicknames=True),
    *mail_spellings(channels_only=True),
    "個人アカウント",
    "snsの?",
    "sns",
    *marketplace_spellings(nicknames=True),
]
APPS = f"(?:{alternation(_APP_SPELLINGS)})"
TALK = (
    r"(?:ご?連絡|やり取り|やりとり|お?話|相談|続き|打ち?合わ?せ|会議|面談|通話|移|つなが|繋が|"
    r"交換|招待|追加|友達|友だち|登録|ご?返信|メッセ|詳細|詳しく|送|お?送り|やりま|しましょう|しませ|報告|"
    r"コンタクト|お?問い?合わ?せ|説明|共有|ください|下さい|お願い|します|できます|いただけ|頂け)"
)
# Whose ID or account a request asks for: a service's, or someone's own.
_NOUN_OWNERS = [
    *(spelling for _kind, spellings in id_services(with_handles=False) for spelling in spellings),
    *handles(),
    "sns",
    "個人",
    "連絡用",
    "プライベート",
]
# "(?:a|b)の?x" written out as "aの?x|bの?x", which matches the same in the same order, so that
# every alternative starts with a letter and the regex engine can skip along on first letters.
CONTACT_NOUNS = (
    r"(?:連絡先|メアド|メールアドレス|メルアド|アドレス|電話番号|携帯番号|ケータイ番号|番号|"
    + "|".join(rf"{owner}\)?の?(?:id|アカウント|qr|qrコード)" for owner in _NOUN_OWNERS)
    + f"|{_LINE}|qrコード|個人の?(?:アドレス|メール|連絡先|アカウント))"
)
# Ways to pay outside the escrow.
PAY_METHODS = f"(?:{alternation(payment_spellings())})"
PLATFORM = r"(?:サイト|プラットフォーム|つなぐ|ツナグ|tsunagu|ここ|システム|運営|仮払い|エスクロー|当サイト|本サイト|このサイト|アプリ)"

JA = [
    (
        "solicit_contact",
        r"直接(?:の|に|で)?(?:お|ご)?(?:やり取り|やりとり|連絡|話|取引|取り引き|契約|依頼|発注|"
        r"相談|つながり|繋がり|メール|電話|会|交渉|コンタクト|メッセージ|お仕事|仕事を|受注|"
        r"お願い|ご依頼|オファー)",
    ),
    (
        "solicit_contact",
        r"(?:外部|サイト外|ここ以外|ほか|他|別|個別|個人的|プライベート|オフライン)(?:の|に|で)?"
        r"(?:ツール|サービス|アプリ|チャット|場所|方法|連絡手段|手段|sns|窓口|ところ|ルート)?"
        r"(?:で|に|へ|から)(?:の)?(?:ご|お)?"
        r"(?:連絡|やり取り|やりとり|話|相談|続き|移|つなが|繋が|取引|契約|打ち合わせ|コンタクト|送|"
        r"払|支払|振込|振り込|決済|精算)",
    ),
    (
        "solicit_contact",
        APPS
        + r"(?:で|に|へ|から|の方で|のほうで|経由で|にて|で直接)(?:[^。！？!?\n、]{0,5}?)(?:の|も)?(?:ご|お)?"
        + TALK,
    ),
    (
        "solicit_contact",
        r"(?:個人|プライベート|私用|自分|わたし|私)の?(?:アドレス|メール|メアド|連絡先|番号|携帯|アカウント|ライン|line)"
        r"(?:に|へ|で|から|を|まで)",
    ),
    ("solicit_contact", APPS + r"(?:を|の)?(?:交換|教え|聞い|伺|登録|追加|繋|つな|送)"),
    (
        "solicit_contact",
        CONTACT_NOUNS
        + r"(?:を|も|は|だけ|など|だけでも|だけ先に|とか|って)?(?:ぜひ|是非|こっそり|先に|個別に|直接)?"
        r"(?:交換|こうかん|教え|お?聞かせ|お?知らせ|伺|頂|いただ|ください|下さい|送|共有|お伝え|伝え|お渡し|渡|"
        r"載せ|貼|もら|貰|あります|ありますか|あれば|お持ち)",
    ),
    ("solicit_contact", CONTACT_NOUNS + r"(?:は|を)?(?:こちら|以下|下記|プロフィール|プロフ)"),
    (
        "solicit_contact",
        r"(?:下記|以下|こちら|別途)の?(?:メールアドレス|メアド|アドレス|連絡先|電話番号|番号|id|line|ライン)"
        r"(?:まで|に|へ|から|宛)",
    ),
    (
        "solicit_contact",
        r"(?:プロフ|プロフィール|自己紹介)(?:の|に)(?:リンク|url|アドレス|連絡先|sns)"
        r"(?:から|に|へ)(?:ご?連絡|どうぞ|お?問い合わせ|メッセ|dm)",
    ),
    (
        "solicit_contact",
        r"(?:dm|ダイレクトメッセージ)(?:を|で|に|まで|へ)?(?:ください|下さい|して|お願い|送|ちょうだい|くれ|頂|いただ)",
    ),
    (
        "solicit_contact",
        PLATFORM
        + r"(?:を|は|の)?(?:通さず|通さない|介さず|介さない|使わず|使わない|経由せず|経由しない|"
        r"抜きで|外して|外で|以外で|の外で|なしで|無しで|を離れ|から離れ|を出|の外)",
    ),
    (
        "solicit_payment",
        r"直接(?:お|ご)?(?:支払|払|振込|振り込|送金|入金|決済|請求|精算|清算|お金|報酬|代金)",
    ),
    (
        "solicit_payment",
        r"(?:手数料|システム利用料|利用料|サービス料|マージン|中抜き)(?:を|が|は|も|分)?"
        r"(?:お互い|双方|両方|とも|ともに)?(?:に|の)?"
        r"(?:かから|掛から|取られ|節約|浮|省|避け|回避|払わな|払いたくな|もったいな|無駄|ゼロ|なし|無し|"
        r"不要|抜き|安く|引かれな|差し引かれな|のぶん|分を?お?安く|分を?値引|分を?割引)",
    ),
    (
        "solicit_payment",
        PAY_METHODS
        + r"(?:で|に|へ|の方で|にて|から)(?:直接)?(?:の|も)?(?:お|ご)?(?:支払|払|振込|振り込|送金|決済|精算|"
        r"清算|やり取り|取引|報酬|受け取|お送り|送り|お願い|いただ|頂|もら|いい|大丈夫|可能|ok|構いません)",
    ),
    (
        "solicit_payment",
        r"(?:私|僕|わたし|ぼく|弊社|当方|こちら|自分|俺)の(?:銀行)?口座(?:に|へ|まで|番号|情報)",
    ),
    (
        "solicit_payment",
        r"(?:口座番号|口座情報|振込先|振り込み先|振込口座|送金先|paypalアドレス|paypalのアドレス)"
        r"(?:の(?:口座|銀行|口座番号|口座情報|情報))?(?:を|は|も)?(?:教え|お知らせ|送|伝え|お伝え|こちら|以下|下記|伺|頂|いただ|ください)",
    ),
    (
        "solicit_no_escrow",
        r"(?:仮払い|エスクロー|契約|入金|支払い?|決済|発注|ご依頼)(?:の?(?:確認|完了|手続き|処理))?(?:の|を|は|が)?"
        r"(?:前に?|前で|まだ|より前|より先|を待たず|待たず|を待たないで|なし|無し|せず|しないで|不要|"
        r"いらない|要らない|抜き|は後|はあと|は後で|は後ほど|あとで|後回し|は省略|省略|はなし|はいい|は結構|"
        r"して(?:い)?なくても|されて(?:い)?なくても|前でも|まだでも|なしでも|無しでも|"
        r"(?:ちょっと|少し|一旦|いったん)?(?:後|あと)(?:に|回しに)して|"
        r"(?:来週|後日|明日|月末|来月)(?:で|に)?(?:いい|大丈夫|ok|構いません))"
        r"(?:に|で|でも|のまま|ですが|だけど|ですけど|ので|から)?[^。！？!?\n]{0,20}"
        r"(?:作業|着手|開始|始め|進め|取りかか|取り掛か|スタート|制作|納品|送って|書いて|作って|とりかか|お願い|対応|"
        r"作っ|書い|やっ|仕上げ|動い|動け|送っ|お送り|納品し)",
    ),
    (
        "solicit_no_escrow",
        r"(?:先に|先行して|先行で|前倒しで|とりあえず|ひとまず|仮払い前|契約前|発注前)"
        r"(?:作業|着手|制作|製作|執筆|開発|納品|サンプル|お仕事|仕事)(?:を|に|だけ)?"
        r"(?:始め|開始|進め|お願い|着手|して|取りかか|取り掛か|スタート|入って|やって)",
    ),
    (
        "solicit_no_escrow",
        r"(?:後払い|あと払い|後払|納品後に?直接|完成後に?直接|終わってから直接|成果物を?見てから)(?:で|に|にし|でも|の方|払|お?支払)",
    ),
    # "Chatworkお使いですか？", "WeChat持ってますか", "LINEやってます？": asking whether the other
    # side is on an outside app is the first step of moving there
    (
        "solicit_contact",
        APPS
        + r"(?:は|って|を|の?アカウント(?:は|を)?)?(?:お使い|使って|使われて|持って|お持ち|やって|"
        r"されて|登録して|入って)(?:い|らっしゃい)?(?:ます|ません|る|てる|です|でしょう)?(?:か|[？?])",
    ),
    # "別の連絡手段ってありますか", "他の連絡方法を教えて"
    (
        "solicit_contact",
        r"(?:別|他|ほか|外部|個人)の?(?:連絡手段|連絡方法|連絡先|連絡ツール|窓口|やり取りの?(?:手段|方法))"
        r"(?:って|は|を|が|も)?(?:あり|ある|ない|教え|お持ち|持って|いただけ|頂け|もらえ|ください|下さい)",
    ),
    # "そっちで買い直して", "別ルートで改めて発注させて", "こちらはキャンセルして…別で"
    (
        "solicit_contact",
        r"(?:そっち|そちら|あちら|別ルート|別の?ルート|別の?経路|別の?サイト|他の?サイト|外)で"
        r"[^。！？!?\n]{0,10}?(?:し直|買い直|頼み直|改めて(?:発注|依頼|注文|契約|購入|お願い))",
    ),
    (
        "solicit_contact",
        r"(?:こちら|ここ|この(?:注文|契約|案件|依頼|取引))(?:は|を|で|の(?:注文|契約|案件|依頼))?(?:一旦|いったん)?"
        r"(?:キャンセル|取り消|取消)[^。！？!?\n]{0,25}?(?:別|直接|外|改めて|個別|個人的|私|弊社|自分)",
    ),
    # "普段使ってるメッセージアプリ教えて"
    (
        "solicit_contact",
        r"(?:メッセージ|チャット|連絡|メッセンジャー|通話)アプリ(?:を|は|って|も)?"
        r"(?:教え|何|なに|なん|どれ|お使い|使って|お持ち)",
    ),
    # "残りは別途お支払いする形で"
    (
        "solicit_payment",
        r"(?:残り|残金|差額|追加分|残額|一部|半分|残りの金額)(?:は|を)?(?:別途|直接|別で|外で|個別に|現金で)"
        r"(?:お|ご)?(?:支払|払|振込|振り込|送金|精算|お渡し|渡)",
    ),
    # "私の事務所経由で依頼してもらえますか"
    (
        "solicit_contact",
        r"(?:私|僕|わたし|自分|弊社|当社|うち|当方)の?(?:事務所|会社|サイト|ホームページ|hp|ショップ|お店|店|"
        r"ストア|窓口|個人事業)(?:経由|を通して|を通じて|から直接|に直接|で直接|宛てに|あてに)"
        r"[^。！？!?\n]{0,10}?(?:依頼|発注|注文|購入|連絡|契約|払|支払|お願い)",
    ),
    # "仮払いは納品後でいいですよ"
    (
        "solicit_no_escrow",
        r"(?:仮払い|エスクロー|支払い?|入金|決済|お支払い)(?:は|を|の)?(?:納品後|完成後|納品の後|完成の後|"
        r"後で|あとで|後から|あとから|後ほど|最後|終わってから|仕上がってから|お手すきの(?:時|際)|いつでも|"
        r"(?:ご)?都合の?(?:いい|よい|良い)(?:時|とき)|落ち着いたら|余裕のある時)(?:で|に|でも)?"
        r"(?:いい|大丈夫|ok|構いません|かまいません|結構|問題ありません)",
    ),
    # "…テレグラムやってたらそっちで話したい", "WeChat…そちらの方が便利です"
    (
        "solicit_contact",
        APPS + r"[^\n]{0,40}?(?:そちら|そっち|あちら|あっち)(?:で|に|へ|の方|のほう)(?:が|で|に)?"
        r"[^。！？!?\n]{0,10}?(?:話|やり取り|やりとり|連絡|移|切り替え|続き|相談|打ち合わせ|メッセ|便利|早い|楽)",
    ),
    # "…サーバー入ってもらえますか" after naming the app
    (
        "solicit_contact",
        APPS + r"[^\n]{0,40}?(?:サーバー|グループ|ワークスペース|チャンネル|ルーム)(?:に|へ)?"
        r"(?:入って|参加して|参加を|招待|来て|ジョイン)",
    ),
    # "外で契約し直しませんか", "外で払わせて"
    (
        "solicit_contact",
        r"(?<![海社案意以国屋郊域県野圏対場枠口])外(?:で|に|へ|の方で)(?:の)?(?:ご|お)?"
        r"(?:連絡|やり取り|やりとり|話|相談|取引|契約|払|支払|振込|振り込|決済|精算|会い|打ち合わせ|やっ|やる|やり)",
    ),
    # "やり取りは外部のツールで", "支払いは直接"
    (
        "solicit_contact",
        r"(?:やり取り|やりとり|連絡|取引|支払い?|決済|契約|打ち合わせ|振込|振り込み)(?:は|を|だけ|のみ)"
        r"(?:外部|サイト外|ここ以外|別の?(?:ツール|アプリ|サービス)|他の?(?:ツール|アプリ|サービス)|個人的に|直接|プライベート)",
    ),
    # "普段使ってる連絡手段に切り替えたい"
    (
        "solicit_contact",
        r"(?:連絡手段|連絡方法|連絡ツール|やり取りの?(?:手段|方法|ツール))(?:を|に|へ)?(?:切り替え|変更|変え|移行|移)",
    ),
    # "着手金だけ先に直接いただければ"
    (
        "solicit_payment",
        r"(?:着手金|前金|手付金|代金|報酬|料金|費用|お金|お支払い)[^。！？!?\n]{0,10}?直接"
        r"(?:いただ|頂|もら|貰|受け取|お受け取|振り込|払)",
    ),
    # "私のサイトが出てくるので、そこのフォームから連絡ください"
    (
        "solicit_contact",
        r"(?:私|僕|わたし|自分|弊社|当社|うち)の?(?:個人|自分の)?(?:サイト|ホームページ|hp|ブログ|ウェブサイト|"
        r"webサイト|ポートフォリオサイト|ショップ|ストア)[^。！？!?\n]{0,25}?"
        r"(?:連絡|問い合わせ|メッセージ|dm|注文|発注|依頼|購入)",
    ),
    # "差額は振込で調整", "残りの金額は後日、別途お振込み"
    (
        "solicit_payment",
        r"(?:残り|残金|差額|残額|追加分|半分)[^。！？!?\n]{0,10}?(?:別途|直接|別で|外で|個別に|現金で|振込で|"
        r"振り込みで|口座に)[^。！？!?\n]{0,4}?(?:お|ご)?(?:支払|払|振込|振り込|送金|精算|お渡し|渡|調整)",
    ),
    # "ちょくで頼めませんか", "個人間で契約書を交わしませんか"
    (
        "solicit_contact",
        r"(?:ちょく|直)(?:で|に)(?:お|ご)?(?:頼|依頼|発注|やり取り|取引|払|支払|連絡|契約|お願い)"
        r"|(?:個人間|当事者間|二人の間)(?:で|に)(?:の)?[^。！？!?\n]{0,6}?(?:契約|取引|やり取り|支払|払|決済)",
    ),
    # "ユーザー名教えてもらえますか"
    (
        "solicit_contact",
        r"(?:ユーザー名|ユーザーネーム|アカウント名|ハンドル名)(?:を|は|も|とか)?(?:教え|伺|お知らせ|いただ|頂)",
    ),
]

EN = [
    (
        "solicit_contact",
        r"\b(?:contact|reach|message|text|ping|dm|email|e-mail|mail|call|whatsapp|add|find|follow|"
        r"hit|write to|talk to|chat with|connect with|catch)\s(?:me|us)\s(?:directly|"
        r"privately|personally|outside|off|on|via|through|over|by|at|there)\b"
        r"(?!\s(?:the\s)?(?:platform|tsunagu|here|this\s(?:site|platform|chat|thread)))",
    ),
    (
        "solicit_contact",
        r"\b(?:let'?s|let\sus|can\swe|could\swe|shall\swe|we\scan|we\scould|why\snot|i'?d\sprefer\sto|"
        r"prefer\sto|better\sto|want\sto|like\sto|i'?ll)\s(?:\w+\s){0,3}?(?:talk|chat|continue|move|"
        r"discuss|connect|communicate|speak|switch|meet|call|go|take|do|handle|work|jump|hop|get|"
        r"have|set\sup|schedule)"
        r"\b[^.!?\n]{0,40}?\b(?:on|via|over|through|in|to|outside|off|using|by)\s(?:the\s|a\s)?"
        rf"(?:{_EN_APPS}|email|e-mail|gmail|phone|ig|x|sms|"
        r"text|private|direct|personal|another\s(?:app|platform|site|channel)|other\s(?:apps?|platforms?)|"
        r"outside|off-?platform|off\sthe\splatform|off\sthis\s(?:site|platform))\b",
    ),
    (
        "solicit_contact",
        r"\b(?:move|take|continue|shift|bring|switch)\s(?:this|the\sconversation|our\sconversation|"
        r"it|things|the\sdiscussion|the\schat|us|our\schat|the\sproject|this\sproject|the\sdeal|"
        r"our\stalk|communication)\s(?:over\s)?(?:to|on|off|outside|onto)\s(?:of\s)?(?:the\s)?"
        rf"(?:{_EN_APPS}|email|e-mail|gmail|phone|sms|platform|site|tsunagu|here|private|direct|dm|dms|another|"
        r"other|my\s)",
    ),
    (
        "solicit_contact",
        r"\b(?:send|give|share|sharing|drop|leave|tell|pass|dm|let\sme\sknow|lemme\sknow|tell\sme)\s(?:me\s)?"
        r"(?:your|ur)\s(?:personal\s|private\s|direct\s)?(?:e-?mail|email|phone|number|cell|mobile|"
        rf"{_EN_APPS}|contacts?|ig|socials?|handle|gmail|x\shandle)",
    ),
    (
        "solicit_contact",
        r"\b(?:what'?s|what\sis|can\si\s(?:have|get)|could\si\s(?:have|get)|may\si\s(?:have|get)|"
        r"do\syou\shave)\s(?:your|ur)\s(?:personal\s|private\s)?(?:e-?mail|email|phone|number|"
        rf"cell|mobile|{_EN_APPS}|contact|ig|socials?|handle|gmail)",
    ),
    (
        "solicit_contact",
        r"\b(?:my|our)\s(?:personal\s|private\s|direct\s)?(?:e-?mail|email|phone|number|cell|"
        rf"mobile|{_EN_APPS}|ig|gmail|contact)(?:\s(?:id|address|handle|number|details|info|username|account))?\s"
        r"(?:is|are|below|:|->|here)",
    ),
    (
        "solicit_contact",
        r"\b(?:exchange|swap|share)\s(?:our\s)?(?:contacts?|numbers|emails|e-mails|whatsapp|"
        r"contact\sdetails|contact\sinfo|socials)",
    ),
    (
        "solicit_contact",
        r"\b(?:outside|off)\s(?:of\s)?(?:the\s|this\s)?(?:platform|site|tsunagu|app|website)\b"
        r"|\boff-platform\b|\boff-site\b|\bdirectly\swith\s(?:me|you|each\sother|us)\b|"
        r"\b(?:bypass|avoid|skip|go\saround|circumvent)\s(?:the\s|this\s)?(?:platform|site|tsunagu)\b",
    ),
    (
        "solicit_payment",
        r"\b(?:pay|paid|payment|send\s(?:the\s)?money|transfer|invoice|settle|wire|payments)"
        r"\b[^.!?\n]{0,30}?\b(?:directly|outside|off-?platform|via|through|by|with|using|over|to\smy|in)\s"
        rf"(?:the\s|a\s|my\s)?(?:{_EN_PAYMENTS}|eth|bank|personal|private|direct)",
    ),
    (
        "solicit_payment",
        r"\b(?:avoid|save(?:\son)?|skip|dodge|cut|bypass|no|without|don'?t\spay|not\spay|escape)\s"
        r"(?:the\s|any\s|paying\s|all\s)?(?:platform'?s?\s|site'?s?\s|service\s|tsunagu'?s?\s)?"
        r"(?:fees?|commissions?|cut|charges?|middleman)\b",
    ),
    (
        "solicit_payment",
        r"\b(?:pay|invoice|bill|charge|paying|invoicing|billing)\s(?:me|you|us)\sdirectly\b"
        r"|\bdirect\spayment\b|\bfee-?free\b",
    ),
    (
        "solicit_payment",
        r"\b(?:pay|send|transfer|wire|deposit|paid)\b[^.!?\n]{0,30}?\b(?:to|into)\smy\s(?:own\s|"
        r"personal\s|private\s)?(?:bank\s|paypal\s)?account",
    ),
    (
        "solicit_contact",
        r"\b(?:your|a)\s(?:personal|private|direct)\s(?:e-?mail|number|phone|contact|whatsapp|line)"
        r"|\b(?:text|whatsapp|telegram)\sme\b(?!\s(?:the|your|here|in|this))",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:start|begin|work|get\sstarted|proceed|kick\soff|go\sahead|deliver|jump\sin|"
        r"start\sworking|begin\sworking)\b[^.!?\n]{0,40}?\b(?:before|without|prior\sto)\s"
        r"(?:the\s|any\s|an\s)?(?:escrow|funding|deposit|milestone|payment|contract|"
        r"funds?|it\sis\sfunded|i\sfund|we\sfund|i\spay|you\sfund|you\spay|it'?s\sfunded)",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:skip|no\sneed\s(?:for|to\suse|to\swait\sfor|to)|don'?t\sneed|don'?t\swait\sfor|forget|"
        r"ignore|bypass|without|without\swaiting\sfor)\s"
        r"(?:the\s|an?\s|any\s)?(?:escrow|milestones?|funding|deposit|fund\sthe)",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:i'?ll|i\swill|we'?ll|we\swill|i\scan|we\scan)\s(?:fund|pay)\b[^.!?\n]{0,25}?"
        r"\b(?:later|after\s(?:you|the\swork|delivery|it'?s\sdone|completion|you'?re\sdone)|once\syou\sfinish)",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:escrow|milestone|funding|deposit)\b[^.!?\n]{0,20}?\b(?:later|afterwards|not\sneeded|"
        r"isn'?t\sneeded|unnecessary|after\syou)",
    ),
    (
        "solicit_contact",
        r"\b(?:do\syou\s(?:have|use)|are\syou\s(?:on|using)|r\su\son|you\son|got|you\sgot|"
        r"have\syou\sgot)\s(?:a\s|an\s)?"
        rf"(?:{_EN_APPS}|gmail|an\semail|email|phone\snumber|number|cell)\b"
        r"(?!\s(?:business|api|bot|stickers?|ads|integration|marketing|experience|for\swork\sprojects))",
    ),
    (
        "solicit_contact",
        r"\boutside\s(?:of\s)?(?:here|this\s(?:chat|app|site|platform|thread))\b"
        r"|\b(?:settle|pay|deal|transact|do\sbusiness|send\smoney)\b[^.!?\n]{0,20}?"
        r"\b(?:outside|privately|off-?platform)\b"
        r"(?!\s(?:of\s)?(?:office|business|working|japan|hours|the\soffice))",
    ),
    (
        "solicit_contact",
        r"\b(?:work\stogether|deal|do\sbusiness|collaborate|continue\sworking|transact)\s"
        r"(?:together\s)?directly\b"
        r"|\bhit\s(?:me|us)\sup\s(?:directly|privately|personally|outside|off|on|via)\b"
        r"|\bno\sneed\sto\s(?:go\sthrough|use)\s(?:the\s|this\s)?(?:site|platform|app|tsunagu)\b"
        rf"|\b(?:take|accept)\s(?:an?\s)?(?:amazon\s)?(?:{_EN_PAYMENTS})\b"
        rf"|\b(?:find|search)\s(?:me|my\sname|for\sme)\s(?:on|in)\s(?:{_EN_APPS})\b",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:started|starting|begun|began|working|proceeded|going\sahead)\b[^.!?\n]{0,60}?"
        r"\b(?:even\sthough|although|though|while|before)\b[^.!?\n]{0,40}?\b(?:funded|escrow|deposit)",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:start|begin|get\sstarted|jump\sin)\s(?:right\s)?(?:now|today|immediately|right\saway)\b"
        r"[^.!?\n]{0,40}?\bfund\w*\b[^.!?\n]{0,30}?\b(?:whenever|later|any\s?time|after)",
    ),
    (
        "solicit_no_escrow",
        r"\bfund\w*\b[^.!?\n]{0,40}?\b(?:next\sweek|next\smonth|tomorrow|later|soon|in\sa\s(?:few\s)?"
        r"(?:days?|weeks?))\b[^?\n]{0,40}?\b(?:start|begin|get\sgoing|kick\soff|work\son)\b"
        r"(?!\s(?:after|once|when|as\ssoon))",
    ),
    (
        "solicit_contact",
        r"\b(?:contract|contracting|hire|hiring|engage|engaging|pay|paying|re-?order|reordering)\s"
        r"(?:[a-z]+\s){0,2}directly\b"
        r"(?!\s(?:through|via|on|in|with)\s(?:the\s|this\s)?(?:platform|tsunagu|site|escrow|milestone)|\shere)"
        r"|\bcancel\s(?:the\s|this\s|our\s)?(?:order|contract|job|milestone|project)\s(?:here|on\s"
        r"(?:the\s)?(?:platform|site))\b[^.!?\n]{0,40}?\b(?:directly|outside|privately|off)\b",
    ),
    (
        "solicit_no_escrow",
        r"\b(?:start|begin|get\sstarted|kick\soff)\b[^\n]{0,60}?\b(?:i'?ll|i\swill|we'?ll|we\swill)\s"
        r"(?:fund|pay)\b[^.!?\n]{0,30}?\b(?:next\sweek|next\smonth|tomorrow|later|soon|afterwards)\b",
    ),
    (
        "solicit_contact",
        r"\b(?:another|other|a\sdifferent|any\sother)\sway(?:s)?\sto\s(?:reach|contact|talk\sto|message|call|"
        r"get\sin\stouch\swith|pay)\s(?:you|me|us)\b"
        r"|\b(?:re-?order|order|buy|purchase|book|hire\sme|pay\sme)\s(?:it\s|this\s)?(?:again\s)?"
        r"(?:through|on|via|from|at)\smy\s(?:own\s)?(?:website|site|shop|store|page|agency|company)",
    ),
    (
        "solicit_contact",
        r"\b(?:a|your|another)\s(?:number|phone\snumber|cell|mobile|whatsapp|email|e-mail|contact)\s"
        r"(?:i|we)\s(?:can|could)\s(?:call|text|reach|email|contact|message|ping)",
    ),
]

# Each family runs only when the view holds one of its trigger words: every match of the family
# contains one (tests/guard/test_solicitation.py checks this on every case), and most messages hold
# none, which keeps the guard fast. The names' triggers are the words every spelling holds.
_APP_TRIGGERS = tuple(trigger(spelling) for spelling in _APP_SPELLINGS)
_NOUN_TRIGGERS = (
    *[
        "連絡先",
        "めあど",
        "あどれす",
        "めるあど",
        "番号",
        "id",
        "あかうんと",
        "qr",
        "line",
        "らいん",
        "個人",
        "ぷらいべーと",
    ],
    *["めーる", "連絡用"],
)
_PAY_TRIGGERS = tuple(trigger(spelling) for spelling in payment_spellings())
JA_TRIGGERS: list[tuple[str, ...]] = [
    ("直接",),
    ("外", "ほか", "他", "別", "個", "ぷらいべーと", "おふらいん"),
    _APP_TRIGGERS,
    ("個人", "ぷらいべーと", "私", "自分", "わたし"),
    _APP_TRIGGERS,
    _NOUN_TRIGGERS,
    _NOUN_TRIGGERS,
    ("下記", "以下", "こちら", "別途"),
    ("ぷろふ", "自己紹介"),
    ("dm", "だいれくとめっせーじ"),
    (
        "さいと",
        "ぷらっとふぉーむ",
        "つなぐ",
        "tsunagu",
        "ここ",
        "しすてむ",
        "運営",
        "仮払い",
        "えすくろー",
        "あぷり",
    ),
    ("直接",),
    ("手数料", "利用料", "さーびす料", "まーじん", "中抜き"),
    _PAY_TRIGGERS,
    ("口座",),
    ("口座", "振込", "振り込み", "送金先", "paypal"),
    ("仮払い", "えすくろー", "契約", "入金", "支払", "決済", "発注", "依頼"),
    ("先", "とりあえず", "ひとまず", "前倒し", "仮払い前", "契約前", "発注前"),
    ("後払", "あと払い", "直接", "見てから"),
    _APP_TRIGGERS,
    ("別", "他", "ほか", "外部", "個人"),
    ("そっち", "そちら", "あちら", "別", "他", "外"),
    ("こちら", "ここ", "この"),
    ("あぷり",),
    ("残", "差額", "追加分", "一部", "半分"),
    ("私", "僕", "わたし", "自分", "弊社", "当社", "うち", "当方"),
    ("仮払い", "えすくろー", "支払", "入金", "決済"),
    _APP_TRIGGERS,
    _APP_TRIGGERS,
    ("外",),
    (
        "やり取り",
        "やりとり",
        "連絡",
        "取引",
        "支払",
        "決済",
        "契約",
        "打ち合わせ",
        "振込",
        "振り込み",
    ),
    ("連絡手段", "連絡方法", "連絡つーる", "やり取り"),
    ("着手金", "前金", "手付金", "代金", "報酬", "料金", "費用", "お金", "お支払い"),
    ("私", "僕", "わたし", "自分", "弊社", "当社", "うち"),
    ("残", "差額", "追加分", "半分"),
    ("ちょく", "直", "個人間", "当事者間", "二人の間"),
    ("ゆーざー名", "ゆーざーねーむ", "あかうんと名", "はんどる名"),
]
EN_TRIGGERS: list[tuple[str, ...]] = [
    ("me", "us"),
    ("let", "we", "why not", "prefer", "better", "want", "like", "ll"),
    ("move", "take", "continue", "shift", "bring", "switch"),
    ("ur",),
    ("ur",),
    ("my", "our"),
    ("exchange", "swap", "share"),
    ("outside", "off", "directly", "bypass", "avoid", "skip", "go", "around", "circumvent"),
    ("pay", "paid", "money", "transfer", "invoice", "settle", "wire"),
    ("fee", "commission", "cut", "charge", "middleman"),
    ("pay", "invoic", "bill", "charg", "direct payment", "fee"),
    ("account",),
    ("personal", "private", "direct", "me"),
    ("before", "without", "prior"),
    ("escrow", "milestone", "funding", "deposit", "fund the"),
    ("fund", "pay"),
    ("escrow", "milestone", "funding", "deposit"),
    ("you", "r u", "got"),
    ("outside", "privately", "off"),
    ("directly", "find", "search", "hit", "no need", "take", "accept"),
    ("though", "while", "before"),
    ("fund",),
    ("fund",),
    ("directly", "cancel"),
    ("start", "begin", "kick"),
    ("way", "order", "buy", "purchase", "book", "hire", "pay"),
    ("number", "cell", "mobile", "whatsapp", "mail", "contact"),
]
assert len(JA_TRIGGERS) == len(JA) and len(EN_TRIGGERS) == len(EN)
