"""Phone numbers, however the digits are written.

A *digit run* is a stretch of digit tokens (ASCII digits, kanji numerals, kana and English
readings) with short separators between them. The run is cut into groups where a separator
stands or the way of writing changes (``5678に`` is the group ``5678`` and the particle
``に``), and windows of whole consecutive groups are tested as phone numbers: Japanese domestic
numbers by their trunk prefix and length, international ones (``+`` or ``00``) with the
phonenumbers library, and North American ones only in a phone context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from .findings import Hit
from .normalise import View, kana_pattern
from .sieve import SIEVE

_KANJI_DIGITS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壱": "1",
    "弌": "1",
    "二": "2",
    "弐": "2",
    "貳": "2",
    "三": "3",
    "参": "3",
    "弎": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陸": "6",
    "七": "7",
    "漆": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
_KANA_DIGITS = {
    "ぜろ": "0",
    "れい": "0",
    "まる": "0",
    "いち": "1",
    "に": "2",
    "にい": "2",
    "さん": "3",
    "よん": "4",
    "し": "4",
    "ご": "5",
    "ごお": "5",
    "ろく": "6",
    "なな": "7",
    "しち": "7",
    "はち": "8",
    "きゅう": "9",
    "きゅー": "9",
    "く": "9",
}
_WORD_DIGITS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
# Drawn-out readings ("にい", "ごお") that must not swallow the start of the next one ("にいち").
_KANA_GUARDS = {"にい": "にい(?!ち)", "ごお": "ごお(?!く)"}
_KANA_ALT = "|".join(
    _KANA_GUARDS.get(key, key) for key in sorted(_KANA_DIGITS, key=len, reverse=True)
)
_WORD_ALT = "|".join(_WORD_DIGITS)
_KANJI_CLASS = "".join(_KANJI_DIGITS) + "十拾"
# English words without a look-behind, so that the engine can skip ahead on first characters;
# a word found inside another ("someone") only adds a group that no window starts with.
_PLAIN_TOKEN = (
    rf"[0-9]+|[{_KANJI_CLASS}]|{_KANA_ALT}|(?:{_WORD_ALT})(?![a-z])|(?<=[0-9])o|o(?=[0-9])"
)
# Between digits: a short mark, or words that only say where the next group goes
# ("〇九〇、その後に 五五二一", "090 の後は、いち いち …").
_CONNECTIVE = kana_pattern(r"その後に?は?|の後は?|最後は|次は|then")
_SEPARATOR = rf"(?:[\s\-_.,()\[\]/・のー、]|{_CONNECTIVE})"
_CONNECTIVES = re.compile(_CONNECTIVE)
# A run starts on a token that is not also a common particle (に, し, ご, く) and has three tokens
# at least, or is digits alone.
_STRONG_KANA = "|".join(
    k for k in sorted(_KANA_DIGITS, key=len, reverse=True) if len(k) > 1 and k not in _KANA_GUARDS
)
_STRONG_TOKEN = rf"[0-9]+|[{_KANJI_CLASS}]|{_STRONG_KANA}|(?:{_WORD_ALT})(?![a-z])|o(?=[0-9])"
# Behind a look at the first character, which every run starts with: Python's engine can skip the
# rest of the text fast (the alternation alone it would try at every place).
_RUN_FIRST = (
    "0-9" + _KANJI_CLASS + "".join(sorted({k[0] for k in _KANA_DIGITS if len(k) > 1})) + "zotfsen"
)
_RUN = re.compile(
    rf"(?=[{_RUN_FIRST}])"
    rf"(?:(?:{_STRONG_TOKEN})(?:{_SEPARATOR}{{0,3}}(?:{_PLAIN_TOKEN})){{2,}}"
    rf"|[0-9]{{2,}}(?:{_SEPARATOR}{{0,3}}[0-9]{{2,}})?)"
)
# A phone number has a digit, a kanji numeral or a reading of zero somewhere: a cheap first look,
# as two patterns that the regex engine can skip along (a class and words in one cannot).
_GATE = re.compile(rf"[0-9{''.join(_KANJI_DIGITS)}]")
_TOKENS = re.compile(
    rf"(?P<d>[0-9]+)|(?P<k>[{_KANJI_CLASS}])|(?P<h>{_KANA_ALT})"
    rf"|(?P<w>(?<![a-z])(?:{_WORD_ALT})(?![a-z]))|(?P<o>(?<=[0-9])o|o(?=[0-9]))"
)
_MIN_TOKENS = 7


# Labels that make a number something other than a phone number, unless a phone word is near.
_NOT_PHONE = re.compile(
    kana_pattern(
        r"(?:注文|受注|発注|オーダー|order|伝票|請求書|invoice|管理|会員|品番|型番|商品|製品|"
        r"シリアル|serial|sku|jan|isbn|ロット|lot|口座|登録|案件|契約|チケット|ticket|追跡|"
        r"tracking|荷物|問い?合わ?せ番号|id|no\.?|#|コード|code|ref)"
        # "order number is 0312345678", "注文番号は：": the label, then words that only point at it
        r"[^0-9\n]{0,8}(?:(?:number|num|no\.?|番号|is|は|:|：|#)\s?){0,3}$"
    )
)
_PHONE_WORD = re.compile(
    kana_pattern(
        r"tel|phone|call|text me|sms|whatsapp|mobile|cell|fax|my number|電話|でんわ|携帯|ケータイ|けいたい|"
        r"ショートメ|☎|📞|ワッツアップ|ライン|line|signal|viber|telegram|"
        # the same in other languages, and ways to say "call me"
        r"ring me|reach me|handy|telefon|teléfono|téléphone|numero|número|mob:|連絡先|"
        r"전화|핸드폰|手机|電話號碼"
    )
)
_GATE_WORDS = re.compile(kana_pattern("ぜろ|れい|まる|zero|plus|プラス|") + _PHONE_WORD.pattern)
_PHONE_PREFIX = re.compile(r"(?:tel|fax|phone)$")
_JP_MOBILE = ("020", "050", "060", "070", "080", "090")

# The sieve's mark (see sieve.py): what every phone number found below holds. A number has eight
# digits at least; each digit comes from a unit (an ASCII digit, a numeral, a reading), and a run
# is a chain of units with up to three separators between them. A number is only looked for where
# it starts with a zero, follows a "+" or "(", or has a phone word before it (see find_phones). So
# it holds such a start and a chain of eight units, or a chain of four around a 十 or 拾, which
# may stand for two digits ("十" is 10).
_UNIT = rf"(?:[0-9{_KANJI_CLASS}]|{_KANA_ALT}|{_WORD_ALT}|o)"
# a zero that starts a token: an ASCII digit run starts after a non-digit
_ZERO = "(?:(?:^|[^0-9])0|〇|零|ぜろ|れい|まる|zero|o)"
_LINK = rf"{_SEPARATOR}{{0,3}}"
_CHAIN = rf"(?:{_LINK}{_UNIT}){{7,}}"
_TEN = "[十拾]"
# "+" written out: "plus six three, nine one seven …"
_PLUS_WORD = kana_pattern(r"plus\s|プラス\s?")
_PLUS_WORDS_END = re.compile(kana_pattern(r"(?<![a-z])(?:plus|プラス)[\s(]*$"))
# A North American number written as one: "212-555-0187", "212.555.0187", "1-800-555-0199"
_NANP_FORM = re.compile(r"(?:1[-. ])?[2-9][0-9]{2}([-.])[2-9][0-9]{2}\1[0-9]{4}")
MARK = _MARK = SIEVE.mark(
    "phone",
    re.compile(
        rf"{_ZERO}{_CHAIN}|(?:\+|{_PLUS_WORD})[ (]*{_UNIT}{_CHAIN}|\({_UNIT}{_CHAIN}"
        rf"|(?:{_PHONE_WORD.pattern})(?:.|\n){{0,30}}{_UNIT}{_CHAIN}"
        rf"|(?:{_UNIT}{_LINK}){{3,}}{_TEN}|{_TEN}(?:{_LINK}{_UNIT}){{3,}}"
        rf"|{_UNIT}{_LINK}{_TEN}(?:{_LINK}{_UNIT}){{2,}}|(?:{_UNIT}{_LINK}){{2,}}{_TEN}{_LINK}{_UNIT}"
        r"|[2-9][0-9]{2}[-.][2-9][0-9]{2}[-.][0-9]{4}"  # _NANP_FORM without its back-reference
    ),
)


@dataclass(slots=True)
class _Group:
    digits: str
    start: int
    end: int
    script: str


def _decode_kanji(tokens: list[str]) -> str:
    out: list[str] = []
    for index, numeral in enumerate(tokens):
        if numeral in "十拾":
            before = index > 0 and tokens[index - 1] not in "十拾"
            after = index + 1 < len(tokens) and tokens[index + 1] not in "十拾"
            out.append(("" if before else "1") + ("" if after else "0"))
        else:
            out.append(_KANJI_DIGITS[numeral])
    return "".join(out)


def _groups(text: str, start: int, end: int) -> list[_Group]:
    groups: list[_Group] = []
    pending: list[str] = []
    # the に of "その後に" is no digit
    skipped = [m.span() for m in _CONNECTIVES.finditer(text, start, end)]
    for match in _TOKENS.finditer(text, start, end):
        if skipped and any(a <= match.start() < b for a, b in skipped):
            continue
        script = match.lastgroup or "d"
        value = match.group()
        if groups and groups[-1].end == match.start() and groups[-1].script == script:
            group = groups[-1]
            group.end = match.end()
            if script == "k":
                pending.append(value)
                group.digits = _decode_kanji(pending)
            else:
                group.digits += _digit_value(script, value)
            continue
        if script == "k":
            pending = [value]
            digits = _decode_kanji(pending)
        else:
            digits = _digit_value(script, value)
        groups.append(_Group(digits, match.start(), match.end(), script))
    return groups


def _digit_value(script: str, value: str) -> str:
    if script == "d":
        return value
    if script == "h":
        return _KANA_DIGITS[value]
    if script == "w":
        return _WORD_DIGITS[value]
    return "0"  # the letter o between digits


def _is_international(digits: str, *, context: bool = False) -> bool:
    """A valid number with its country code; merely a possible one beside a phone word."""
    if not 8 <= len(digits) <= 15:
        return False
    candidates = [digits]
    # "+81 (0)90 ..." carries the trunk 0 after the country code
    candidates += [digits[:cc] + digits[cc + 1 :] for cc in (1, 2, 3) if digits[cc] == "0"]
    for candidate in candidates:
        try:
            number = phonenumbers.parse("+" + candidate)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number) and (
            context or number.country_code == 81 or phonenumbers.is_valid_number(number)
        ):
            return True
    return False


def _is_domestic(digits: str) -> bool:
    if len(digits) not in (10, 11) or digits[0] != "0" or digits[1] == "0":
        return False
    if digits.endswith("0000000"):  # a placeholder such as 090-0000-0000
        return False
    if digits.startswith(_JP_MOBILE) or digits.startswith("0800"):
        return len(digits) == 11
    if len(digits) != 10:
        return False
    if not digits.startswith("010"):
        # every such number is possible for phonenumbers (tests/guard/test_detectors.py checks
        # this against the library); "010" is the international prefix, which it reads apart
        return True
    try:
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def _is_north_american(digits: str) -> bool:
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "US"))
    except phonenumbers.NumberParseException:
        return False


def _nanp_form(text: str, groups: list[_Group]) -> bool:
    """Whether the groups are written as a North American number ("212-555-0187")."""
    if len(groups) not in (3, 4) or any(g.script != "d" for g in groups):
        return False
    start, end = groups[0].start, groups[-1].end
    return _NANP_FORM.fullmatch(text, start, end) is not None and not (
        text[start - 1 : start].isalnum() or text[end : end + 1].isalnum()
    )


def _looks_like_list(groups: list[_Group]) -> bool:
    """ "01 02 03 04 05" is a list of small numbers, not a phone number."""
    return len(groups) >= 4 and all(len(g.digits) == 2 for g in groups)


@dataclass(slots=True)
class _Start:
    """What the text before a window's first group says about it."""

    plus: bool
    context: bool
    blocked: bool
    paren: bool


