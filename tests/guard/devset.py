"""The labelled development set of the contact guard, and its precision and recall per class."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).parent / "cases"
CLASSES = ("contact", "solicit", "clean")


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    verdict: str
    # the kind of disguise a case was written for ("service_id", "email_form", ...); most have none
    category: str = ""


def _read(name: str) -> list[Case]:
    with (CASES / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [
            Case(row["id"], row["text"], row["verdict"], row.get("category", ""))
            for row in (json.loads(line) for line in handle if line.strip())
        ]


def single_cases() -> list[Case]:
    """The development set: the guard is tuned on these."""
    return [case for name in ("contact", "solicit", "clean") for case in _read(name)]


def heldout_cases() -> list[Case]:
    """Cases written apart from the detectors and never tuned on: scored, not asserted."""
    return _read("heldout")


def disguise_cases() -> list[Case]:
    """A second held-out set: disguises by category and near misses, written before the detectors
    for those categories were tuned and never tuned on; scored, not asserted."""
    return _read("heldout_disguises")


def recall_by_category(scores: Scores, cases: list[Case]) -> dict[str, tuple[int, int]]:
    """For each category, how many of its cases got their verdict, of how many."""
    verdicts = {case_id: predicted for case_id, _expected, predicted in scores.pairs}
    counts: dict[str, tuple[int, int]] = {}
    for case in cases:
        if case.category:
            right, total = counts.get(case.category, (0, 0))
            counts[case.category] = (right + (verdicts[case.id] == case.verdict), total + 1)
    return counts


def conversations() -> Iterator[dict[str, object]]:
    with (CASES / "conversations.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


@dataclass
class Scores:
    """Counts of expected against predicted verdicts."""

    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (id, expected, predicted)

    def add(self, case_id: str, expected: str, predicted: str) -> None:
        self.pairs.append((case_id, expected, predicted))

    def precision(self, label: str) -> float:
        predicted = [p for p in self.pairs if p[2] == label]
        return sum(1 for p in predicted if p[1] == label) / len(predicted) if predicted else 1.0

    def recall(self, label: str) -> float:
        expected = [p for p in self.pairs if p[1] == label]
        return sum(1 for p in expected if p[2] == label) / len(expected) if expected else 1.0

    def support(self, label: str) -> int:
        return sum(1 for p in self.pairs if p[1] == label)

    def false_positive_rate(self) -> float:
        """Share of clean messages given any other verdict."""
        clean = [p for p in self.pairs if p[1] == "clean"]
        return sum(1 for p in clean if p[2] != "clean") / len(clean) if clean else 0.0

    def errors(self) -> list[tuple[str, str, str]]:
        return [p for p in self.pairs if p[1] != p[2]]

    def table(self) -> str:
        lines = [f"{'class':<8} {'n':>4} {'precision':>9} {'recall':>7}"]
        for label in CLASSES:
            lines.append(
                f"{label:<8} {self.support(label):>4} {self.precision(label):>9.3f} "
                f"{self.recall(label):>7.3f}"
            )
        lines.append(f"false positives on clean: {self.false_positive_rate():.3%}")
        return "\n".join(lines)


def evaluate(verdict: Callable[[str], str], cases: list[Case] | None = None) -> Scores:
    scores = Scores()
    for case in single_cases() if cases is None else cases:
        scores.add(case.id, case.verdict, verdict(case.text))
    return scores
