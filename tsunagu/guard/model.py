"""A learned second opinion on solicitation: a linear model over hashed character n-grams.

The phrase families and cues in solicitation.py catch the ways of asking to go off the platform
that someone wrote down; people find new ones every day. This model reads a message as the set of
its character n-grams (one to ``order`` characters of the folded text), each hashed into one of
``2**bits`` buckets; the buckets that are features make a unit vector (each counts
1/sqrt(their number), so that long messages are not read as requests for their length alone),
and the score is its product with the weights plus a bias. Above ``threshold`` the message asks
to talk, meet or pay outside the platform, or to work without escrow. It was fitted (logistic
regression) on the labelled cases in ``tests/guard/cases`` by ``tests/guard/train.py``, which
also chose the threshold from messages each fold of the model had not seen. The weights are data
(``solicitation_model.json``).

Where the detectors found nothing, a message above the threshold is solicitation, and the
finding is its sentence that scores highest, so the sender sees which part was read as a request.
Where only solicitation phrases matched, a message scoring below ``veto`` (far below anything the
model gives the requests those phrases catch) is ordinary talk after all: a refusal ("I prefer
not to move to Telegram"), work about an app ("a WhatsApp chatbot"), "outside of the hero
section".

The inner loop is C (``_grams.c``, compiled when the package is installed and called through
ctypes): a message of 80 characters is scored in about a microsecond, against about a hundred in
the Python below, which gives the same sums and is used where no compiler was found.
"""

from __future__ import annotations

import ctypes
import json
import math
import re
import sys
from array import array
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .findings import Hit

__all__ = ["SolicitationModel", "buckets", "find_learned_solicitation", "load"]

PATH = Path(__file__).with_name("solicitation_model.json")
LIBRARY = Path(__file__).with_name("_grams.dll" if sys.platform == "win32" else "_grams.so")

_OFFSET = 0xCBF29CE484222325
_PRIME = 0x100000001B3
_MIX = 0xBF58476D1CE4E5B9
_M64 = (1 << 64) - 1


def _finish(state: int, n: int) -> int:
    h = state ^ (n << 59)
    h ^= h >> 29
    h = (h * _MIX) & _M64
    return h ^ (h >> 32)


def buckets(text: str, order: int, bits: int) -> list[int]:
    """The distinct buckets of ``text``'s n-grams, in the order the C loop meets them."""
    mask = (1 << bits) - 1
    points = list(map(ord, text))
    length = len(points)
    seen: dict[int, None] = {}
    for i in range(length):
        state = _OFFSET
        for n in range(1, min(order, length - i) + 1):
            state = ((state ^ points[i + n - 1]) * _PRIME) & _M64
            seen[_finish(state, n) & mask] = None
    return list(seen)


class _Model(ctypes.Structure):
    """``tsunagu_model`` in _grams.c."""

    _fields_ = [
        ("table", ctypes.c_void_p),
        ("mask", ctypes.c_uint64),
        ("order", ctypes.c_int),
    ]


def _kernel() -> ctypes.CDLL | None:
    try:
        library = ctypes.CDLL(str(LIBRARY))
    except OSError:
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
    # below this, phrases that matched are overruled (see engine.py)
    veto: float = float("-inf")
    compiled: bool = True
    _table: array[float] = field(init=False, repr=False)
    _model: _Model = field(init=False, repr=False)
    _pointer: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = array("f", bytes(4 << self.bits))
        for bucket, weight in self.weights.items():
            table[bucket] = weight
        self._table = table  # kept alive as long as the structure that points into it
        self._model = _Model(table.buffer_info()[0], (1 << self.bits) - 1, self.order)
        self._pointer = ctypes.pointer(self._model)
        # the Python loop adds the same float32 values as the C one
        self.weights = {bucket: table[bucket] for bucket in self.weights}

    def score(self, text: str) -> float:
        """The model's log-odds that ``text`` (folded) is solicitation."""
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
            for bucket in buckets(text, self.order, self.bits):
                weight = weights.get(bucket, 0.0)
                if weight != 0.0:
                    total += weight
                    known += 1
        # the features are a unit vector: each of the ``known`` buckets counts 1/sqrt(known)
        return self.bias + (total / math.sqrt(known) if known else 0.0)

    def solicits(self, text: str) -> bool:
        return self.score(text) > self.threshold


@cache
def load(path: Path = PATH) -> SolicitationModel:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return SolicitationModel(
        order=int(data["order"]),
        bits=int(data["bits"]),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        weights={int(bucket): float(weight) for bucket, weight in data["weights"].items()},
        veto=float(data["veto"]),
    )


# A sentence ends at 。！？!? or a line break, or at a dot before a space.
_SENTENCE = re.compile(r"[^。！!？?\n]*?(?:[。！!？?\n]+|\.\s+|$)")
_KIND_WORDS = (
    (
        "solicit_no_escrow",
        re.compile(r"仮払|かりばらい|エスクロー|escrow|milestone|マイルストーン|契約|contract"),
    ),
    (
        "solicit_payment",
        re.compile(
            r"払|振込|振り込|送金|入金|口座|手数料|請求|決済|"
            r"\b(?:pay|fee|invoice|bank|transfer|cash|crypto|usdt|wise\b)"
        ),
    ),
)


def _kind(sentence: str) -> str:
    for kind, words in _KIND_WORDS:
        if words.search(sentence):
            return kind
    return "solicit_contact"


def find_learned_solicitation(text: str, model: SolicitationModel | None = None) -> list[Hit]:
    """The sentence of a folded ``text`` read as solicitation, if the whole message is."""
    model = model or load()
    if not text or not model.solicits(text):
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
        score = model.score(text[start:end])
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return []
    _score, start, end = best
    return [(_kind(text[start:end]), start, end)]
