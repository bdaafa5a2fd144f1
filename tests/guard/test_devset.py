"""The targets on the labelled development set (tests/guard/cases)."""

from __future__ import annotations

import pytest

from tests.guard import train
from tests.guard.devset import (
    Scores,
    conversations,
    disguise_cases,
    heldout_cases,
    recall_by_category,
    single_cases,
)
from tsunagu.guard import ConversationScanner, engine, model, scan


def _cross_validated_scores() -> Scores:
    """The guard's verdicts on the development set, each solicitation or clean case read with a
    model fitted on the other folds (tests/guard/train.py); contact cases, which the model is
    never fitted on, with the committed one. The cut-offs are the committed model's: train.py
    chose them from the same held-out scores."""
    cases = single_cases()
    chosen = [case for case in cases if case.verdict in ("solicit", "clean")]
    texts, labels = train.training_set(cases)
    committed = model.load()
    scores = Scores()
    for case in cases:
        if case.verdict not in ("solicit", "clean"):
            scores.add(case.id, case.verdict, scan(case.text).verdict)
    for test, pipeline in train.fold_pipelines(texts, labels):
        fitted = model.model_of(
            {**train.weights_of(pipeline), "threshold": committed.threshold, "veto": committed.veto}
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(engine, "load_model", lambda fitted=fitted: fitted)
            patch.setattr(model, "load", lambda fitted=fitted: fitted)
            for index in test:
                case = chosen[index]
                scores.add(case.id, case.verdict, scan(case.text).verdict)
    return scores


def test_targets_on_the_development_set() -> None:
    # On cross-validated predictions, so that a model that only remembers its cases fails here.
    # They reach 0.990 contact recall, 0.847 solicitation recall and 0.77% false positives on
    # clean cases (against 0.944 and 0.00% on the cases the committed model was fitted on).
    scores = _cross_validated_scores()
    report = scores.table() + "\n" + "\n".join(map(str, scores.errors()))
    assert scores.support("contact") >= 150
    assert scores.support("solicit") >= 80
    assert scores.support("clean") >= 200
    assert scores.recall("contact") >= 0.98, report
    assert scores.recall("solicit") >= 0.83, report
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


def test_the_disguise_set_is_well_formed_and_apart() -> None:
    # scored by bench/guard.py by category; written before the detectors for them were tuned
    cases = disguise_cases()
    assert len(cases) >= 100
    assert len({case.id for case in cases}) == len(cases)
    assert all(case.category for case in cases)
    assert {case.verdict for case in cases} == {"contact", "clean"}
    others = {case.text for case in single_cases() + heldout_cases()}
    assert not {case.text for case in cases} & others
    # every category of the disguise set is also in the development set, with cases of its own
    development = {case.category for case in single_cases() if case.category}
    assert {case.category for case in cases if case.verdict == "contact"} <= development


def test_the_disguise_categories_on_the_development_set() -> None:
    cases = [case for case in single_cases() if case.category]
    scores = Scores()
    for case in cases:
        scores.add(case.id, case.verdict, scan(case.text).verdict)
    by_category = recall_by_category(scores, cases)
    missed = scores.errors()
    assert all(right == total for right, total in by_category.values()), missed
