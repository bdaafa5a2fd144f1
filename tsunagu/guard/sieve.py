"""A first look at a message with every detector's pattern at once.

Each detector registers the patterns that every one of its findings must match somewhere in the
view (its *marks*). Before the detectors run, the engine asks the sieve which marks the view holds;
a detector whose marks are all absent is skipped, and the solicitation families run only where
their own pattern may match. Most messages hold one or two marks, so most of the work of Python's
regular-expression engine is never started.

The first look is made with RE2's ``Set``, which matches every mark in one pass over the text
with one automaton (see Sieve). RE2 has no look-arounds and reads some escapes differently, so
each mark is translated on the way (look-arounds and word boundaries dropped, bounded repeats
left open, ``\\s`` spelt out as Python reads it), and its gaps are left out ("anything up to the
end of the sentence" between two phrases; see without_gaps): it may report a mark that the
detector then does not find, but never misses one that it would find. Skipping is only ever an
optimisation: without RE2 (a platform without a wheel), with the sieve turned off, or for a text
it does not look at (very long, or not encodable as UTF-8), every detector runs, and the
findings are the same (tests/guard/test_sieve.py checks this on the cases, their disguised
variants and random text).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

try:  # pragma: no cover - the import succeeds or not depending on the platform
    import re2 as _re2
except ImportError:  # pragma: no cover
    _re2 = None

re2: Any = _re2

__all__ = ["SIEVE", "Sieve", "python_to_re2"]

# Python's \s in a str pattern is exactly str.isspace(); RE2's \s is ASCII only.
_WHITESPACE = (
    r"\t-\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
_BOUNDED = re.compile(r"\{(\d+),(\d+)\}\??")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
# Longer texts go to the detectors directly: they are rare, and the automaton's memory stays small.
LONGEST = 4000
# RE2 builds each automaton's states lazily within this budget. When it fills, RE2 starts the
# cache again: slower, never wrong (tests/guard/test_sieve.py runs the sieve on 2 MB); a budget
# too small for the automaton at all fails when the set is compiled, not silently later.
_MEMORY = 64 << 20


def python_to_re2(source: str) -> str:
    """An RE2 pattern that matches wherever the Python pattern ``source`` matches.

    ``\\s`` is written out as Python's whitespace; ``\\w`` becomes "not whitespace" (wider
    than a word character); ``\\b`` is dropped; ``{m,n}`` becomes ``{m,}``. Each change can
    only widen what the pattern matches. A look-ahead that ends a top-level alternative, or a
    look-behind that starts one, becomes part of the match, which keeps whether the pattern
    matches somewhere unchanged; other look-arounds, which RE2 does not have, are dropped. Named
    groups become plain groups. Any other letter escape, and ``\\w`` inside a class (where
    widening it could narrow a negated class), is refused rather than guessed.
    """
    out: list[str] = []
    index = 0
    depth = 0
    in_class = False
    while index < len(source):
        ch = source[index]
        if ch == "\\":
            escaped = source[index + 1]
            if escaped == "s":
                out.append(_WHITESPACE if in_class else f"[{_WHITESPACE}]")
            elif escaped == "w" and not in_class:
                out.append(f"[^{_WHITESPACE}]")
            elif escaped == "b" and not in_class:
                pass
            elif escaped.isalpha() and escaped not in "tnrfvx":
                raise ValueError(f"escape \\{escaped} has no known RE2 reading")
            else:
                out.append(source[index : index + 2])
            index += 2
            continue
        if in_class:
            # a "]" right after "[" or "[^" is a literal in Python
            if ch == "]" and out[-1] not in ("[", "[^"):
                in_class = False
        elif ch == "[":
            in_class = True
            if source.startswith("[^", index):
                out.append("[^")
                index += 2
                continue
        elif ch == "(":
            if depth == 0 and source.startswith("(?=", index):
                close = _group_end(source, index)
                if close + 1 == len(source) or source[close + 1] == "|":
                    out.append("(?:")
                    index += 3
                    depth += 1
                    continue
            if depth == 0 and source.startswith("(?<=", index) and (not out or out[-1] == "|"):
                out.append("(?:")
                index += 4
                depth += 1
                continue
            if source.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
                index = _group_end(source, index) + 1  # an assertion dropped: a wider pattern
                continue
            named = _NAMED_GROUP.match(source, index)
            if named is not None:  # captures mean nothing to a first look
                out.append("(?:")
                index = named.end()
                depth += 1
                continue
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "{":
            bounded = _BOUNDED.match(source, index)
            if bounded is not None:
                low = bounded.group(1)
                out.append("*" if low == "0" else "{" + low + ",}")
                index = bounded.end()
                continue
        out.append(ch)
        index += 1
    return "".join(out)


def _group_end(source: str, start: int) -> int:
    """The index of the ")" closing the group opened at ``source[start]``."""
    depth = 0
    index = start
    while index < len(source):
        ch = source[index]
        if ch == "\\":
            index += 2
            continue
        if ch == "[":
            index += 1
            if source.startswith("^", index):
                index += 1
            if source.startswith("]", index):  # a literal "]" first in a class
                index += 1
            while source[index] != "]":
                index += 2 if source[index] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced group at {start}")


# --- gaps: what makes an automaton of many marks large ------------------------------------------
#
# A mark such as "連絡先[^。]*教えて" keeps a thread alive from "連絡先" to the end of the sentence;
# with dozens of such marks in one automaton, every combination of live threads is a state of its
# own, and each new text builds new ones (measured: the Japanese phrases' automaton cost ten times
# as much per text with its fifteen marks with gaps as without them). A first look does not need
# the gap: every text that holds "連絡先[^。]*教えて" holds "連絡先" and "教えて". without_gaps cuts
# each alternative into its pieces between gaps; the sieve sees the mark where it sees every piece
# of one alternative, anywhere and in any order, and so only ever widens.


_REPEAT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def _quantifier(source: str, index: int) -> tuple[str, int, int | None, int]:
    """The quantifier at ``source[index]`` (text, least and most repeats, end), or none."""
    if index >= len(source):
        return "", 1, 1, index
    ch = source[index]
    if ch in "*+?":
        low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        end = index + 1
    elif (repeat := _REPEAT.match(source, index)) is not None:
        low = int(repeat.group(1))
        high = (
            low if repeat.group(2) is None else (int(repeat.group(2)) if repeat.group(2) else None)
        )
        end = repeat.end()
    else:  # a "{" that starts no repeat is a character, as in RE2
        return "", 1, 1, index
    if end < len(source) and source[end] == "?":  # lazy: the same strings
        end += 1
    return source[index:end], low, high, end


class _Item:
    """One atom of an RE2 pattern with its quantifier: a character, class, dot, anchor or group."""

    __slots__ = ("alternatives", "broad", "high", "low", "quantifier", "text")

    def __init__(
        self, text: str, *, broad: bool = False, alternatives: list[list[_Item]] | None = None
    ) -> None:
        self.text = text  # a group's opening, "(?:" or "(", for a group
        self.broad = broad  # matches nearly any character: a dot, a negated class
        self.alternatives = alternatives
        self.quantifier = ""
        self.low = 1
        self.high: int | None = 1  # None: unbounded

    @property
    def gap(self) -> bool:
        """An unbounded repeat of something that matches nearly anything."""
        return self.high is None and self.starts_broad

    @property
    def starts_broad(self) -> bool:
        if self.alternatives is None:
            return self.broad
        return any(alt and alt[0].starts_broad for alt in self.alternatives)

    def render(self) -> str:
        if self.alternatives is None:
            return self.text + self.quantifier
        inner = "|".join(_render(alt) for alt in self.alternatives)
        return f"{self.text}{inner}){self.quantifier}"

    def shortest(self) -> int:
        if self.alternatives is None:
            one = 0 if self.text in ("^", "$") else 1
        else:
            one = min(_shortest(alt) for alt in self.alternatives)
        return one * self.low


def _render(items: list[_Item]) -> str:
    return "".join(item.render() for item in items)


def _shortest(items: list[_Item]) -> int:
    return sum(item.shortest() for item in items)


def _parse(source: str, index: int = 0) -> tuple[list[list[_Item]], int]:
    """The alternatives of ``source`` from ``index`` to the ")" closing them (or the end)."""
    alternatives: list[list[_Item]] = [[]]
    while index < len(source):
        ch = source[index]
        if ch == ")":
            return alternatives, index + 1
        if ch == "|":
            alternatives.append([])
            index += 1
            continue
        if ch == "(":
            opening = "(?:" if source.startswith("(?:", index) else "("
            inner, index = _parse(source, index + len(opening))
            item = _Item(opening, alternatives=inner)
        elif ch == "[":
            end = index + 1
            if source.startswith("^", end):
                end += 1
            if source.startswith("]", end):  # a "]" first in a class is a literal
                end += 1
            while source[end] != "]":
                end += _escape_length(source, end) if source[end] == "\\" else 1
            item = _Item(source[index : end + 1], broad=source.startswith("[^", index))
            index = end + 1
        elif ch == "\\":
            length = _escape_length(source, index)
            item = _Item(source[index : index + length])
            index += length
        else:
            item = _Item(ch, broad=ch == ".")
            index += 1
        item.quantifier, item.low, item.high, index = _quantifier(source, index)
        alternatives[-1].append(item)
    return alternatives, index


def _escape_length(source: str, index: int) -> int:
    """The length of the escape at ``source[index]``: ``\\x{3000}``, ``\\x41`` or ``\\.``."""
    if source.startswith("\\x{", index):
        return source.index("}", index) - index + 1
    if source.startswith("\\x", index):
        return 4
    return 2


def _has_gap(items: list[_Item]) -> bool:
    return any(
        item.gap
        or (item.alternatives is not None and any(_has_gap(alt) for alt in item.alternatives))
        for item in items
    )


def _prefix(items: list[_Item]) -> list[_Item]:
    """The items up to the first gap at any depth: every match of ``items`` starts with a match
    of them. A group holding a gap keeps its alternatives' prefixes and ends the prefix, once."""
    kept: list[_Item] = []
    for item in items:
        if item.gap:
            break
        if item.alternatives is not None and _has_gap([item]):
            group = _Item(item.text, alternatives=[_prefix(alt) for alt in item.alternatives])
            if item.low == 0:
                group.quantifier, group.low, group.high = "?", 0, 1
            kept.append(group)
            break
        kept.append(item)
    return kept


