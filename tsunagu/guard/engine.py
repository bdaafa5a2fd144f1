"""The contact guard: scan one message, or a message in the light of the sender's last ones.

>>> scan("連絡は taro@gmail.com まで").verdict
'contact'

Spans are offsets in the original text (``text[start:end] == finding.text``). Contact details
outrank solicitation, which outranks nothing ("contact" > "solicit" > "clean").

Postal codes and street addresses are not reported on their own: sending samples or documents
by post is ordinary business talk. Combined with a request to meet or deal outside the platform,
the request itself is reported as solicitation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence

from . import phones, pointers, solicitation
from .contacts import DETECTORS_BY_MARK, find_contacts
from .findings import CONTACT_KINDS, Finding, Hit, ScanResult, verdict_of
from .model import find_learned_solicitation
from .model import load as load_model
from .normalise import REWRITE_MARKS, View, fold, rewrite
from .phones import find_phones
from .sieve import SIEVE
from .solicitation import find_solicitation

__all__ = ["ConversationScanner", "scan", "scan_with_context"]

# How much of the sender's earlier messages is read with a new one: a number or address split
# over messages comes in short pieces, one after the other.
HISTORY_MESSAGES = 4
HISTORY_CHARS = 200
_JOIN = "\n"
_GLUE = (".", "@", "．", "＠")


_DETECTORS_BY_MARK = (*DETECTORS_BY_MARK, *pointers.DETECTORS_BY_MARK, (phones.MARK, find_phones))


def _hits(view: View) -> list[Hit]:
    marks = view.marks
    if marks is None:
        return [
            *find_contacts(view),
            *(hit for _mark, detector in pointers.DETECTORS_BY_MARK for hit in detector(view)),
            *find_phones(view),
            *find_solicitation(view),
        ]
    hits: list[Hit] = []
    if marks:
        for mark, detector in _DETECTORS_BY_MARK:
            if mark in marks:
                hits += detector(view)
        if not marks.isdisjoint(solicitation.MARKS):
            hits += find_solicitation(view)
    return hits


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Drop duplicates and hits inside a longer contact hit; keep solicitation beside contacts."""
    # the kind last in the key: of two hits on the same span, the same one is kept in every process
    ordered = sorted(
        set(hits), key=lambda h: (h[1], -(h[2] - h[1]), h[0] not in CONTACT_KINDS, h[0])
    )
    kept: list[Hit] = []
    reach = {True: -1, False: -1}  # furthest end of a kept hit, for contacts and the rest
    for hit in ordered:
        kind, _start, end = hit
        contact = kind in CONTACT_KINDS
        # every kept hit starts at or before this one, so it is covered when one reaches its end
        if end > reach[contact]:
            kept.append(hit)
            reach[contact] = end
    return kept


def _findings(text: str, *, learned: bool = True) -> list[Finding]:
    """What the detectors find in ``text``.

    With ``learned``, the solicitation model (model.py) has a say: it reports a request the
    phrases missed, and overrules phrases that matched in a message it reads as ordinary talk
    (a refusal, work about an app). Contact details are never overruled.
    """
    view = folded = fold(text)
    marks = folded_marks = SIEVE.look(view.text)
    if marks is None or not marks.isdisjoint(REWRITE_MARKS):
        rewritten = rewrite(view)
        if rewritten is not view:
            view = rewritten
            marks = SIEVE.look(view.text)
    view.marks = marks
    hits = _hits(view)
    if learned:
        if not hits:
            view = folded
            hits = find_learned_solicitation(view.text, marks=folded_marks)
        elif not any(kind in CONTACT_KINDS for kind, _start, _end in hits):
            model = load_model()
            if model.score(folded.text, folded_marks) < model.veto:
                hits = []  # the phrases matched, but the message reads nothing like a request
    if not hits:
        return []
    findings: list[Finding] = []
    for kind, start, end in _resolve(hits):
        begin, finish = view.span(start, end)
        if finish > begin:
            findings.append(Finding(kind, begin, finish, text[begin:finish]))
    return findings


_CLEAN = ScanResult("clean", ())


def _result(findings: list[Finding]) -> ScanResult:
    if not findings:
        return _CLEAN
    if len(findings) == 1:
        ordered: tuple[Finding, ...] = (findings[0],)
    else:
        # a finding's text follows from its span, so (start, end, kind) tells findings apart
        distinct = {(f.start, f.end, f.kind): f for f in findings}
        ordered = tuple(distinct[key] for key in sorted(distinct))
    return ScanResult(verdict_of(ordered), ordered)


def scan(text: str, *, learned: bool = True) -> ScanResult:
    """Scan one message on its own; ``learned=False`` leaves the model out (rules alone)."""
    return _result(_findings(text, learned=learned))


def scan_with_context(text: str, previous_texts: Sequence[str]) -> ScanResult:
    """Scan ``text`` as the latest of the sender's messages in a room.

    ``previous_texts`` are the same sender's earlier messages in the same room, oldest first.
    A finding that begins in them and ends in ``text`` is reported in ``text``, its span cut to
    the part in ``text``; findings wholly inside earlier messages were reported with them.
    """
    own = _findings(text)
    tails = [previous[-HISTORY_CHARS:] for previous in previous_texts[-HISTORY_MESSAGES:]]
    if not tails or not text:
        return _result(own)
    combined = tails[0]
    for piece in [*tails[1:], text]:
        # "kumo-design" + ".jp": a piece that starts or ends at a dot or "@" joins without a break
        glued = combined.endswith(_GLUE) or piece.startswith(_GLUE)
        combined += ("" if glued else _JOIN) + piece
    offset = len(combined) - len(text)
    across: list[Finding] = []
    # the model read each message on its own; here only details split over messages are sought
    for finding in _findings(combined, learned=False):
        if finding.end > offset and finding.start < offset:
            start, end = 0, finding.end - offset
            across.append(Finding(finding.kind, start, end, text[start:end]))
    if across:
        # a piece that completes a split detail replaces a shorter own finding at its place
        own = [
            f
            for f in own
            if not any(a.start <= f.start and f.end <= a.end and a.kind == f.kind for a in across)
        ]
    return _result([*own, *across])


class ConversationScanner:
    """Scan messages as they come, remembering each sender's last messages in each room."""

    def __init__(self, *, history: int = HISTORY_MESSAGES) -> None:
        self._history = history
        self._rooms: dict[Hashable, deque[str]] = {}

    def scan(self, text: str, *, room: Hashable = None, sender: Hashable = None) -> ScanResult:
        if room is None and sender is None:
            return scan(text)
        key = (room, sender)
        previous = self._rooms.setdefault(key, deque(maxlen=self._history))
        result = scan_with_context(text, list(previous))
        previous.append(text)
        return result
