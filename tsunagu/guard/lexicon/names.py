"""The outside services the guard knows by name: apps to talk on, ways to pay, other marketplaces.

Each service is written down once, with the ways people spell it: the Latin name, the katakana,
other scripts, and the nicknames and abbreviations the code reads. The phrase families, the
model's cues and the contact detectors take the spellings they need from here, so that a name
added once is read everywhere.

A spelling may be a small regular expression (``google\\s?meet``); ``literals`` writes out the
words it stands for, for the tries that only take words, and ``alternation`` joins spellings into
a pattern that tries a longer spelling before one it starts with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from ..normalise import kana_pattern

__all__ = [
    "MAIL_DOMAINS",
    "MAIL_PROVIDERS",
    "MARKETPLACES",
    "PAYMENTS",
    "SERVICES",
    "MailProvider",
    "Marketplace",
    "Payment",
    "Service",
    "alternation",
    "app_spellings",
    "handles",
    "id_services",
    "latin",
    "literals",
    "longest_first",
    "mail_spellings",
    "marketplace_spellings",
    "payment_spellings",
    "service_spellings",
    "trigger",
]


@dataclass(frozen=True)
class Service:
    """An app or site to talk, meet or post on."""

    key: str
    role: str  # "chat", "social", "meeting", "message" (a direct message), "mail" or "phone"
    # how people write its name; read by the phrases, the cues and the ID detector
    names: tuple[str, ...]
    # other names, only where an app is asked for ("LINEで", "…のIDを"), not as a channel among
    # other words: "緑のアプリ", "L!NE", "meet", "threads"
    nicknames: tuple[str, ...] = ()
    # abbreviations that name the service only before an ID, with what must follow them
    handles: tuple[tuple[str, str], ...] = ()
    # the kind of contact detail an ID on it is (findings.CONTACT_KINDS); None: it has no IDs
    kind: str | None = None
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Payment:
    """A way to pay outside the platform's escrow."""

    key: str
    names: tuple[str, ...]
    # everyday words for the same way ("cash", "口座"): read in a request to pay that way, not
    # taken on their own as a sign of paying elsewhere
    everyday: tuple[str, ...] = ()


@dataclass(frozen=True)
class Marketplace:
    """Another site that sells freelance work."""

    key: str
    names: tuple[str, ...]
    nicknames: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MailProvider:
    """A provider of e-mail addresses, as named in a message ("gmailのアドレスは…")."""

    key: str
    names: tuple[str, ...]
    # named on its own as a way to talk ("Gmailで送ります")
    channel: bool = False


_BEFORE_ID = r"\s?(?:[:：@]|is\s)"

