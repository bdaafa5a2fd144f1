"""Normalisation with an offset map back to the original text.

The detectors never look at the raw message. They look at a *view*: the text folded so that the
many ways of writing the same character become one (full-width and half-width forms, upper and
lower case, katakana and hiragana, circled digits, mathematical letters), with invisible
characters removed, letters spaced apart joined again, and symbols that the writer told the
reader to read as "@" or "." replaced. Every character of the view remembers the range of
original characters it came from, so a finding can always be reported as a span of the original.

Most messages contain nothing that changes length, so the common path is a single
``str.translate`` with an identity offset map that is never materialised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .sieve import SIEVE

__all__ = ["View", "fold", "inside_katakana_word", "kana_pattern", "normalise", "rewrite"]

# Characters dropped from the view: zero-width and formatting characters, variation selectors,
# the combining keycap (so "1️⃣" reads "1"), skin-tone modifiers, tag characters, fillers.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u20dd-\u20e4\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001f3fb-\U0001f3ff"
    "\U000e0000-\U000e0fff"
)
# Half-width voiced and semi-voiced marks join the kana before them.
_VOICE_MARKS = "\uff9e\uff9f\u3099\u309a\u309b\u309c"

# Blocks whose characters may fold to a different single character. Characters outside them
# are kept as they are (kanji, hiragana, most symbols).
_BLOCKS = (
    (0x0000, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x04FF),
    (0x2000, 0x2BFF),
    (0x2E80, 0x2FDF),
    (0x3000, 0x33FF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE6F),
    (0xFF00, 0xFFEF),
    (0x1D400, 0x1D7FF),
    (0x1F100, 0x1F1FF),
)

_DIGIT_FORMS = {
    # dingbat circled digits and other enclosed forms that NFKC leaves alone or expands
    **{0x2776 + i: str((i + 1) % 10) for i in range(10)},  # ❶..❿ (❿ is ten: read as 0)
    **{0x2780 + i: str((i + 1) % 10) for i in range(10)},  # ➀..➉
    **{0x278A + i: str((i + 1) % 10) for i in range(10)},  # ➊..➓
    **{0x24F5 + i: str((i + 1) % 10) for i in range(10)},  # ⓵..⓾
    **{0x2474 + i: str(i + 1) for i in range(9)},  # ⑴..⑼
    **{0x2488 + i: str(i + 1) for i in range(9)},  # ⒈..⒐
    **{0x1F100 + i: str(max(i - 1, 0)) for i in range(11)},  # 🄀 (0.), 🄁 (0,) .. 🄊 (9,)
    0x24FF: "0",  # ⓿
    0x1F10B: "0",
    0x1F10C: "0",
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u30fc\uff70"


def _fold(ch: str) -> str:
    code = ord(ch)
    if code in _DIGIT_FORMS:
        return _DIGIT_FORMS[code]
    if ch in _DASHES and ch not in "\u30fc\uff70":
        return "-"
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        # parenthesised letters (⒜) read as the letter; other expansions keep the character
        if len(folded) == 3 and folded[0] == "(" and folded[2] == ")" and folded[1].isalnum():
            folded = folded[1]
        else:
            return ch
    folded = folded.lower()
    if len(folded) != 1:
        return ch
    if "\u30a1" <= folded <= "\u30f6":  # katakana to hiragana
        folded = chr(ord(folded) - 0x60)
    return folded


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for low, high in _BLOCKS:
        for code in range(low, high + 1):
            ch = chr(code)
            if 0xD800 <= code <= 0xDFFF:
                continue
            folded = _fold(ch)
            if folded != ch:
                table[code] = folded
    return table


_TABLE = _build_table()
_ASTRAL_FOLDED = "".join(
    f"{chr(low)}-{chr(high)}"
    for low, high in _BLOCKS
    if low > 0xFFFF and any(low <= code <= high for code in _TABLE)
)
# Characters that the single translate of the common path cannot handle.
_ODD = re.compile(f"[{_INVISIBLE}{_VOICE_MARKS}\u2121{_ASTRAL_FOLDED}]")
# What the plane's odd characters translate to on the common path: a noncharacter, so that a
# search of the folded text for it tells whether the slow path is needed.
_ODD_SENTINEL = "\uffff"


def _bmp_table() -> list[int]:
    """_TABLE for the Basic Multilingual Plane as a list indexed by code point.

    str.translate looks a character up in it without the KeyError that a dict raises for every
    unchanged character, and takes the code point it holds without making a string of it (a third
    faster than a string table). Odd characters (see _ODD) translate to _ODD_SENTINEL; those
    beyond the plane that fold (mathematical letters, enclosed digits) are sought only in a text
    that has a character beyond it (see fold).
    """
    table = [ord(_TABLE.get(code, chr(code))) for code in range(0x10000)]
    for odd in _ODD.finditer("".join(map(chr, range(0x10000)))):
        table[ord(odd.group())] = ord(_ODD_SENTINEL)
    return table


_BMP_TABLE = _bmp_table()
_KANA_TABLE = {code: chr(code - 0x60) for code in range(0x30A1, 0x30F7)}


def kana_pattern(pattern: str) -> str:
    """Write a pattern in natural Japanese; match it against the view (katakana read as hiragana)."""
    return pattern.translate(_KANA_TABLE)


_Trie = dict[str, "_Trie"]


def literal_alternation(words: list[str] | set[str] | frozenset[str], *, bare: bool = False) -> str:
    """A regex matching any of ``words``, shaped as a trie so the engine tries few branches.

    Longer words win over their prefixes, as in an alternation sorted longest first. ``bare``
    leaves the first level ungrouped, to be joined to other alternatives that start with a literal:
    when every top-level alternative does, Python's engine skips ahead to the possible first
    characters instead of trying the pattern at every place.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    if bare:
        return "|".join(re.escape(ch) + build(child) for ch, child in sorted(trie.items()))
    return build(trie)


