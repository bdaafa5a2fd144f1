"""A learned second opinion on solicitation: a linear model over hashed character n-grams.

The phrase families and cues in solicitation.py catch the ways of asking to go off the platform
that someone wrote down; people find new ones every day. This model reads a message as the set
of its character n-grams (``shortest`` to ``order`` characters of the folded text), each hashed
into one of ``2**bits`` buckets, together with its *cues*: kinds of words it holds and the kinds
that go together (see below). The features make a unit vector (each counts 1/sqrt(their number),
so that long messages are not read as requests for their length alone), and the score is its
product with the weights plus a bias. Above ``threshold`` the message asks to talk, meet or pay
outside the platform, or to work without escrow. It was fitted (logistic regression) on the
labelled cases in ``tests/guard/cases`` by ``tests/guard/train.py``, which also chose the
threshold from messages each fold of the model had not seen. The weights are data
(``solicitation_model.json``).

Where the detectors found nothing, a message above the threshold is solicitation, and the
finding is its sentence that scores highest, so the sender sees which part was read as a request.
Where only solicitation phrases matched, a message scoring below ``veto`` (far below anything the
model gives the requests those phrases catch) is ordinary talk after all: a refusal ("I prefer
not to move to Telegram"), work about an app ("a WhatsApp chatbot"), "outside of the hero
section".

The inner loop is C (``_grams.c``, compiled when the package is installed and called through
ctypes): a message of 80 characters is scored in a few microseconds, against over a hundred in
the Python below, which gives the same sums and is used where no compiler was found, or where
the library is not the ABI and the source this module expects (a stale build: it says so).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import math
import re
import sys
from array import array
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .findings import Hit
from .lexicon.cues import CUE_WORDS, TOGETHER
from .normalise import kana_pattern, literal_alternation
from .sieve import SIEVE

__all__ = [
    "CUE_NAMES",
    "SolicitationModel",
    "buckets",
    "cue_words",
    "cues",
    "find_learned_solicitation",
    "load",
    "model_of",
]

PATH = Path(__file__).with_name("solicitation_model.json")
SOURCE = Path(__file__).with_name("_grams.c")
LIBRARY = Path(__file__).with_name("_grams.dll" if sys.platform == "win32" else "_grams.so")
# tsunagu_grams_abi() of the library this module calls: bump it with TSUNAGU_GRAMS_ABI in _grams.c
ABI = 1
_log = logging.getLogger(__name__)

# --- cues: kinds of words, and the kinds that ask for something together ---------------------
#
# Character n-grams see words, not how they go together: "仮払い" and "先に" and "始めて" are each
# ordinary, together they ask to work before the escrow is funded. Each cue below is the
# presence of a kind of word in the message (the words are in lexicon/cues.py); the model also
# gets the combinations listed in TOGETHER, and learns a weight for each like for any n-gram.


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(literal_alternation({kana_pattern(word) for word in words}))


_CUE_WORDS: dict[str, re.Pattern[str]] = {name: _words(words) for name, words in CUE_WORDS.items()}
_TOGETHER = TOGETHER
CUE_NAMES = (*_CUE_WORDS, *("+".join(kinds) for kinds in _TOGETHER))
# The sieve's first look finds the kinds of words along with everything else, in the pass it
# makes anyway (fourteen searches in Python would cost more than the n-grams); the patterns are
# plain alternations of words, so RE2 and Python find the same.
_CUE_MARKS = {SIEVE.mark(f"cue:{name}", words): name for name, words in _CUE_WORDS.items()}


_CUE_MARK_SET = frozenset(_CUE_MARKS)
_MARK_OF_CUE = {name: mark for mark, name in _CUE_MARKS.items()}


def cue_words(text: str, marks: frozenset[str] | None = None) -> frozenset[str]:
    """The kinds of words a folded text holds; ``marks`` are the sieve's for the same text."""
    if marks is None:  # no first look at this text
        return frozenset(name for name, words in _CUE_WORDS.items() if words.search(text))
    return frozenset(_CUE_MARKS[mark] for mark in marks & _CUE_MARK_SET)


def _cues_of(present: frozenset[str]) -> list[str]:
    together = ["+".join(kinds) for kinds in _TOGETHER if present.issuperset(kinds)]
    return [name for name in _CUE_WORDS if name in present] + together


