"""Requests to talk or pay outside the platform, or to work before the escrow is funded.

Each pattern is a phrase family, in Japanese and English, matched on the view (lower case,
katakana read as hiragana). A match is dropped when the sentence refuses or warns against the
request ("LINEでの連絡はできません", "I can't share my email here"): for Japanese the refusal
follows the phrase, for English it may stand before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from .findings import Hit
from .normalise import View, inside_katakana_word, kana_pattern, literal_alternation
from .sieve import SIEVE

_APPS = (
    r"(?:line|ライン|skype|スカイプ|chatwork|チャットワーク|チャワ|discord|ディスコード|ディスコ|"
    r"telegram|テレグラム|wechat|ウィーチャット|whatsapp|ワッツアップ|instagram|インスタ|"
    r"twitter|ツイッター|facebook|フェイスブック|messenger|メッセンジャー|slack|スラック|"
    r"zoom|ズーム|teams|チームズ|google\s?meet|meet|signal|kakao|カカオ|tiktok|linkedin|リンクトイン|dm|gmail|"
    r"メール|メアド|e-?mail|電話|携帯|sms|ショートメール|ショートメッセージ|個人アカウント|snsの?|sns|"
    r"upwork|fiverr|lancers|ランサーズ|crowdworks|クラウドワークス|coconala|ココナラ)"
)
_TALK = (
    r"(?:ご?連絡|やり取り|やりとり|お?話|相談|続き|打ち?合わ?せ|会議|面談|通話|移|つなが|繋が|"
    r"交換|招待|追加|友達|友だち|登録|ご?返信|メッセ|詳細|詳しく|送|お?送り|やりま|しましょう|しませ|報告|"
    r"コンタクト|お?問い?合わ?せ|説明|共有|ください|下さい|お願い|します|できます|いただけ|頂け)"
)
_NOUN_OWNERS = (
    "line|ライン|skype|スカイプ|discord|ディスコード|テレグラム|telegram|wechat|インスタ|sns|"
    "個人|連絡用|プライベート|instagram|twitter|ツイッター|x|facebook|フェイスブック|tiktok|"
    "linkedin|chatwork|チャットワーク|whatsapp|kakao|カカオ"
)
# "(?:a|b)の?x" written out as "aの?x|bの?x", which matches the same in the same order, so that
# every alternative starts with a letter and the regex engine can skip along on first letters.
_CONTACT_NOUNS = (
    r"(?:連絡先|メアド|メールアドレス|メルアド|アドレス|電話番号|携帯番号|ケータイ番号|番号|"
    + "|".join(rf"{owner}\)?の?(?:id|アカウント|qr|qrコード)" for owner in _NOUN_OWNERS.split("|"))
    + r"|line|ライン|qrコード|個人の?(?:アドレス|メール|連絡先|アカウント))"
)
_PAY_METHODS = (
    r"(?:銀行振込|銀行振り込み|振込|振り込み|paypal|ペイパル|paypay|ペイペイ|現金|手渡し|"
    r"ビットコイン|仮想通貨|暗号資産|usdt|btc|wise|venmo|payoneer|ペイオニア|楽天ペイ|line\s?pay|"
    r"amazonギフト|アマギフ|ギフト券|ギフトカード|電子マネー|口座|westernunion|western union|zelle|"
    r"cash\s?app|revolut|skrill|crypto|bitcoin|bank transfer|wire transfer|wire|bank account|"
    r"gift cards?|cash)"
)
_PLATFORM = r"(?:サイト|プラットフォーム|つなぐ|ツナグ|tsunagu|ここ|システム|運営|仮払い|エスクロー|当サイト|本サイト|このサイト|アプリ)"

_JA = [
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
        _APPS
        + r"(?:で|に|へ|から|の方で|のほうで|経由で|にて|で直接)(?:[^。！？!?\n、]{0,5}?)(?:の|も)?(?:ご|お)?"
        + _TALK,
    ),
    (
        "solicit_contact",
        r"(?:個人|プライベート|私用|自分|わたし|私)の?(?:アドレス|メール|メアド|連絡先|番号|携帯|アカウント|ライン|line)"
        r"(?:に|へ|で|から|を|まで)",
    ),
    ("solicit_contact", _APPS + r"(?:を|の)?(?:交換|教え|聞い|伺|登録|追加|繋|つな|送)"),
    (
        "solicit_contact",
        _CONTACT_NOUNS
        + r"(?:を|も|は|だけ|など|だけでも|だけ先に|とか|って)?(?:ぜひ|是非|こっそり|先に|個別に|直接)?"
        r"(?:交換|こうかん|教え|お?聞かせ|お?知らせ|伺|頂|いただ|ください|下さい|送|共有|お伝え|伝え|お渡し|渡|"
        r"載せ|貼|もら|貰|あります|ありますか|あれば|お持ち)",
    ),
    ("solicit_contact", _CONTACT_NOUNS + r"(?:は|を)?(?:こちら|以下|下記|プロフィール|プロフ)"),
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
        _PLATFORM
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
        _PAY_METHODS
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
        _APPS
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
        _APPS + r"[^\n]{0,40}?(?:そちら|そっち|あちら|あっち)(?:で|に|へ|の方|のほう)(?:が|で|に)?"
        r"[^。！？!?\n]{0,10}?(?:話|やり取り|やりとり|連絡|移|切り替え|続き|相談|打ち合わせ|メッセ|便利|早い|楽)",
    ),
    # "…サーバー入ってもらえますか" after naming the app
    (
        "solicit_contact",
        _APPS + r"[^\n]{0,40}?(?:サーバー|グループ|ワークスペース|チャンネル|ルーム)(?:に|へ)?"
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

_EN = [
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
        r"(?:whatsapp|telegram|skype|line|discord|wechat|signal|email|e-mail|gmail|phone|zoom|"
        r"google\smeet|teams|instagram|ig|facebook|messenger|twitter|x|slack|kakao|viber|sms|"
        r"text|private|direct|personal|another\s(?:app|platform|site|channel)|other\s(?:apps?|platforms?)|"
        r"outside|off-?platform|off\sthe\splatform|off\sthis\s(?:site|platform))\b",
    ),
    (
        "solicit_contact",
        r"\b(?:move|take|continue|shift|bring|switch)\s(?:this|the\sconversation|our\sconversation|"
        r"it|things|the\sdiscussion|the\schat|us|our\schat|the\sproject|this\sproject|the\sdeal|"
        r"our\stalk|communication)\s(?:over\s)?(?:to|on|off|outside|onto)\s(?:of\s)?(?:the\s)?"
        r"(?:whatsapp|telegram|skype|line|discord|wechat|signal|email|e-mail|gmail|phone|zoom|"
        r"teams|slack|kakao|viber|sms|platform|site|tsunagu|here|private|direct|dm|dms|another|"
        r"other|my\s)",
    ),
    (
        "solicit_contact",
        r"\b(?:send|give|share|sharing|drop|leave|tell|pass|dm|let\sme\sknow|lemme\sknow|tell\sme)\s(?:me\s)?"
        r"(?:your|ur)\s(?:personal\s|private\s|direct\s)?(?:e-?mail|email|phone|number|cell|mobile|"
        r"whatsapp|telegram|skype|line|contacts?|discord|wechat|instagram|insta|ig|socials?|handle|kakao|"
        r"signal|gmail|linkedin|twitter|facebook|x\shandle)",
    ),
    (
        "solicit_contact",
        r"\b(?:what'?s|what\sis|can\si\s(?:have|get)|could\si\s(?:have|get)|may\si\s(?:have|get)|"
        r"do\syou\shave)\s(?:your|ur)\s(?:personal\s|private\s)?(?:e-?mail|email|phone|number|"
        r"cell|mobile|whatsapp|telegram|skype|line|contact|discord|wechat|instagram|insta|ig|"
        r"socials?|handle|kakao|signal|gmail)",
    ),
    (
        "solicit_contact",
        r"\b(?:my|our)\s(?:personal\s|private\s|direct\s)?(?:e-?mail|email|phone|number|cell|"
        r"mobile|whatsapp|telegram|skype|line|discord|wechat|instagram|insta|ig|kakao|signal|"
        r"gmail|contact)(?:\s(?:id|address|handle|number|details|info|username|account))?\s"
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
        r"(?:the\s|a\s|my\s)?(?:paypal|venmo|zelle|cash\s?app|western\sunion|crypto|usdt|bitcoin|"
        r"btc|eth|wire|bank|wise|payoneer|skrill|revolut|gift\scards?|cash|personal|private|direct)",
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
        r"(?:whatsapp|telegram|skype|discord|wechat|signal|line|kakao|viber|instagram|linkedin|slack|"
        r"messenger|facebook|zoom|google\s?meet|gmail|an\semail|email|phone\snumber|number|cell)\b"
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
        r"|\b(?:take|accept)\s(?:an?\s)?(?:amazon\s)?(?:gift\scards?|paypal|venmo|crypto|bitcoin|"
        r"cash|bank\stransfer|wire|wise|payoneer)\b"
        r"|\b(?:find|search)\s(?:me|my\sname|for\sme)\s(?:on|in)\s(?:linkedin|facebook|instagram|"
        r"twitter|telegram|skype|discord|wechat|line)\b",
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
# none, which keeps the guard fast.
_APP_TRIGGERS = (
    *[
        "line",
        "らいん",
        "skype",
        "すかいぷ",
        "chatwork",
        "ちゃっとわーく",
        "ちゃわ",
        "discord",
        "でぃすこ",
        "telegram",
        "てれぐらむ",
    ],
    *[
        "wechat",
        "うぃーちゃっと",
        "whatsapp",
        "わっつあっぷ",
        "instagram",
        "いんすた",
        "twitter",
        "ついったー",
    ],
    *[
        "facebook",
        "ふぇいすぶっく",
        "messenger",
        "めっせんじゃー",
        "slack",
        "すらっく",
        "zoom",
        "ずーむ",
        "teams",
        "ちーむず",
    ],
    *[
        "meet",
        "signal",
        "kakao",
        "かかお",
        "tiktok",
        "linkedin",
        "りんくといん",
        "dm",
        "gmail",
        "めーる",
        "めあど",
        "mail",
        "電話",
        "携帯",
        "sms",
        "しょーとめ",
        "sns",
    ],
    "個人あかうんと",
    *[
        "upwork",
        "fiverr",
        "lancers",
        "らんさーず",
        "crowdworks",
        "くらうどわーくす",
        "coconala",
        "ここなら",
    ],
)
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
_PAY_TRIGGERS = (
    *[
        "振込",
        "振り込",
        "paypal",
        "ぺいぱる",
        "paypay",
        "ぺいぺい",
        "現金",
        "手渡し",
        "びっとこいん",
        "仮想通貨",
        "暗号資産",
    ],
    *[
        "usdt",
        "btc",
        "wise",
        "venmo",
        "payoneer",
        "ぺいおにあ",
        "ぺい",
        "ぎふと",
        "あまぎふ",
        "電子まねー",
        "口座",
        "western",
    ],
    *["zelle", "cash", "revolut", "skrill", "crypto", "bitcoin", "bank", "wire", "gift"],
    *["line pay", "linepay"],
)
_JA_TRIGGERS: list[tuple[str, ...]] = [
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
_EN_TRIGGERS: list[tuple[str, ...]] = [
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
assert len(_JA_TRIGGERS) == len(_JA) and len(_EN_TRIGGERS) == len(_EN)


class _Triggers:
    """Find which trigger words a text holds.

    Triggers holding a shorter trigger are replaced by the shorter one, so no trigger is the start
    of another: at most one starts at any place, and a search from each place after the last one
    found finds every occurrence, overlapping ones included (``bc`` in ``abc`` beside ``ab``).
    """

    def __init__(self, families: list[tuple[str, ...]]) -> None:
        every = {trigger for triggers in families for trigger in triggers}
        self.sets: list[frozenset[str]] = []
        for triggers in families:
            reduced = set()
            for trigger in triggers:
                inner = [other for other in every if other != trigger and other in trigger]
                reduced.add(min(inner, key=len) if inner else trigger)
            self.sets.append(frozenset(reduced))
        words = {t for triggers in self.sets for t in triggers}
        self.pattern = re.compile(literal_alternation(words))
        self.families = {
            word: frozenset(i for i, triggers in enumerate(self.sets) if word in triggers)
            for word in words
        }

    def families_of(self, text: str) -> list[int]:
        """The families that may match ``text``, in order: those with a trigger word in it."""
        indices: set[int] = set()
        for word in self.present(text):
            indices |= self.families[word]
        return sorted(indices)

    def present(self, text: str) -> set[str]:
        found: set[str] = set()
        search = self.pattern.search
        match = search(text)
        while match is not None:
            found.add(match.group())
            match = search(text, match.start() + 1)
        return found


_JA_TRIGGER = _Triggers(_JA_TRIGGERS)
_EN_TRIGGER = _Triggers(_EN_TRIGGERS)
JA_FAMILIES = [
    (kind, triggers, re.compile(kana_pattern(pattern)))
    for (kind, pattern), triggers in zip(_JA, _JA_TRIGGER.sets, strict=True)
]


def _without_leading_boundaries(pattern: str) -> str:
    """Drop the \\b that starts every top-level alternative of ``pattern``.

    A leading \\b keeps the regex engine from skipping ahead on the first letters; the word
    boundary before an English phrase is checked in Python instead (see _english_matches).
    """
    depth = 0
    escaped = False
    in_class = False
    cuts = [0]
    for index, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            cuts.append(index + 1)
    parts = [pattern[a : b - 1] for a, b in pairwise(cuts)]
    parts.append(pattern[cuts[-1] :])
    assert all(part.startswith(r"\b") for part in parts), pattern[:60]
    return "|".join(_spread(part.removeprefix(r"\b")) for part in parts)


_LEADING_WORDS = re.compile(r"\(\?:((?:[a-z' ]|\\s)+(?:\|(?:[a-z' ]|\\s)+)*)\)")


def _spread(part: str) -> str:
    """Write "(?:a|b)c" as "ac|bc": the same matches in the same order, each starting on a letter."""
    leading = _LEADING_WORDS.match(part)
    rest = part[leading.end() :] if leading is not None else ""
    if leading is None or rest.startswith(("?", "*", "+", "{")):
        return part
    return "|".join(word + rest for word in leading.group(1).split("|"))


EN_FAMILIES = [
    (kind, triggers, re.compile(_without_leading_boundaries(pattern)))
    for (kind, pattern), triggers in zip(_EN, _EN_TRIGGER.sets, strict=True)
]
_EN_GATE = re.compile(r"[a-z][a-z][\s'][a-z]")
_JA_ANCHOR = re.compile(r"[ぁ-んァ-ヶ一-龠]")
# the families of a language find nothing in a text without these (see find_solicitation)
SIEVE.needs("ja", _JA_ANCHOR)
SIEVE.needs("en", _EN_GATE)
# Each family is also a mark of the sieve: where it looked, only the families it saw run.
_FAMILY_OF_MARK = {
    **{
        SIEVE.mark(f"ja.{i:02d}", family[2], group="ja"): ("ja", i)
        for i, family in enumerate(JA_FAMILIES)
    },
    **{
        SIEVE.mark(f"en.{i:02d}", family[2], group="en"): ("en", i)
        for i, family in enumerate(EN_FAMILIES)
    },
}

# A refusal or warning after a Japanese phrase, in the same sentence.
_JA_REFUSAL = re.compile(
    kana_pattern(
        r"[^。！？!?\n]{0,24}?(?:仮払い後|仮払いの後|仮払い完了後|契約後|できません(?!か)|出来ません(?!か)|"
        r"できない(?![か？?]|の[？?]|のです?か)|出来ない(?![か？?]|の[？?]|のです?か)|致しかね|いたしかね|できかね|"
        r"しません(?![か？?])|いたしません(?![か？?])|致しません(?![か？?])|禁止|違反|(?<![a-z])ng(?![a-z])|だめ|ダメ|不可|お控え|控え|"
        r"遠慮|お断り|しないで|しないよう|しない(?![かの？?])|ません(?![かが？?])|ないで(?!しょう|す(?:か|よね))|なりません|いけません|"
        r"通報|報告して|ご注意|注意して|気をつけ|気を付け|持ちかけ|持ち掛け|応じ|求められ|誘われ|"
        r"言われ|ないように|お受けでき|受け付けて|規約|ルール|しないこと|避けて|難しい|難しく|厳しい|無理|"
        r"(?:して|されて)(?:い)?ない(?![か？?])|お受けして|しておりません|苦手|行っておらず|しておらず|"
        r"たことは(?:ない|なく|ありません|ございません)|たことが(?:ない|なく|ありません|ございません)|"
        r"ではなく|じゃなく|受け付けておりません|受け付けていません)"
    )
)
# A refusal that a long phrase takes in: "仮払い前の作業開始はできかねますので、お手続きをお願い"
_JA_REFUSAL_INSIDE = re.compile(
    kana_pattern(
        r"できかね|致しかね|いたしかね|できません(?!か)|出来ません(?!か)|お断り|控え|禁止|違反"
    )
)
_JA_REFUSAL_BEFORE = re.compile(
    kana_pattern(r"(?:規約上|規約で|規約により|ルール上|禁止|禁じ|違反)[^。！？!?\n]{0,30}$")
)
# A refusal or warning around an English phrase, in the same sentence.
_EN_REFUSAL_BEFORE = re.compile(
    r"(?:can'?t|cannot|can\snot|won'?t|will\snot|(?<!why\s)don'?t|(?<!why\s)do\snot|never|"
    r"not\sallowed|refuse|against|shouldn'?t|should\snot|prohibited|unable\sto|isn'?t\sallowed|"
    r"aren'?t\sallowed|not\spermitted|please\sdon'?t|asked\sme\sto|asking\sme\sto|asks\syou\sto|"
    r"report|warn|beware|scam|rather\snot|no\sway|not\sgoing\sto|not\scomfortable|prefer\snot|"
    r"asked\s(?:you|him|her|them)\sto|"
    r"declin|i\sdon'?t\swant|no\sthanks?|not\sinterested)[^.!?\n]{0,40}$"
)
_EN_REFUSAL_AFTER = re.compile(
    r"[^.!?\n]{0,30}?(?:is\snot\sallowed|isn'?t\sallowed|are\snot\sallowed|not\sallowed|"
    r"but\si\s(?:told|said)\s[a-z]+\sno|i\s(?:told|said)\s(?:him|her|them)\sno|risky|report\sit|scam|"
    r"prohibited|against\sthe\s(?:rules|terms|tos|policy)|forbidden|violat|is\sagainst|banned)"
)
# A phrase quoted as the words of a button or banner being designed: 「LINEで友だち追加」ボタン
_LABEL_AFTER = re.compile(
    kana_pattern(
        r"[^「」『』\"“”\n]{0,20}[」』\"”]\s?(?:の|という|と)?\s?"
        r"(?:ボタン|バナー|リンク|テキスト|文言|画像|アイコン|メニュー|見出し|コピー|キャッチ|表示|button|banner|label|cta)"
    )
)
_QUOTE_OPEN = re.compile(r"[「『\"“][^「」『』\"“”\n]{0,20}$")

# After the phrase, the writer steers the talk back onto the platform: "Zoomでの打ち合わせは外部に
# なるので、サイト内の通話でお願いできますか", "…can we use the built-in call instead?"
_BACK_ON_PLATFORM = re.compile(
    kana_pattern(
        r"(?:サイト内|サイト上|こちらのサービス|こちらのサイト|当サイト|本サイト|プラットフォーム(?:内|上))"
        r"(?:の[^。！？!?\n]{0,10}?)?(?:で|を(?:ご)?利用|経由|にて|から)|"
        r"(?:サイト|サービス)の(?:音声)?(?:通話|メッセージ|チャット)機能|"
        r"ここで(?:十分|大丈夫|いい|ok|質問|相談|やり取り|やりとり|続け|進め)|ここでの(?:やり取り|やりとり)|"
        r"(?:こちら|この|ここ)の(?:システム|メッセージ|チャット|サイト|サービス|契約)(?:機能)?(?:で|を|経由)|"
        r"(?:pay|paying)\sthrough\s(?:the\s)?(?:contract|platform|site|escrow)|"
        r"keep\s(?:[a-z']+\s){0,2}(?:on|through)\sthe\s(?:platform|site)|"
        r"(?:use|via|through|keep\severything|keep\sit|stay)\s(?:the\s)?(?:built[-\s]in|platform'?s?|here)|"
        r"here\sis\s(?:fine|better|ok)|keep\severything\shere|on\sthe\splatform\sinstead"
    )
)
# The phrase names a feature being built: "お問い合わせフォームのメール送信機能", "電話番号の入力欄"
_FEATURE = re.compile(
    kana_pattern(
        r"(?:問い合わせ|お問い合わせ|contact\s?)(?:フォーム|ページ|form|page)|入力欄|入力フォーム|"
        r"送信機能|(?:メール|電話番号?)(?:の)?(?:入力|送信部分|欄|を載せ|を掲載|の表示)"
    )
)
# A number named by what it is for: "インボイス登録番号はプロフィールに記載済み"
_LABELLED_NUMBER = re.compile(
    kana_pattern(r"(?:登録|インボイス|適格請求書|法人|会員|注文|商品|管理|契約|案件|口座)$")
)


_DIRECT_ORDER = re.compile(
    kana_pattern(
        r"(?:プロフィール|プロフ)(?:ページ)?から(?:直接)?|「直接依頼」|直接依頼(?:機能|ボタン)"
    )
)
_WITHDRAWAL = re.compile(kana_pattern(r"出金|引き出し|withdraw"))


def _ordinary(text: str, start: int, end: int) -> bool:
    """Whether a phrase found at ``start``..``end`` is ordinary talk after all."""
    if _BACK_ON_PLATFORM.search(text, end, end + 120):
        return True
    line_start = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stop = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
    if _FEATURE.search(text, line_start, min(stop) if stop else len(text)):
        return True
    if text.startswith("番号", start) and _LABELLED_NUMBER.search(text, max(0, start - 8), start):
        return True
    if "直接" in text[start:end] and _DIRECT_ORDER.search(text, max(0, start - 16), end + 8):
        return True  # 直接依頼 is the platform's own way to order from someone's profile
    if _WITHDRAWAL.search(text, line_start, min(stop) if stop else len(text)):
        return True
    if _CHANNEL_END.search(text, start, end) and _WORK_AFTER.match(text, end):
        return True  # "What's your WhatsApp integration experience?"
    return text.startswith("法", end) and text[start:end].endswith("話")  # 直接話法: grammar


def _quoted_label(text: str, start: int, end: int) -> bool:
    return bool(
        _QUOTE_OPEN.search(text, max(0, start - 20), start) and _LABEL_AFTER.match(text, end)
    )


def _english_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` that start at a word boundary, as if it began with \\b.

    A match found inside a word is passed over by looking again one place further, so that it
    cannot hide a match that starts at a boundary within it.
    """
    search = pattern.search
    match = search(text)
    while match is not None:
        start = match.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            match = search(text, start + 1)
            continue
        yield match
        match = search(text, max(match.end(), start + 1))