SERVICES: tuple[Service, ...] = (
    Service(
        "line",
        "chat",
        ("line", "ライン"),
        # the names people use to slip past a filter: "緑のアプリ", "the green app", "L!NE"
        (
            r"ら\s+いん",
            "l!ne",
            "㍕",
            "緑のアプリ",
            "緑のやつ",
            "緑のあれ",
            r"green\s?app",
        ),
        kind="line",
        hosts=("line.me", "lin.ee", "line.naver.jp"),
    ),
    Service(
        "skype", "chat", ("skype", "スカイプ"), kind="skype", hosts=("skype.com", "join.skype.com")
    ),
    Service(
        "chatwork",
        "chat",
        ("chatwork", "チャットワーク", "チャワ", "チャトワ"),
        ("チャワク",),
        kind="chatwork",
        hosts=("chatwork.com",),
    ),
    Service(
        "discord",
        "chat",
        ("discord", "ディスコード", "ディスコ"),
        kind="discord",
        hosts=("discord.gg", "discord.com", "discordapp.com"),
    ),
    Service(
        "telegram",
        "chat",
        ("telegram", "テレグラム", "テレグラ"),
        handles=(("tg", _BEFORE_ID),),
        kind="telegram",
        hosts=("t.me", "telegram.me", "telegram.dog"),
    ),
    Service(
        "wechat",
        "chat",
        ("wechat", "weixin", "ウィーチャット", "ウィチャット", "微信"),
        ("微信号",),
        kind="wechat",
        hosts=("weixin.qq.com", "wechat.com"),
    ),
    Service(
        "whatsapp",
        "chat",
        ("whatsapp", "ワッツアップ"),
        ("ワッツ",),
        kind="whatsapp",
        hosts=("wa.me", "whatsapp.com"),
    ),
    Service(
        "instagram",
        "social",
        ("instagram", "insta", "インスタグラム", "インスタ"),
        handles=(("ig", _BEFORE_ID),),
        kind="instagram",
        hosts=("instagram.com", "instagr.am"),
    ),
    Service(
        "x",
        "social",
        ("twitter", "ツイッター"),
        (
            "ツイッタ",
            r"x\s?\(旧twitter\)",
            r"x\(twitter\)",
            "旧twitter",
            "𝕏",
            "青い鳥",
            r"blue\s?bird",
        ),
        handles=(("x", r"\s?(?:の|で)?\s?(?:アカウント|account|id|ID|\s?[:：]\s?@|で@)"),),
        kind="x",
        # Threads' links are reported as X's, its IDs as Instagram's (see below)
        hosts=("twitter.com", "x.com", "threads.net"),
    ),
    # "threads" is an ordinary English word: a nickname, read only where an app is asked for
    Service("threads", "social", (), ("threads", "スレッズ"), kind="instagram"),
    Service(
        "facebook",
        "social",
        ("facebook", "フェイスブック"),
        handles=(("fb", r"\s?(?:[:：@.]|is\s)"),),
        kind="facebook",
        hosts=("facebook.com", "fb.com", "fb.me"),
    ),
    Service(
        "messenger",
        "chat",
        ("messenger", "メッセンジャー"),
        kind="facebook",
        hosts=("m.me", "messenger.com"),
    ),
    Service("slack", "chat", ("slack", "スラック"), kind="slack", hosts=("join.slack.com",)),
    Service(
        "zoom",
        "meeting",
        ("zoom", "ズーム"),
        kind="meeting_link",
        hosts=("zoom.us", "zoom.com"),
    ),
    Service(
        "teams",
        "meeting",
        ("teams", "チームズ"),
        kind="meeting_link",
        hosts=("teams.microsoft.com", "teams.live.com"),
    ),
    Service(
        "google_meet",
        "meeting",
        (r"google\s?meet",),
        ("meet",),
        kind="meeting_link",
        hosts=("meet.google.com",),
    ),
    Service("signal", "chat", ("signal",)),
    Service("viber", "chat", ("viber",)),
    Service(
        "kakao",
        "chat",
        (r"kakao\s?talk", "kakao", "カカオトーク", "カカオ"),
        kind="kakao",
        hosts=("open.kakao.com",),
    ),
    Service("tiktok", "social", ("tiktok", "ティックトック"), kind="tiktok", hosts=("tiktok.com",)),
    Service("linkedin", "social", ("linkedin", "リンクトイン"), kind="social_handle"),
    Service("dm", "message", ("dm",)),
    Service("mail", "mail", (r"e-?mail", "mail", "メール", "メアド")),
    Service(
        "phone",
        "phone",
        ("電話", "でんわ", "携帯", "phone", "sms", "ショートメール", "ショートメッセージ"),
    ),
)

PAYMENTS: tuple[Payment, ...] = (
    Payment(
        "bank_transfer",
        ("銀行振込", "銀行振り込み", "振込", "振り込み", r"bank\s?transfer", r"wire\s?transfer"),
        ("口座", "bank account", "wire"),
    ),
    Payment("paypal", ("paypal", "ペイパル")),
    Payment("paypay", ("paypay", "ペイペイ")),
    Payment("cash", ("現金書留", "現金", "手渡し"), ("cash",)),
    Payment("crypto", ("ビットコイン", "仮想通貨", "暗号資産", "usdt", "btc", "crypto", "bitcoin")),
    Payment("wise", ("wise",)),
    Payment("venmo", ("venmo",)),
    Payment("payoneer", ("payoneer", "ペイオニア")),
    Payment("rakuten_pay", ("楽天ペイ",)),
    Payment("line_pay", (r"line\s?pay",)),
    Payment(
        "gift_card", ("amazonギフト", "アマギフ", "ギフト券", "ギフトカード", r"gift\s?cards?")
    ),
    Payment("e_money", ("電子マネー",)),
    Payment("western_union", (r"western\s?union",)),
    Payment("zelle", ("zelle",)),
    Payment("cash_app", (r"cash\s?app",)),
    Payment("revolut", ("revolut",)),
    Payment("skrill", ("skrill",)),
)

MARKETPLACES: tuple[Marketplace, ...] = (
    Marketplace("upwork", ("upwork",), hosts=("upwork.com",)),
    Marketplace("fiverr", ("fiverr",), hosts=("fiverr.com",)),
    Marketplace("freelancer", (r"freelancer\.com",), ("freelancer",), hosts=("freelancer.com",)),
    Marketplace("lancers", ("lancers", "ランサーズ"), hosts=("lancers.jp",)),
    Marketplace("crowdworks", ("crowdworks", "クラウドワークス"), hosts=("crowdworks.jp",)),
    Marketplace("coconala", ("coconala", "ココナラ"), hosts=("coconala.com",)),
    Marketplace("visasq", ("ビザスク",)),
    Marketplace("timeticket", ("タイムチケット",)),
)

