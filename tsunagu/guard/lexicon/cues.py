"""The kinds of words the solicitation model reads as cues (see model.py), and the kinds it
reads together.

Each kind is a set of words, found anywhere in the folded text (katakana read as hiragana). The
names of apps and ways to pay come from names.py.
"""

from __future__ import annotations

from .names import literals, payment_spellings, service_spellings

__all__ = ["CUE_WORDS", "TOGETHER"]


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split("|"))


def _named(spellings: list[str]) -> tuple[str, ...]:
    return tuple(word for spelling in spellings for word in literals(spelling))


CUE_WORDS: dict[str, tuple[str, ...]] = {
    "escrow": _split(
        "仮払|かりばらい|エスクロー|escrow|milestone|マイルストーン|fund|契約|contract"
    ),
    "money": _split(
        "支払|払い|払う|払って|振込|振り込|送金|入金|報酬|代金|料金|請求|payment|pay |pay you|"
        "paid|invoice|bank|bonus|tip|money"
    )
    + _named(payment_spellings()),
    "start": _split(
        "始め|着手|進め|取りかか|取り掛か|スタート|開始|作業|作って|書いて|start|begin|work on|"
        "kick off|go ahead|proceed|get going|get started"
    ),
    "early": _split(
        "前に|前から|より先|先に|先行|せずに|しないで|なしで|無しで|抜きで|待たず|後で|あとで|後ほど|後日|来週|"
        "月末|来月|まとめて|後払|before|without|until|later|next week|tomorrow|monday|friday|"
        "today|right now|right away|first"
    ),
    "meet": _split(
        "in person|face to face|coffee|lunch|drinks|dinner|お茶|カフェ|飲み|ランチ|食事|対面|会って|"
        "お会い|会いませんか|会えません|会いましょう|直接会|meet up|meetup|grab a"
    ),
    "cut": _split(
        "cut them|cut out|cut the|skip the|skip upwork|skip fiverr|bypass|avoid the fee|around the|"
        "通さ|抜きで|省い|省け|省き|挟まず|介さず|外して|もったいな|浮かせ|浮く|節約"
    ),
    "contact": _split(
        "連絡先|メアド|メールアドレス|アドレス|電話番号|携帯|番号|id|アカウント|email|e-mail|address|"
        "number|handle|contact|username|ユーザー名"
    ),
    "ask": _split(
        "教え|伺|お聞き|聞いて|送って|交換|share|send me|give me|drop me|what's your|whats your|"
        "what is your|dm me|text me|message me|add me|reach me|reach out"
    ),
    "private": _split(
        "off the books|between us|privately|in private|内緒|個人的|こっそり|個人間|directly|direct|直接|直で"
    ),
    "elsewhere": _split(
        "別の|他の|外部|サイト外|ここ以外|外で|あっち|そっち|somewhere else|elsewhere|another|other app|"
        "other platform|other site|outside|off-platform|off platform|off the platform"
    ),
    # the apps, mail and the phone by name, and a call
    "channel": (*_named(service_spellings()), "call"),
    "refusal": _split(
        "できません|出来ません|できかね|お断り|控え|禁止|規約|違反|not allowed|against|can't|cannot|"
        "won't|not comfortable|prefer not|declin|rather not|ではなく|受け付けて|お受けでき|no thanks"
    ),
    "platform": _split(
        "サイト内|サイト上|こちらのシステム|このメッセージ|ここで|通話機能|メッセージ機能|built-in|built in|"
        "through the platform|on the platform|here on|in this chat|via the platform|on here|this thread"
    ),
    "request": _split(
        "ませんか|ましょう|ますか|でしょうか|ください|下さい|お願い|てもらえ|ていただけ|たい|ほしい|欲しい|?|？|"
        "can you|could you|would you|let's|lets |how about|shall we|can we|could we|want to|please|"
        "should we|why not|prefer"
    ),
}
# Kinds that ask for something when they come together: "仮払い" + "先に" + "始めて".
TOGETHER: tuple[tuple[str, ...], ...] = (
    ("escrow", "start", "early"),
    ("money", "start", "early"),
    ("escrow", "early", "request"),
    ("meet", "request"),
    ("contact", "ask"),
    ("contact", "request"),
    ("channel", "request"),
    ("channel", "elsewhere"),
    ("elsewhere", "request"),
    ("private", "request"),
    ("private", "money"),
    ("cut", "request"),
    ("cut", "money"),
    ("money", "channel"),
    ("refusal", "channel"),
    ("platform", "request"),
)
