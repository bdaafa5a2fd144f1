"""Contact details given as directions: where to look rather than the address itself.

- a domain written with spaces around its dots ("taro-design . com") beside a pointer to its
  contact form or site: the writer broke the link up so that it would not read as one;
- an instruction to search for the writer by name on a social network or chat app
  ("Facebookで「佐藤健一」と検索してください", "search for Laura Chen on LinkedIn and message me").

A plain mention of a search ("インスタで #カフェ巡り と検索すると…", "Facebookで検索して出てきた広告")
or of a file ("report . pdf") is no contact: the first needs a name and a word about the writer
or reaching them, the second a top-level domain and a pointer to a site.
"""

from __future__ import annotations

import re

from .contacts import TLDS, classify_host, service_names
from .findings import Hit
from .normalise import View, kana_pattern
from .sieve import SIEVE

__all__ = ["find_search_by_name", "find_spaced_domains"]

# --- a domain with its dots spaced out -------------------------------------------------------

_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# spaces on both sides: a dot with a space after it only ends a sentence ("message. no phone")
_SPACED_DOT = r"(?:\s+[.。]\s+|\s*・\s*)"
_ANY_DOT = rf"(?:{_SPACED_DOT}|\.)"
_SPACED_HOST = re.compile(
    rf"(?<![a-z0-9\-.])(?P<host>{_LABEL}(?:{_ANY_DOT}{_LABEL}){{0,3}}{_SPACED_DOT}{_LABEL}"
    rf"(?:{_ANY_DOT}{_LABEL}){{0,3}})(?![a-z0-9\-])"
)
_SEPARATOR = re.compile(rf"{_SPACED_DOT}|\.")
# Words that point at a site or its contact form.
_SITE_POINTER = re.compile(
    kana_pattern(
        r"問い?合わ?せ|問合せ|お問合|といあわせ|フォーム|コンタクト|ホームページ|サイト|(?<![a-z])hp(?![a-z])|"
        r"contact|(?<![a-z])form(?![a-z])|website|(?<![a-z])site(?![a-z])|inquir|enquir"
    )
)
_SPACED_MARK = SIEVE.mark("spaced_domain", re.compile(rf"[a-z0-9]{_SPACED_DOT}[a-z0-9]"))


def find_spaced_domains(view: View) -> list[Hit]:
    text = view.text
    if view.marks is not None and _SPACED_MARK not in view.marks:
        return []
    hits: list[Hit] = []
    pointer = None
    for match in _SPACED_HOST.finditer(text):
        labels = _SEPARATOR.split(match.group("host"))
        if labels[-1] not in TLDS or not any(
            len(label) >= 3 and any(ch.isalpha() for ch in label) for label in labels[:-1]
        ):
            continue  # "3 . 2 . 1", "report . pdf"
        if pointer is None:
            pointer = _SITE_POINTER.search(text) is not None
        if not pointer:
            return hits
        if classify_host(".".join(labels)) is not None:
            hits.append(("website", match.start(), match.end()))
    return hits


# --- search for me by name -------------------------------------------------------------------

_SEARCH = re.compile(
    kana_pattern(
        r"検索|探して|探し|探す|さがして|サーチ|"
        r"search(?:ing)?(?:\sfor)?|look\s(?:me\s)?up|look\sfor\sme|find\sme"
    )
)
_SEARCH_MARK = SIEVE.mark("search_name", _SEARCH)
# What says that the one to find is the writer, or that the reader should then reach them.
_ABOUT_ME = re.compile(
    kana_pattern(
        r"私|僕|わたし|自分|本名|名前|フルネーム|アカウント|プロフ|dm|メッセ|連絡|追加|友だち|友達|フォロー|"
        r"つなが|繋が|申請|すぐ(?:出|見|分|わか)|"
        r"(?<![a-z])(?:me|my|i'm|name)(?![a-z])"
    )
)
# Between the service and the verb, the name searched for: quoted, or a name and nothing more.
_PARTICLES = re.compile(
    kana_pattern(
        r"^(?:\s|で|の|は|を|と|って|に|:|,|、|本名|名前|フルネーム)+|(?:\s|で|と|って|を|の|,|、)+$"
    )
)
_QUOTED = re.compile(r"[「『\"'“‘]([^」』\"'”’#]{2,24})[」』\"'”’]")
_JAPANESE_NAME = re.compile(r"[\u4e00-\u9fff々]{2,4}\s?[\u3041-\u3096\u4e00-\u9fff々]{1,4}")
# English: a capitalised name right after the verb or the service ("search for Laura Chen",
# "look me up on Facebook: Kevin Park", "search my name: Aya Mori")
_BEFORE_LATIN_NAME = re.compile(r"(?:\s|:|,|-|for\b|my\b|full\b|name\b|is\b)*", re.IGNORECASE)
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)+\b")
# "本名（佐々木りな）でインスタ検索": the name given before the service
_NAME_BEFORE = re.compile(
    r"(?:本名|名前|フルネーム)\s?[(「『:：]\s?([^)」』]{2,20}?)\s?[)」』]?\s?(?:で|を)?\s*$"
)
_WINDOW = 40


def _quoted_or_name(view: View, start: int, end: int) -> bool:
    """Whether view characters ``start`` to ``end`` are a name to search for and little more."""
    piece = _PARTICLES.sub("", view.text[start:end])
    if not piece or "#" in piece:
        return False
    if _QUOTED.fullmatch(piece) or _JAPANESE_NAME.fullmatch(piece):
        return True
    begin, finish = view.span(start, end)
    original = _PARTICLES.sub("", view.original[begin:finish])
    return _LATIN_NAME.fullmatch(original) is not None


def _latin_name_at(view: View, position: int) -> bool:
    begin = (
        view.span(position, position + 1)[0] if position < len(view.text) else len(view.original)
    )
    skip = _BEFORE_LATIN_NAME.match(view.original, begin)
    return skip is not None and _LATIN_NAME.match(view.original, skip.end()) is not None


def find_search_by_name(view: View) -> list[Hit]:
    text = view.text
    if view.marks is not None and _SEARCH_MARK not in view.marks:
        return []
    searches = list(_SEARCH.finditer(text))
    if not searches or _ABOUT_ME.search(text) is None:
        return []
    hits: list[Hit] = []
    services = service_names(text)
    for search in searches:
        for kind, name in services:
            if name.end() <= search.start() and search.start() - name.end() <= _WINDOW:
                # "Facebookで「佐藤健一」と検索", "LinkedInで Takashi Ono と検索",
                # "本名（佐々木りな）でインスタ検索", "on instagram, just search my name: Aya Mori"
                before = text[max(0, name.start() - _WINDOW) : name.start()]
                if (
                    _quoted_or_name(view, name.end(), search.start())
                    or _NAME_BEFORE.search(before)
                    or _latin_name_at(view, search.end())
                ):
                    hits.append((kind, name.start(), search.end()))
                    break
            elif (
                search.end() <= name.start()
                and name.start() - search.end() <= _WINDOW
                # "search for Laura Chen on LinkedIn", "look me up on Facebook: Kevin Park"
                and (_latin_name_at(view, search.end()) or _latin_name_at(view, name.end()))
            ):
                hits.append((kind, search.start(), name.end()))
                break
    return hits


DETECTORS_BY_MARK = (
    (_SPACED_MARK, find_spaced_domains),
    (_SEARCH_MARK, find_search_by_name),
)