def find_solicitation(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    marks = view.marks
    if marks is None:
        ja = _JA_TRIGGER.families_of(text)
        en = _EN_TRIGGER.families_of(text)
    else:
        families = sorted(_FAMILY_OF_MARK[mark] for mark in marks if mark in _FAMILY_OF_MARK)
        ja = [index for language, index in families if language == "ja"]
        en = [index for language, index in families if language == "en"]
    if ja and not _JA_ANCHOR.search(text):
        ja = []
    if en and not _EN_GATE.search(text):
        en = []
    for index in ja:
        kind, _triggers, pattern = JA_FAMILIES[index]
        for match in pattern.finditer(text):
            start, end = match.span()
            if _JA_REFUSAL.match(text, end, end + 40) or _JA_REFUSAL_INSIDE.search(
                text, start, end
            ):
                continue
            if _JA_REFUSAL_BEFORE.search(text, max(0, start - 40), start):
                continue
            if _quoted_label(text, start, end) or inside_katakana_word(view, start):
                continue
            if _ordinary(text, start, end):
                continue
            hits.append((kind, start, end))
    for index in en:
        kind, _triggers, pattern = EN_FAMILIES[index]
        for match in _english_matches(pattern, text):
            start, end = match.span()
            if _EN_REFUSAL_BEFORE.search(text, max(0, start - 60), start):
                continue
            if _EN_REFUSAL_AFTER.match(text, end, end + 40):
                continue
            if _quoted_label(text, start, end) or _ordinary(text, start, end):
                continue
            hits.append((kind, start, end))
    if not hits:
        hits = find_cue_solicitation(view)
    return hits


# --- cues: an outside channel and a request in the same stretch of talk ----------------------
#
# The families above are phrases; people ask in many more ways ("微信やってますか？…そっちで",
# "銀行振込で直接でも大丈夫ですか？", "Can we do the payment outside Upwork?"). A message also
# counts as solicitation when a sentence names an outside channel (an app, a way of paying
# outside, another site) and asks for something: a question, a proposal, a wish. The channel does
# not count when it is the subject of the work ("LINEスタンプ", "PayPal決済の導入", "Discord bot"),
# and the sentence does not count when it refuses, or speaks of the platform's own tools.

# Channels that are always the way to talk or pay somewhere else.
_ELSEWHERE = kana_pattern(
    r"別の?[ァ-ヶー]{0,8}サイト|他の?[ァ-ヶー]{0,8}サイト|ほかの?[ァ-ヶー]{0,8}サイト|外部サイト|外部の?サービス|"
    r"outside\s(?:of\s)?(?:the\s|this\s)?(?:platform|site|app|here|system|marketplace|upwork|fiverr|"
    r"freelancer|lancers|crowdworks|coconala)|outside(?=\s?[?.!]|$)|off[-\s]?platform"
)
# Names of channels as literal words, matched through a trie (see literal_alternation): an
# alternation of seventy words would be tried word by word at every letter of English text.
_CHANNEL_WORDS = kana_pattern(
    "line ライン skype スカイプ chatwork チャットワーク チャワ discord ディスコード ディスコ telegram "
    "テレグラム wechat 微信 ウィーチャット whatsapp ワッツアップ signal viber kakao カカオ messenger "
    "メッセンジャー zoom ズーム teams チームズ slack スラック instagram インスタ facebook フェイスブック "
    "linkedin リンクトイン paypal ペイパル paypay ペイペイ 銀行振込 銀行振り込み 振込 振り込み 現金 手渡し "
    "wise venmo payoneer zelle cashapp 現金書留 crypto usdt bitcoin ビットコイン upwork fiverr "
    "freelancer.com lancers "
    "ランサーズ crowdworks クラウドワークス coconala ココナラ ビザスク タイムチケット"
).split()
_CHANNEL = re.compile(
    rf"{_ELSEWHERE}|google\s?meet|bank\s?transfer|wire\s?transfer|cash\sapp|"
    + literal_alternation(_CHANNEL_WORDS, bare=True)
)
_CHANNEL_END = re.compile(rf"(?:{_CHANNEL.pattern})$")
# What makes the channel the subject of the work rather than the way to talk or pay.
_WORK_AFTER = re.compile(
    kana_pattern(
        r"\s?(?:の|で|を|に|用|向け|って|'s)?\s?(?:スタンプ|公式|運用|構築|設定|開発|bot|ボット|api|sdk|広告|ads|"
        r"chatbot|チャットボット|payouts?|business\sapi|cloud\sapi|(?:chat\s)?(?:button|widget)|"
        r"(?:で|での|の)?(?:実績|評価|レビュー)|reviews?|ratings?|experience|ad\s|"
        r"マニュアル|使い方|連携|導入|集客|投稿|画面|デザイン|business|integration|webhook|sticker|"
        r"marketing|campaign|template|テンプレ|プラグイン|plugin|ウェビナー|配信|ライブ|ミニアプリ|liff|"
        r"ボタン|実装|組み込|チェックアウト|checkout|ショップ|フォロワー|リール|ストーリー|ハッシュタグ|"
        r"キャンペーン|分析|通知|workflow|ワークフロー|アイコン|バナー|ロゴ|素材|画像|動画|記事|翻訳|"
        r"代行|制作|作成|決済(?:の|を)?(?:導入|実装|組み込|連携|ボタン|画面|システム|機能)|"
        r"手数料|サポート|ヘルプ|規約|の仕様|version|バージョン|アップデート|update|app\sdevelopment|"
        r"ads?\b|feed|フィード|グループ運営|コミュニティ運営|チャンネル設計|サーバー構築|サーバーの構築)"
    )
)
_REQUEST = re.compile(
    literal_alternation(
        kana_pattern(
            "ませんか ましょう ますか でしょうか ですか できますか できたら できれば 出来たら 出来れば "
            "いいですか いいでしょうか 大丈夫 構いません かまいません 可能 たい ほしい 欲しい 下さい "
            "ください お願い 嬉しい うれしい 助かり どう いかが ok おk ? ？ okay possible prefer wanna "
            "よければ よろしければ よかったら 良ければ もらえたら もらえれば いただけたら いただければ easier"
        ).split(),
        bare=True,
    )
    + r"|can\swe|could\swe|shall\swe|let'?s|would\syou|can\syou|could\syou|is\sit\sok|want\sto|"
    r"how\sabout|why\snot|i'?d\slike|would\sbe\s(?:easier|better|faster)|works\sfor\s(?:me|us)|"
    r"just\s(?:send|pay|transfer|wire)|send\s(?:the\s|your\s)?(?:payment|money|funds)"
)
_ON_PLATFORM = re.compile(
    kana_pattern(
        r"仮払い|エスクロー|ウォレット|チャージ|tsunagu|つなぐ|ツナグ|当サイト|このサイト|こちらのサイト|"
        r"サイト内|サイト上|プラットフォーム(?:内|上|経由|の)|ここで|ここの|escrow|wallet|top[-\s]?up|"
        r"through\sthe\splatform|on\sthe\splatform|via\sthe\splatform|on\shere|in\sthis\schat"
    )
)
_CUE_REFUSAL = re.compile(
    kana_pattern(
        r"できません(?![か？?])|出来ません(?![か？?])|できない(?![か？?]|の[？?]|のです?か)|禁止|規約|違反|お控え|控えて|遠慮|お断り|"
        r"しないで|だめ|ダメ|不可|(?<![a-z])ng(?![a-z])|can'?t|cannot|not\sallowed|against\s(?:the|our)|won'?t|"
        r"never|prohibited|not\spermitted|isn'?t\sallowed|rather\snot|no\sway|not\scomfortable|"
        r"prefer\snot|declin|苦手|お受けしておりません|行っておらず|控え|しておりません|受け付けておりません|"
        r"受け付けていません|お受けできません|できかね"
    )
)
# The channel as the way to talk or pay: "LINEで", "スカイプかズームで", "WeChatお持ちですか",
# "PayPal決済で", "on WhatsApp", "via PayPal"; not "LINEの太さ", "インスタ映え", "Teams会議の議事録".
_MEDIUM_AFTER = re.compile(
    kana_pattern(
        r"\s?(?:決済|払い|送金|支払い?)?\s?(?:で|にて|に(?:移|切り替|変え|して)|へ|経由|の方|のほう|とか|"
        r"か\s?(?=[a-zぁ-んァ-ヶ一-龠])|や(?=\s?[a-zァ-ヶ一-龠])|"
        r"(?:は|を|って|も|の?アカウント(?:は|を)?)?\s?(?:お使い|使って|使われて|使い|使え|使う|使用|持って|お持ち|やって|"
        r"されて|利用|登録|入って|ある|あり)|\s(?:call|chat|instead|is\s(?:easier|better|faster)|"
        r"would\sbe|works?\sbetter|or\s)|[?？])"
    )
)
_MEDIUM_BEFORE = re.compile(
    r"(?:on|via|over|through|by|using|use|in|to|have|got|with|onto|prefer|send\s(?:u|you)|pay\s(?:u|you))"
    r"\s(?:a\s|an\s|my\s|your\s)?$"
)
_ALWAYS_MEDIUM = re.compile(_ELSEWHERE)
# The sieve's mark: a channel with a medium after it or a preposition before it, or a channel that
# is always a medium (another site, outside, off-platform): what _channel_in asks for.
_CUE_MARK = SIEVE.mark(
    "cue",
    re.compile(
        rf"(?:{_CHANNEL.pattern})(?:{_MEDIUM_AFTER.pattern})"
        rf"|(?:{_MEDIUM_BEFORE.pattern.removesuffix('$')})(?:{_CHANNEL.pattern})"
        rf"|{_ELSEWHERE}"
    ),
)
_DELIVERABLE = re.compile(
    kana_pattern(
        r"(?:背景|画像|資料|マニュアル|テンプレート|テンプレ|記事|議事録|デザイン|バナー|教材|動画|スライド|"
        r"文字起こし|翻訳|原稿|ロゴ|アイコン|スタンプ)(?:を|の|も)?\s?(?:作|制作|デザイン|翻訳|書|編集|起こ|納品)"
    )
)
_SENTENCE = re.compile(r"[^。！!？?\n]*(?:[。！!？?\n]+|$)")
_ASKS = re.compile(r"(?:か|[?？])[。！!？?\s]*$")


# Where the sieve looked, find_solicitation finds nothing without one of these marks.
MARKS = frozenset({*_FAMILY_OF_MARK, _CUE_MARK})


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        if match.end() > match.start():
            spans.append(match.span())
    return spans


def _channel_in(view: View, start: int, end: int) -> re.Match[str] | None:
    text = view.text
    for channel in _CHANNEL.finditer(text, start, end):
        begin = channel.start()
        if inside_katakana_word(view, begin):
            continue
        if begin > 0 and "a" <= text[begin - 1] <= "z" and channel.group()[0].isascii():
            continue  # inside a word: "online", "deadline"
        if begin > 0 and text[begin - 1] == "-" and channel.group()[0].isascii():
            continue  # "security-wise"
        after = text[channel.end() : channel.end() + 1]
        if channel.group()[-1].isascii() and channel.group()[-1].isalpha() and "a" <= after <= "z":
            continue
        if _WORK_AFTER.match(text, channel.end()):
            continue
        word = channel.group()
        if not (
            _ALWAYS_MEDIUM.fullmatch(word)
            or _MEDIUM_AFTER.match(text, channel.end())
            or _MEDIUM_BEFORE.search(text, max(0, begin - 16), begin)
        ):
            continue
        if _DELIVERABLE.search(text, start, end):
            continue
        return channel
    return None


def find_cue_solicitation(view: View) -> list[Hit]:
    text = view.text
    if view.marks is not None and _CUE_MARK not in view.marks:
        return []
    sentences = _sentences(text)
    for index, (start, end) in enumerate(sentences):
        channel = _channel_in(view, start, end)
        if channel is None or _quoted_label(text, channel.start(), channel.end()):
            continue
        finish = end
        request = _REQUEST.search(text, channel.end(), end) or _REQUEST.search(text, start, end)
        if request is None and _ASKS.search(text, start, end) is None:
            continue
        if request is None and index + 1 < len(sentences):
            finish = sentences[index + 1][1]  # "微信やってますか？" and what follows it
        if _ON_PLATFORM.search(text, start, finish) or _CUE_REFUSAL.search(text, start, finish):
            continue
        if _ordinary(text, channel.start(), channel.end()):
            continue
        if request is None:
            return [("solicit_contact", channel.start(), finish)]
        return [
            (
                "solicit_contact",
                min(channel.start(), request.start()),
                max(channel.end(), request.end()),
            )
        ]
    return []