@dataclass(slots=True)
class View:
    """A normalised text with, for each character, the original range it stands for.

    ``starts`` and ``ends`` are ``None`` while the view is the same length as the original and
    each character stands for the original character at the same place. ``marks`` are what the
    sieve saw in the text (see sieve.py); ``None`` when it did not look, and every detector runs.
    """

    text: str
    original: str
    starts: list[int] | None = None
    ends: list[int] | None = None
    marks: frozenset[str] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range covered by view characters ``start`` to ``end`` (exclusive)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]

    def _maps(self) -> tuple[list[int], list[int]]:
        if self.starts is None or self.ends is None:
            return list(range(len(self.text))), list(range(1, len(self.text) + 1))
        return self.starts, self.ends

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> View:
        """Replace each match of ``pattern``; the replacement stands for the whole match.

        When the replacement keeps some characters of the match unchanged at the same place
        (as when spaces are removed), use :meth:`squeeze` instead for exact spans.
        """
        starts, ends = self._maps()
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            begin, finish = match.span()
            out.append(self.text[last:begin])
            new_starts.extend(starts[last:begin])
            new_ends.extend(ends[last:begin])
            replacement = replace(match)
            if replacement and finish > begin:
                out.append(replacement)
                new_starts.extend([starts[begin]] * len(replacement))
                new_ends.extend([ends[finish - 1]] * len(replacement))
            last = finish
        out.append(self.text[last:])
        new_starts.extend(starts[last:])
        new_ends.extend(ends[last:])
        return View("".join(out), self.original, new_starts, new_ends)

    def squeeze(self, pattern: re.Pattern[str], drop: re.Pattern[str]) -> View:
        """Within each match of ``pattern``, drop the characters matching ``drop``."""
        starts, ends = self._maps()
        keep = [True] * len(self.text)
        changed = False
        for match in pattern.finditer(self.text):
            base = match.start()
            for inner in drop.finditer(match.group()):
                for index in range(base + inner.start(), base + inner.end()):
                    keep[index] = False
                    changed = True
        if not changed:
            return self
        text = "".join(ch for ch, kept in zip(self.text, keep, strict=True) if kept)
        new_starts = [s for s, kept in zip(starts, keep, strict=True) if kept]
        new_ends = [e for e, kept in zip(ends, keep, strict=True) if kept]
        return View(text, self.original, new_starts, new_ends)


