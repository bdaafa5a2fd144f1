"""The targets on the labelled development set (tests/guard/cases)."""

from __future__ import annotations

from tests.guard.devset import conversations, evaluate, heldout_cases, single_cases
from tsunagu.guard import ConversationScanner, scan


def test_targets_on_the_development_set() -> None:
    scores = evaluate(lambda text: scan(text).verdict)
    report = scores.table() + "\n" + "\n".join(map(str, scores.errors()))
    assert scores.support("contact") >= 150
    assert scores.support("solicit") >= 80
    assert scores.support("clean") >= 200
    assert scores.recall("contact") >= 0.97, report
    assert scores.recall("solicit") >= 0.85, report
    assert scores.false_positive_rate() <= 0.01, report


def test_conversations() -> None:
    wrong = []
    for conversation in conversations():
        scanner = ConversationScanner()
        for message in conversation["messages"]:  # type: ignore[attr-defined]
            result = scanner.scan(
                message["text"], room=conversation["room"], sender=message["sender"]
            )
            if result.verdict != message["verdict"]:
                wrong.append((conversation["id"], message["text"], result.verdict))
    assert not wrong


def test_the_heldout_set_is_well_formed() -> None:
    # scored by bench/guard.py and reported in docs/benchmarks.md; never tuned on, so no targets
    cases = heldout_cases()
    assert len(cases) >= 60
    assert len({case.id for case in cases}) == len(cases)
    assert {case.verdict for case in cases} == {"contact", "solicit", "clean"}
    assert not {case.text for case in cases} & {case.text for case in single_cases()}