def _start_info(text: str, first: _Group) -> _Start:
    before = text[max(0, first.start - 40) : first.start]
    stripped = before.rstrip(" (")
    plus = stripped.endswith("+") or _PLUS_WORDS_END.search(stripped) is not None
    context = _PHONE_WORD.search(before[-30:]) is not None
    blocked = False
    if first.script == "d" and before[-1:].isascii() and before[-1:].isalpha():
        blocked = _PHONE_PREFIX.search(before) is None
    if not context and _NOT_PHONE.search(before[-16:]):
        blocked = True
    paren = before.endswith("(") and len(first.digits) == 3
    return _Start(plus, context, blocked, paren)


def _check(text: str, groups: list[_Group], info: _Start) -> bool:
    digits = "".join(g.digits for g in groups)
    if len(digits) < 8 or len(digits) > 15:
        return False
    if len(set(digits[-7:])) == 1:  # a placeholder such as 090-0000-0000 or 03-1111-1111
        return False
    last = groups[-1]
    following = text[last.end : last.end + 1]
    if last.script == "d" and following.isascii() and following.isalpha():
        return False
    if _looks_like_list(groups):
        return False
    if info.plus:
        # a "+" says as much as a phone word: a number possible in the country it names
        return _is_international(digits, context=True)
    if digits.startswith("00") and not digits.startswith("000"):
        return _is_international(digits[2:], context=info.context)
    if _is_domestic(digits):
        return True
    if _nanp_form(text, groups) and _is_north_american(digits):
        return True
    if info.context and digits[0] == "0" and digits[1] != "0" and 10 <= len(digits) <= 12:
        return True  # right after a phone word, a Japanese number with a digit too many
    if info.context or info.paren:
        return _is_north_american(digits) or (info.context and _is_international(digits))
    return False