def _pieces(items: list[_Item]) -> list[str]:
    """The pieces between ``items``' gaps, each cut at a gap inside it (see _prefix), leaving
    out those that match an empty string (found in every text)."""
    pieces: list[list[_Item]] = [[]]
    for item in items:
        if item.gap:
            pieces.append([])
        else:
            pieces[-1].append(item)
    kept: list[str] = []
    for piece in pieces:
        cut = _prefix(piece)
        if _shortest(cut) > 0 and _render(cut) not in kept:
            kept.append(_render(cut))
    return kept


def without_gaps(pattern: str) -> list[list[str]]:
    """``pattern`` (as python_to_re2 writes it) as alternatives of pieces without gaps (unbounded
    repeats of a dot or a negated class): a text where ``pattern`` is found holds every piece of
    one alternative at least (see the note above). Alternatives without gaps make one piece."""
    alternatives, _end = _parse(pattern)
    if not any(_has_gap(alt) for alt in alternatives):
        return [[pattern]]
    whole = [_render(alt) for alt in alternatives if not _has_gap(alt)]
    out = [["|".join(whole)]] if whole else []
    for alt in alternatives:
        if _has_gap(alt):
            out.append(_pieces(alt) or [""])  # nothing asked for: found in every text
    return out


# The compiled marks: the set's match (UTF-8 text to the indices of the pieces seen in it); for
# each piece, the marks it shows on its own, and the marks it shows together with others (each
# with all the pieces it needs).
_Compiled = tuple[
    Callable[[bytes], list[int]],
    list[list[str]],
    list[list[tuple[str, frozenset[int]]]],
]


