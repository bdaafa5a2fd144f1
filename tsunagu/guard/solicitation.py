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
from .lexicon.names import app_spellings, latin, literals, marketplace_spellings, payment_spellings
from .lexicon.phrases import EN, EN_TRIGGERS, JA, JA_TRIGGERS
from .normalise import View, inside_katakana_word, kana_pattern, literal_alternation
from .sieve import SIEVE


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


_JA_TRIGGER = _Triggers(JA_TRIGGERS)
_EN_TRIGGER = _Triggers(EN_TRIGGERS)
JA_FAMILIES = [
    (kind, triggers, re.compile(kana_pattern(pattern)))
    for (kind, pattern), triggers in zip(JA, _JA_TRIGGER.sets, strict=True)
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
    for (kind, pattern), triggers in zip(EN, _EN_TRIGGER.sets, strict=True)
]
# the families of a language find nothing in a text without these (see find_solicitation)
_EN_GATE = re.compile(r"[a-z][a-z][\s'][a-z]")
_JA_ANCHOR = re.compile(r"[ぁ-んァ-ヶ一-龠]")
# Each family is also a mark of the sieve: where it looked, only the families it saw run.
_FAMILY_OF_MARK = {
    **{SIEVE.mark(f"ja.{i:02d}", family[2]): ("ja", i) for i, family in enumerate(JA_FAMILIES)},
    **{SIEVE.mark(f"en.{i:02d}", family[2]): ("en", i) for i, family in enumerate(EN_FAMILIES)},
}

_FAMILY_MARKS = frozenset(_FAMILY_OF_MARK)

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


# The sieve's marks for the searches of _ordinary below that look in a stretch of the text: where
# the whole text does not hold one, the stretch does not either.
_BACK_MARK = SIEVE.mark("ordinary:back", _BACK_ON_PLATFORM)
_LINE_MARKS = frozenset(
    {SIEVE.mark("ordinary:feature", _FEATURE), SIEVE.mark("ordinary:withdrawal", _WITHDRAWAL)}
)


def _ordinary(view: View, start: int, end: int) -> bool:
    """Whether a phrase found at ``start``..``end`` is ordinary talk after all."""
    text, marks = view.text, view.marks
    if (marks is None or _BACK_MARK in marks) and _BACK_ON_PLATFORM.search(text, end, end + 120):
        return True
    if marks is None or not marks.isdisjoint(_LINE_MARKS):
        line_start = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
        stop = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
        line_end = min(stop) if stop else len(text)
        if _FEATURE.search(text, line_start, line_end):
            return True
        if _WITHDRAWAL.search(text, line_start, line_end):
            return True
    if text.startswith("番号", start) and _LABELLED_NUMBER.search(text, max(0, start - 8), start):
        return True
    if "直接" in text[start:end] and _DIRECT_ORDER.search(text, max(0, start - 16), end + 8):
        return True  # 直接依頼 is the platform's own way to order from someone's profile
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
        families = sorted(_FAMILY_OF_MARK[mark] for mark in marks & _FAMILY_MARKS)
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
            if _ordinary(view, start, end):
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
            if _quoted_label(text, start, end) or _ordinary(view, start, end):
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
_MARKETPLACES = "|".join(latin(marketplace_spellings(nicknames=True)))
_ELSEWHERE = kana_pattern(
    r"別の?[ァ-ヶー]{0,8}サイト|他の?[ァ-ヶー]{0,8}サイト|ほかの?[ァ-ヶー]{0,8}サイト|外部サイト|外部の?サービス|"
    r"outside\s(?:of\s)?(?:the\s|this\s)?(?:platform|site|app|here|system|marketplace|"
    rf"{_MARKETPLACES})|outside(?=\s?[?.!]|$)|off[-\s]?platform"
)
# Names of channels (apps, ways to pay that are not everyday words, other marketplaces) as
# literal words, matched through a trie (see literal_alternation): an alternation of a hundred
# words would be tried word by word at every letter of English text.
_CHANNEL_WORDS = {
    kana_pattern(word)
    for spelling in (
        *app_spellings(),
        *payment_spellings(everyday=False),
        *marketplace_spellings(),
    )
    for word in literals(spelling)
}
_CHANNEL = re.compile(rf"{_ELSEWHERE}|" + literal_alternation(_CHANNEL_WORDS, bare=True))
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
        if _ordinary(view, channel.start(), channel.end()):
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