def cues(text: str, marks: frozenset[str] | None = None) -> list[str]:
    """The cues a folded text holds, in the order of CUE_NAMES."""
    return _cues_of(cue_words(text, marks))


_OFFSET = 0xCBF29CE484222325
_PRIME = 0x100000001B3
_MIX = 0xBF58476D1CE4E5B9
_M64 = (1 << 64) - 1


def _finish(state: int, n: int) -> int:
    h = state ^ (n << 59)
    h ^= h >> 29
    h = (h * _MIX) & _M64
    return h ^ (h >> 32)


def buckets(text: str, order: int, bits: int, shortest: int = 1) -> list[int]:
    """The distinct buckets of ``text``'s n-grams (``shortest`` to ``order`` characters long),
    in the order the C loop meets them."""
    mask = (1 << bits) - 1
    points = list(map(ord, text))
    length = len(points)
    seen: dict[int, None] = {}
    for i in range(length):
        state = _OFFSET
        for n in range(1, min(order, length - i) + 1):
            state = ((state ^ points[i + n - 1]) * _PRIME) & _M64
            if n >= shortest:
                seen[_finish(state, n) & mask] = None
    return list(seen)


class _Model(ctypes.Structure):
    """``tsunagu_model`` in _grams.c."""

    _fields_ = [
        ("table", ctypes.c_void_p),
        ("mask", ctypes.c_uint64),
        ("order", ctypes.c_int),
        ("shortest", ctypes.c_int),
    ]


def source_hash(source: Path = SOURCE) -> str | None:
    """The SHA-256 of _grams.c in hex, which the build compiles into the library; None when the
    source is not installed beside it."""
    try:
        return hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return None


def _kernel(library_path: Path = LIBRARY, source: Path = SOURCE) -> ctypes.CDLL | None:
    """The compiled loop, or None (the Python one is used) when there is none or it is not the
    one this module was written for: another ABI, or built from another _grams.c."""
    try:
        library = ctypes.CDLL(str(library_path))
    except OSError:
        return None
    rebuild = "rebuild it (uv sync --reinstall-package tsunagu); scoring in Python meanwhile"
    try:
        library.tsunagu_grams_abi.restype = ctypes.c_int
        library.tsunagu_grams_source.restype = ctypes.c_char_p
        abi = int(library.tsunagu_grams_abi())
        built_from = (library.tsunagu_grams_source() or b"").decode("ascii", "replace")
    except AttributeError:
        _log.warning("%s predates the ABI check: %s", library_path, rebuild)
        return None
    if abi != ABI:
        _log.warning("%s has ABI %d, not %d: %s", library_path, abi, ABI, rebuild)
        return None
    expected = source_hash(source)
    if expected is not None and built_from != expected:
        _log.warning(
            "%s was built from another %s (%s, not %s): %s",
            library_path,
            source.name,
            built_from[:12] or "no hash",
            expected[:12],
            rebuild,
        )
        return None
    library.tsunagu_score.restype = ctypes.c_double
    library.tsunagu_score.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.POINTER(_Model),
        ctypes.POINTER(ctypes.c_size_t),
    ]
    return library


KERNEL = _kernel()