MAIL_PROVIDERS: tuple[MailProvider, ...] = (
    MailProvider("gmail", ("gmail", "ジーメール", "gメール"), channel=True),
    MailProvider("googlemail", ("googlemail",)),
    MailProvider("yahoo", ("yahoo", "ヤフー")),
    MailProvider("ymail", ("ymail",)),
    MailProvider("outlook", ("outlook",)),
    MailProvider("hotmail", ("hotmail",)),
    MailProvider("icloud", ("icloud",)),
    MailProvider("docomo", ("docomo", "ドコモ")),
    MailProvider("ezweb", ("ezweb",)),
    MailProvider("softbank", ("softbank",)),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The labels of e-mail domains that are providers' (the part after the "@"), by the providers
# above and more that are not named in messages.
MAIL_DOMAINS = frozenset(
    {name for provider in MAIL_PROVIDERS for name in provider.names if name.isascii()}
    | _words(
        "live msn me mac aol proton protonmail au i.softbank ybb nifty biglobe ocn so-net zoho "
        "gmx yandex mail qq 163 naver"
    )
)

_TALK_ROLES = frozenset({"chat", "social", "meeting", "message", "mail", "phone"})
_APP_ROLES = frozenset({"chat", "social", "meeting"})


def service_spellings(*, roles: frozenset[str] = _TALK_ROLES, nicknames: bool = False) -> list[str]:
    """The services' spellings, in order: their names, and with ``nicknames`` their nicknames."""
    return [
        spelling
        for service in SERVICES
        if service.role in roles
        for spelling in (*service.names, *(service.nicknames if nicknames else ()))
    ]


def app_spellings(*, nicknames: bool = False) -> list[str]:
    """The spellings of the apps to chat, post or meet on (not mail or the phone)."""
    return service_spellings(roles=_APP_ROLES, nicknames=nicknames)


def id_services(*, with_handles: bool = True) -> list[tuple[str, list[str]]]:
    """Each service that people give an ID on, with its kind and the spellings that name it
    before an ID; ``with_handles`` adds the abbreviations, with what must follow them."""
    return [
        (
            service.kind,
            [*service.names, *service.nicknames]
            + [f"{short}(?={after})" for short, after in service.handles if with_handles],
        )
        for service in SERVICES
        if service.kind is not None and service.role in ("chat", "social")
    ]


def handles() -> list[str]:
    """The abbreviations that name a service before an ID ("tg", "ig", "fb", "x")."""
    return [short for service in SERVICES for short, _after in service.handles]


def payment_spellings(*, everyday: bool = True) -> list[str]:
    return [
        spelling
        for payment in PAYMENTS
        for spelling in (*payment.names, *(payment.everyday if everyday else ()))
    ]


def marketplace_spellings(*, nicknames: bool = False) -> list[str]:
    return [
        spelling
        for market in MARKETPLACES
        for spelling in (*market.names, *(market.nicknames if nicknames else ()))
    ]


def mail_spellings(*, channels_only: bool = False) -> list[str]:
    return [
        name
        for provider in MAIL_PROVIDERS
        if provider.channel or not channels_only
        for name in provider.names
    ]


def latin(spellings: list[str]) -> list[str]:
    """The spellings in Latin letters, for the English phrases."""
    return [spelling for spelling in spellings if spelling.isascii()]


_OPTIONAL = re.compile(r"(\\s\+|\\s\??|[^\\]\?)")
_ESCAPED = re.compile(r"\\([^a-z0-9])")


def literals(spelling: str) -> list[str]:
    """The words a spelling stands for: ``e-?mail`` is "email" and "e-mail"."""
    parts = _OPTIONAL.split(spelling)
    choices: list[tuple[str, ...]] = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            choices.append((_ESCAPED.sub(r"\1", part),))
        elif part.startswith("\\s"):
            choices.append(("", " ") if part.endswith("?") else (" ",))
        else:
            choices.append(("", _ESCAPED.sub(r"\1", part[0])))
    words = ["".join(choice) for choice in product(*choices)]
    assert all(re.fullmatch(spelling, word) for word in words), spelling
    return words


def trigger(spelling: str) -> str:
    """A word that every match of ``spelling`` holds (its longest part that is not optional), as
    it stands in the view (katakana as hiragana)."""
    parts = _OPTIONAL.split(spelling)[::2]
    return kana_pattern(_ESCAPED.sub(r"\1", max(parts, key=len)))


def _starts(shorter: str, longer: str) -> bool:
    if "(?" in shorter or "(?" in longer:  # a look-ahead: kept where it was put
        return False
    return any(
        word != other and other.startswith(word)
        for word in literals(shorter)
        for other in literals(longer)
    )


def longest_first(spellings: Sequence[str]) -> list[str]:
    """The spellings in their order but for one thing: a spelling that another one starts with
    comes after it, so that an alternation tries the longer one first ("cash app" before
    "cash"). Repeated spellings are dropped."""
    ordered: list[str] = []
    for spelling in spellings:
        if spelling in ordered:
            continue
        place = next(
            (i for i, earlier in enumerate(ordered) if _starts(earlier, spelling)), len(ordered)
        )
        ordered.insert(place, spelling)
    return ordered


def alternation(spellings: Sequence[str]) -> str:
    """The spellings as one alternation (see longest_first), spaces as ``\\s``."""
    return "|".join(spelling.replace(" ", r"\s") for spelling in longest_first(spellings))