def _matcher(compiled: Any) -> Callable[[bytes], list[int]]:
    """The compiled ``re2.Set``'s match: the inner set's own where the wrapper holds one (the
    wrapper adds a Python call for every text and turns no match into None)."""
    inner = getattr(compiled, "_set", None)
    if inner is not None and callable(getattr(inner, "Match", None)):
        match: Callable[[bytes], list[int]] = inner.Match
        return match
    return lambda data: compiled.Match(data) or []


class Sieve:
    """Marks registered by the detectors, looked for in one pass over the text.

    RE2 matches the marks with one automaton, built lazily, state by state, as texts call for
    them. Without their gaps (see without_gaps) the marks make few states, and one automaton is
    faster than several, each another pass over the text (measured: one against three, 5%).
    """

    def __init__(self) -> None:
        self._marks: dict[str, str] = {}
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()
        self.enabled = re2 is not None

    def mark(self, name: str, pattern: re.Pattern[str]) -> str:
        """Register ``pattern`` under ``name``; every finding of its detector matches it."""
        if self._compiled is not None:
            raise RuntimeError("marks are registered when the detectors are imported")
        self._marks[name] = python_to_re2(pattern.pattern)
        return name

    @property
    def marks(self) -> dict[str, str]:
        return dict(self._marks)

    def look(self, text: str) -> frozenset[str] | None:
        """The marks ``text`` may hold, or None when there was no first look (run everything)."""
        if not self.enabled or len(text) > LONGEST:
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: RE2 reads only valid UTF-8
            return None
        match, alone, together = self._compiled or self._compile()
        found = match(data)
        seen: list[str] = []
        present: set[int] | None = None
        for index in found:
            seen += alone[index]
            for name, pieces in together[index]:
                present = set(found) if present is None else present
                if pieces <= present:
                    seen.append(name)
        return frozenset(seen)

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        """Run every detector on every message, as on a platform without RE2."""
        before = self.enabled
        self.enabled = False
        try:
            yield
        finally:
            self.enabled = before

    def _compile(self) -> _Compiled:
        with self._lock:
            if self._compiled is None:
                options = re2.Options()
                options.max_mem = _MEMORY
                marks = re2.Set.SearchSet(options)
                pieces: dict[str, int] = {}  # each piece's index in the set
                alone: list[list[str]] = []
                together: list[list[tuple[str, frozenset[int]]]] = []
                for name in sorted(self._marks):
                    for alternative in without_gaps(self._marks[name]):
                        indices = []
                        for piece in alternative:
                            if piece not in pieces:
                                pieces[piece] = marks.Add(piece)
                                alone.append([])
                                together.append([])
                            indices.append(pieces[piece])
                        if len(indices) == 1:
                            alone[indices[0]].append(name)
                        else:
                            needed = frozenset(indices)
                            for index in indices:
                                together[index].append((name, needed))
                marks.Compile()
                self._compiled = (_matcher(marks), alone, together)
            return self._compiled


SIEVE = Sieve()