@dataclass
class SolicitationModel:
    order: int
    bits: int
    bias: float
    threshold: float
    weights: dict[int, float]
    # the shortest n-gram read
    shortest: int = 1
    # the weight of each cue (see cues()); a cue without one is not a feature
    cue_weights: dict[str, float] = field(default_factory=dict)
    # below this, phrases that matched are overruled (see engine.py)
    veto: float = float("-inf")
    compiled: bool = True
    _table: array[float] = field(init=False, repr=False)
    # what each set of kinds of words adds, by their marks (see _CUE_MARKS): (sum of weights,
    # number of features)
    _by_marks: dict[frozenset[str], tuple[float, int]] = field(init=False, repr=False)
    _model: _Model = field(init=False, repr=False)
    _pointer: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = array("f", bytes(4 << self.bits))
        for bucket, weight in self.weights.items():
            table[bucket] = weight
        self._table = table  # kept alive as long as the structure that points into it
        self._by_marks = {}
        self._model = _Model(
            table.buffer_info()[0], (1 << self.bits) - 1, self.order, self.shortest
        )
        self._pointer = ctypes.pointer(self._model)
        # the Python loop adds the same float32 values as the C one
        self.weights = {bucket: table[bucket] for bucket in self.weights}

    def score(
        self, text: str, marks: frozenset[str] | None = None, *, with_cues: bool = True
    ) -> float:
        """The model's log-odds that ``text`` (folded) is solicitation.

        ``marks`` are what the sieve saw in the same text, when it looked (see sieve.py);
        ``with_cues=False`` leaves the cues out (to rank a message's sentences cheaply).
        """
        if self.compiled and KERNEL is not None:
            data = text.encode("utf-32-le", "surrogatepass")
            count = ctypes.c_size_t()  # one per call: threads score at the same time
            total = KERNEL.tsunagu_score(data, len(text), self._pointer, ctypes.byref(count))
            if total != total:  # NaN: the loop found no memory for a very long text
                raise MemoryError("no memory to score a message")
            known = count.value
        else:
            weights = self.weights
            total = 0.0
            known = 0
            for bucket in buckets(text, self.order, self.bits, self.shortest):
                weight = weights.get(bucket, 0.0)
                if weight != 0.0:
                    total += weight
                    known += 1
        if with_cues:
            if marks is None:  # no first look: the kinds of words Python finds, by their marks
                marks = frozenset(_MARK_OF_CUE[name] for name in cue_words(text))
            added, counted = self._cue_part(marks & _CUE_MARK_SET)
            total += added
            known += counted
        # the features are a unit vector: each of the ``known`` features counts 1/sqrt(known)
        return self.bias + (total / math.sqrt(known) if known else 0.0)

    def _cue_part(self, marks: frozenset[str]) -> tuple[float, int]:
        """What the kinds of words whose marks are ``marks`` add to the score."""
        part = self._by_marks.get(marks)
        if part is None:
            present = frozenset(_CUE_MARKS[mark] for mark in marks)
            weights = [self.cue_weights.get(cue, 0.0) for cue in _cues_of(present)]
            part = (sum(w for w in weights if w != 0.0), sum(1 for w in weights if w != 0.0))
            if len(self._by_marks) < 1 << 14:  # 14 kinds of words: every set fits
                self._by_marks[marks] = part
        return part

    def solicits(self, text: str, marks: frozenset[str] | None = None) -> bool:
        return self.score(text, marks) > self.threshold


@cache
def load(path: Path = PATH) -> SolicitationModel:
    with path.open(encoding="utf-8") as handle:
        return model_of(json.load(handle))


def model_of(data: dict[str, Any]) -> SolicitationModel:
    """The model that ``data`` (solicitation_model.json's contents) describes."""
    return SolicitationModel(
        order=int(data["order"]),
        bits=int(data["bits"]),
        shortest=int(data.get("shortest", 1)),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        weights={int(bucket): float(weight) for bucket, weight in data["weights"].items()},
        cue_weights={
            name: float(array("f", [float(weight)])[0])  # as float32, like the buckets
            for name, weight in data.get("cues", {}).items()
        },
        veto=float(data["veto"]),
    )


# A sentence ends at 。！？!? or a line break, or at a dot before a space.
_SENTENCE = re.compile(r"[^。！!？?\n]*?(?:[。！!？?\n]+|\.\s+|$)")


def _kind(sentence: str) -> str:
    """Which request a sentence makes, by the kinds of words in it (see _CUE_WORDS)."""
    if _CUE_WORDS["escrow"].search(sentence):
        return "solicit_no_escrow"
    if _CUE_WORDS["money"].search(sentence):
        return "solicit_payment"
    return "solicit_contact"


def find_learned_solicitation(
    text: str, model: SolicitationModel | None = None, marks: frozenset[str] | None = None
) -> list[Hit]:
    """The sentence of a folded ``text`` read as solicitation, if the whole message is."""
    model = model or load()
    if not text or not model.solicits(text, marks):
        return []
    best: tuple[float, int, int] | None = None
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        # the n-grams alone rank the sentences: finding the cues in each would cost more
        score = model.score(text[start:end], with_cues=False)
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return []
    _score, start, end = best
    return [(_kind(text[start:end]), start, end)]