def find_phones(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if view.marks is not None:
        if _MARK not in view.marks:
            return hits
    elif not _GATE.search(text) and not _GATE_WORDS.search(text):
        return hits
    for run in _RUN.finditer(text):
        if run.end() - run.start() < _MIN_TOKENS:
            continue
        groups = [g for g in _groups(text, run.start(), run.end()) if g.digits]
        if sum(len(g.digits) for g in groups) < 8:
            continue
        index = 0
        while index < len(groups):
            best = -1
            first = groups[index]
            # only numbers that can start a phone number are worth a look at the context
            hopeful = first.digits[0] == "0" or len(first.digits) <= 4
            info = _start_info(text, first) if hopeful else None
            if (
                info is not None
                and not info.blocked
                and not (info.plus or info.context or info.paren or first.digits[0] == "0")
                and _NANP_FORM.match(text, first.start) is None
            ):
                info = None
            if info is not None and not info.blocked:
                # the longest window that is a number wins: try them longest first
                length = 0
                windows: list[int] = []
                for last in range(index, len(groups)):
                    length += len(groups[last].digits)
                    if length > 15:
                        break
                    if length >= 8:
                        windows.append(last)
                for last in reversed(windows):
                    if _check(text, groups[index : last + 1], info):
                        best = last
                        break
            if best >= 0:
                start = first.start
                if info is not None and info.plus:
                    sign = _PLUS_WORDS_END.search(text, max(0, start - 12), start)
                    start = sign.start() if sign is not None else text.rindex("+", 0, start)
                elif info is not None and info.paren:
                    start = text.rindex("(", 0, start)
                hits.append(("phone", start, groups[best].end))
                index = best + 1
            else:
                index += 1
    return hits
