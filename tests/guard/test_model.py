"""The learned solicitation model: its compiled loop, its data, and its place in the engine."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.guard import train
from tests.guard.devset import single_cases
from tsunagu.guard import engine, model, scan
from tsunagu.guard.findings import SOLICIT_KINDS
from tsunagu.guard.model import (
    KERNEL,
    SolicitationModel,
    buckets,
    cue_words,
    cues,
    find_learned_solicitation,
)
from tsunagu.guard.normalise import fold
from tsunagu.guard.sieve import SIEVE

_SLOW = replace(model.load(), compiled=False)


def _both(text: str) -> tuple[float, float]:
    return model.load().score(text), _SLOW.score(text)


def test_the_compiled_loop_is_built() -> None:
    if KERNEL is None:
        if os.environ.get("CI"):
            pytest.fail(f"{model.LIBRARY} was not built: is a C compiler installed?")
        pytest.skip("no C compiler here: the guard scores messages in Python")
    assert model.load().compiled


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_the_compiled_loop_adds_what_python_adds(text: str) -> None:
    if KERNEL is None:
        pytest.skip("no compiled loop")
    compiled, python = _both(text)
    assert compiled == python


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "LINEで話しませんか",
        "\ud800 lone surrogate",
        "emoji 🙂 and 𝕏 and 𠀋",
        "手数料かからない方法でお支払いしますね。" * 300,  # past the loop's stack slots
    ],
)
def test_the_compiled_loop_on_odd_texts(text: str) -> None:
    if KERNEL is None:
        pytest.skip("no compiled loop")
    compiled, python = _both(text)
    assert compiled == python


def test_buckets_are_distinct_and_in_range() -> None:
    found = buckets("abcabc", 4, 20)
    assert len(found) == len(set(found))
    assert all(0 <= bucket < 1 << 20 for bucket in found)
    # "abc" repeats: a, b, c, ab, bc, ca, abc, bca, cab, abca, bcab, cabc
    assert len(found) == 12


def test_a_model_of_one_weight() -> None:
    (bucket,) = buckets("z", 1, 8)
    tiny = SolicitationModel(order=1, bits=8, bias=-1.0, threshold=0.5, weights={bucket: 2.0})
    assert tiny.score("zzz") == pytest.approx(1.0)  # counted once, however often it appears
    assert tiny.score("y") == pytest.approx(-1.0)
    assert tiny.solicits("z") and not tiny.solicits("y")


def test_the_scorer_gives_the_fitted_models_scores(tmp_path: Path) -> None:
    texts, labels = train.training_set(single_cases()[::4])
    pipeline = train.fit(texts, labels)
    path = tmp_path / "model.json"
    path.write_text(
        json.dumps({**train.weights_of(pipeline), "threshold": 0.0, "veto": -1.0}),
        encoding="utf-8",
    )
    fitted = model.load(path)
    sample = [*texts[::7], "", "unseen words only", "ここで全部やりましょう"]
    expected = pipeline.decision_function(sample)
    for text, score in zip(sample, expected, strict=True):
        assert fitted.score(text) == pytest.approx(score, abs=1e-3)
        assert replace(fitted, compiled=False).score(text) == pytest.approx(score, abs=1e-3)


def test_the_committed_model_is_the_one_the_cases_give() -> None:
    assert train.main(["--check"]) == 0, "run `uv run python -m tests.guard.train`"


def _caught_by_the_model_alone() -> list[str]:
    return [
        case.text
        for case in single_cases()
        if case.verdict == "solicit"
        and scan(case.text, learned=False).verdict == "clean"
        and scan(case.text).verdict == "solicit"
    ]


def test_the_model_finds_requests_the_phrases_miss() -> None:
    caught = _caught_by_the_model_alone()
    assert len(caught) >= 20
    for text in caught:
        (finding,) = scan(text).findings
        assert finding.kind in SOLICIT_KINDS
        assert text[finding.start : finding.end] == finding.text
        assert finding.text == finding.text.strip()
        # a sentence: no end of a sentence inside it, short of its own end
        assert not re.search(r"[。！？!?\n]", finding.text.rstrip("。！？!?"))


def test_the_model_overrules_phrases_only_in_ordinary_talk() -> None:
    overruled = [
        case
        for case in single_cases()
        if scan(case.text, learned=False).verdict == "solicit"
        and scan(case.text).verdict == "clean"
    ]
    assert overruled, "the veto changes nothing on the development set"
    wrong = [case for case in overruled if case.verdict != "clean"]
    assert len(wrong) <= len(overruled) // 2


def test_contact_details_are_never_overruled(monkeypatch: pytest.MonkeyPatch) -> None:
    sceptic = replace(model.load(), veto=float("inf"), threshold=float("inf"))
    monkeypatch.setattr(engine, "load_model", lambda: sceptic)
    monkeypatch.setattr(model, "load", lambda: sceptic)
    assert scan("メールは taro.yamada@gmail.com です").verdict == "contact"
    assert scan("LINEで話しませんか？").verdict == "clean"  # overruled: the veto is everything


def test_a_sure_model_flags_the_best_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    weights = dict.fromkeys(buckets("振込", 2, 20), 1.0)
    eager = SolicitationModel(order=2, bits=20, bias=0.0, threshold=1.5, weights=weights)
    hits = find_learned_solicitation(fold("ご確認ください。残りは振込でお願いします。").text, eager)
    assert len(hits) == 1
    kind, start, end = hits[0]
    assert kind == "solicit_payment"
    assert "ご確認ください。残りは振込でお願いします。"[start:end] == "残りは振込でお願いします。"


def test_without_the_compiled_loop_the_verdicts_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases = single_cases()[::15]
    expected = [scan(case.text).verdict for case in cases]
    monkeypatch.setattr(engine, "load_model", lambda: _SLOW)
    monkeypatch.setattr(model, "load", lambda: _SLOW)
    assert [scan(case.text).verdict for case in cases] == expected


def test_the_sieve_finds_the_same_kinds_of_words_as_python() -> None:
    texts = [fold(case.text).text for case in single_cases()[::3]]
    for text in texts:
        marks = SIEVE.look(text)
        if marks is None:
            continue
        assert cue_words(text, marks) == cue_words(text), text


def test_the_score_is_the_same_from_the_sieve_s_marks_as_from_the_words() -> None:
    scorer = model.load()
    for case in single_cases()[::5]:
        text = fold(case.text).text
        marks = SIEVE.look(text)
        if marks is None:
            continue
        # twice: the second reads the part the first one kept for the same marks
        assert scorer.score(text, marks) == scorer.score(text), text
        assert scorer.score(text, marks) == scorer.score(text), text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["仮払い", "先に", "始めて", "coffee", "？", "line", "直接", "ここで", "a", " "]
        ),
        max_size=12,
    ).map("".join)
)
def test_the_sieve_and_python_agree_on_made_up_texts(text: str) -> None:
    marks = SIEVE.look(text)
    if marks is not None:
        assert cue_words(text, marks) == cue_words(text)


def test_cues_read_words_together() -> None:
    found = cues(fold("仮払いは来週になりますが、先に始めてもらえますか？").text)
    assert "escrow+start+early" in found
    assert "refusal" not in found
    assert cues(fold("よろしくお願いします").text) == ["request"]
    assert cues("") == []


def test_the_check_allows_the_solvers_last_digits_and_nothing_more() -> None:
    committed = {"bias": -4.56271, "weights": {"1": 0.5, "2": -0.00031}, "order": 4}
    assert train.same_model(
        committed, {"bias": -4.56243, "weights": {"1": 0.5011, "2": -0.0004}, "order": 4}
    )
    assert not train.same_model(
        committed, {"bias": -4.3, "weights": {"1": 0.5, "2": 0.0}, "order": 4}
    )
    assert not train.same_model(committed, {"bias": -4.56271, "weights": {"1": 0.5}, "order": 4})
    assert not train.same_model(
        committed, {"bias": -4.56271, "weights": {"1": 0.5, "2": 0.0}, "order": 5}
    )