_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\uff66-\uff9f]")


def inside_katakana_word(view: View, start: int) -> bool:
    """Whether the view's ``start`` is katakana glued to katakana before it in the original.

    The view reads katakana as hiragana, so "らいん" is also the end of "オンライン" and
    "ガイドライン"; the original tells the two apart.
    """
    begin = view.span(start, start + 1)[0]
    original = view.original
    return (
        0 < begin < len(original)
        and _KATAKANA.match(original, begin) is not None
        and _KATAKANA.match(original, begin - 1) is not None
    )


def _slow_fold(text: str) -> View:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    invisible = re.compile(f"[{_INVISIBLE}]")
    for index, ch in enumerate(text):
        if invisible.match(ch):
            continue
        if ch in _VOICE_MARKS and out:
            mark = "\u3099" if ch in "\uff9e\u3099\u309b" else "\u309a"
            composed = unicodedata.normalize("NFC", out[-1] + mark)
            if len(composed) == 1:
                out[-1] = composed
                ends[-1] = index + 1
            continue
        if ch == "\u2121":  # ℡
            out.extend("tel")
            starts.extend([index] * 3)
            ends.extend([index + 1] * 3)
            continue
        out.append(ch.translate(_TABLE))
        starts.append(index)
        ends.append(index + 1)
    return View("".join(out), text, starts, ends)


# Letters spaced apart: four or more single characters with one or two separators between them
# ("l i n e", "g-m-a-i-l", "0 9 0 ..."). The separators are removed from the view.
_SINGLE = r"[a-z0-9@.:/ぁ-ゖー〇一二三四五六七八九]"
_SPACED = re.compile(rf"(?<![a-z0-9])(?:{_SINGLE}[ \t*・_\-]{{1,3}}){{3,}}{_SINGLE}(?![a-z0-9])")
# Without look-arounds, so that the engine skips ahead fast: most messages have no such stretch.
_SPACED_GATE = re.compile(rf"{_SINGLE}(?:[ \t*・_\-]{{1,3}}{_SINGLE}){{3}}")
# Cheaper still, as it starts on a separator: the middle of every such stretch.
_SPACED_HINT = re.compile(rf"[ \t*・_\-]{_SINGLE}[ \t*・_\-]{{1,3}}{_SINGLE}[ \t*・_\-]")
_SPACED_SEPARATOR = re.compile(r"[ \t*・_\-]")
# "★を@に変えて", "☆→@", "replace # with @", "◆は.に置き換え"
_SUBSTITUTION = re.compile(
    kana_pattern(
        r"([^\w\s@.()\[\]「」『』\"'、。]{1,3})\s*[」』\"']?\s*(?:を|は|→|->|=|は半角の|を半角の)\s*[「『\"']?\s*"
        r"(@|\.|あっとまーく|ドット)\s*[」』\"']?\s*(?:に|へ)?\s*"
        r"(?:変|替|かえ|換|置|直|読|して|修正|\))"
        r"|replace\s+[\"']?([^\w\s@.]{1,3})[\"']?\s+(?:with|by)\s+[\"']?(@|\.|at|dot)\b"
        # "(& is @)", "(the ! is an @)", "（♡→@）": the instruction in brackets, without a verb
        r"|\((?:the\s)?([^\w\s@.()]{1,3})\s*(?:is\s(?:an?\s)?|means\s|→|->|=|を|は)\s*(@|\.)\s*(?:に|へ)?\)"
    )
)


# What every match of _SUBSTITUTION holds: the target and the verb after it, or "replace".
_SUBSTITUTION_GATE = re.compile(
    kana_pattern(
        r"(?:@|\.|あっとまーく|ドット)\s*[」』\"']?\s*(?:に|へ)?\s*(?:変|替|かえ|換|置|直|読|して|修正|\))"
    )
)


def _constant(value: str) -> Callable[[re.Match[str]], str]:
    def replace(_match: re.Match[str]) -> str:
        return value

    return replace


def _apply_substitutions(view: View) -> View:
    pairs: list[tuple[str, str]] = []
    for match in _SUBSTITUTION.finditer(view.text):
        symbol = match.group(1) or match.group(3) or match.group(5)
        target = match.group(2) or match.group(4) or match.group(6)
        pairs.append((symbol, "." if target in (".", "どっと", "dot") else "@"))
    for symbol, target in pairs:
        # the instruction itself keeps its symbol: only replace where it sits between letters
        pattern = re.compile(rf"(?<=[a-z0-9_\-.])\s*{re.escape(symbol)}\s*(?=[a-z0-9])")
        view = view.rewrite(pattern, _constant(target))
    return view


# "スペースは詰めてください", "(no spaces)": the writer says the spaces are not part of it
_CLOSE_UP = re.compile(
    kana_pattern(
        r"(?:スペース|空白|すぺーす)(?:は|を)?(?:詰め|つめ|抜|除|取|消|なし|無し)|"
        r"(?:remove|without|no|delete|minus)\s(?:the\s)?spaces?|spaces?\s(?:removed|out)"
    )
)
# A run of three or more short pieces (letters, digits, dots, underscores) with spaces between
# them: "ka ne da . yu ki 0 9". Words of five letters and more break a run, so that ordinary
# English around the instruction ("no spaces between words please") stays as it is.
_PIECES = re.compile(
    r"(?<![a-z0-9._@-])[a-z0-9._@-]{1,4}(?:[ \t]+[a-z0-9._@-]{1,4}){2,}(?![a-z0-9._@-])"
)
_SPACES = re.compile(r"[ \t]+")


# The sieve's marks for the rewrites below: where none is seen, fold() alone gives the view.
REWRITE_MARKS = frozenset(
    {
        SIEVE.mark("spaced", _SPACED),
        SIEVE.mark("substitution", re.compile(f"replace|{_SUBSTITUTION_GATE.pattern}")),
        SIEVE.mark("close_up", _CLOSE_UP),
    }
)


def normalise(text: str) -> View:
    """Fold ``text`` into the view that the detectors read."""
    return rewrite(fold(text))


def fold(text: str) -> View:
    """One character for one: widths, case, kana and digit forms folded, invisible ones dropped."""
    if text.isascii():  # nothing but case to fold (tests/guard/test_normalise.py checks the table)
        return View(text.lower(), text)
    folded = text.translate(_BMP_TABLE)
    if _ODD_SENTINEL in folded or (
        # beyond the plane: UTF-16 takes two units for each such character
        len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text) and _ODD.search(text)
    ):
        return _slow_fold(text)
    return View(folded, text)


def rewrite(view: View) -> View:
    """Letters spaced apart joined, and symbols the writer asked to read as "@" or "." replaced."""
    if (
        _SPACED_HINT.search(view.text)
        and _SPACED_GATE.search(view.text)
        and _SPACED.search(view.text)
    ):
        view = view.squeeze(_SPACED, _SPACED_SEPARATOR)
    if _CLOSE_UP.search(view.text):
        # only the pieces with a letter or digit at each end: "ka ne da . yu ki 0 9"
        view = view.squeeze(_PIECES, _SPACES)
    substituted = "replace" in view.text or _SUBSTITUTION_GATE.search(view.text)
    if substituted and _SUBSTITUTION.search(view.text):
        view = _apply_substitutions(view)
    return view
