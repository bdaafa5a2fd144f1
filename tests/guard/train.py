"""Fit the contact guard's solicitation model on the labelled cases and write its weights.

    uv run python -m tests.guard.train            # writes tsunagu/guard/solicitation_model.json
    uv run python -m tests.guard.train --check    # exit 1 if the committed model is out of date

Solicitation cases are the positives and clean cases the negatives; contact cases are left out
(the contact detectors decide those). Each case is also scored by a model fitted without it (five
folds), so that the cut-offs reflect messages the model has not seen: the threshold is the score
that ``FALSE_POSITIVES`` of the clean cases exceed, and the veto the score below which
``OVERRULED`` of the requests that the phrases catch fall.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import Normalizer

from tests.guard.devset import Case, single_cases
from tsunagu.guard.engine import scan
from tsunagu.guard.model import CUE_NAMES, PATH, buckets, cues
from tsunagu.guard.normalise import fold

ORDER = 4
# single characters say little and cost a look-up each (cross-validated: better without)
SHORTEST = 2
BITS = 20
C = 100.0
FALSE_POSITIVES = 0.005
# the share of the requests the phrases catch that the model may overrule (see model.py)
OVERRULED = 0.01
FOLDS = 5


_CUE_FEATURES = {name: (1 << BITS) + index for index, name in enumerate(CUE_NAMES)}
_CUE_OF_FEATURE = {feature: name for name, feature in _CUE_FEATURES.items()}


def _features(text: str) -> list[int]:
    """The text's buckets, then its cues as numbers past the last bucket."""
    return buckets(text, ORDER, BITS, SHORTEST) + [_CUE_FEATURES[cue] for cue in cues(text)]


def fit(texts: list[str], labels: list[int]) -> Pipeline:
    """Binary bucket features scaled to unit length, then logistic regression."""
    return make_pipeline(
        CountVectorizer(analyzer=_features, binary=True, min_df=2, dtype=np.float64),
        Normalizer(norm="l2"),
        LogisticRegression(
            C=C, solver="liblinear", class_weight="balanced", max_iter=5000, random_state=0
        ),
    ).fit(texts, labels)


def training_set(cases: list[Case]) -> tuple[list[str], list[int]]:
    chosen = [case for case in cases if case.verdict in ("solicit", "clean")]
    return [fold(case.text).text for case in chosen], [int(c.verdict == "solicit") for c in chosen]


def fold_pipelines(texts: list[str], labels: list[int]) -> list[tuple[np.ndarray, Pipeline]]:
    """For each of the folds, the indices of its cases and a model fitted on the other folds."""
    array = np.array(texts, dtype=object)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    return [
        (test, fit(list(array[train]), [labels[i] for i in train]))
        for train, test in folds.split(array, labels)
    ]


def held_out_scores(texts: list[str], labels: list[int]) -> np.ndarray:
    """Each case scored by a model fitted on the other folds."""
    scores = np.zeros(len(texts))
    for test, pipeline in fold_pipelines(texts, labels):
        scores[test] = pipeline.decision_function([texts[i] for i in test])
    return scores


def train(cases: list[Case]) -> dict[str, object]:
    texts, labels = training_set(cases)
    scores = held_out_scores(texts, labels)
    positive = np.array(labels) == 1
    threshold = float(np.quantile(scores[~positive], 1 - FALSE_POSITIVES))
    recall = float((scores[positive] > threshold).mean())
    chosen = [case for case in cases if case.verdict in ("solicit", "clean")]
    caught = np.array([scan(case.text, learned=False).verdict == "solicit" for case in chosen])
    veto = float(np.quantile(scores[positive & caught], OVERRULED))
    return {
        **weights_of(fit(texts, labels)),
        "threshold": _significant(threshold),
        "veto": _significant(veto),
        "trained_on": {"solicit": sum(labels), "clean": len(labels) - sum(labels)},
        "cross_validated_recall": round(recall, 3),
    }


def weights_of(pipeline: Pipeline) -> dict[str, object]:
    """The fitted model as model.py reads it (without the cut-offs)."""
    vectoriser, classifier = pipeline[0], pipeline[-1]
    # every feature keeps a weight other than zero: the scorer counts them (see model.py)
    weights: dict[int, float] = {}
    cue_weights: dict[str, float] = {}
    for feature, weight in zip(
        vectoriser.get_feature_names_out(), classifier.coef_[0], strict=True
    ):
        if int(feature) in _CUE_OF_FEATURE:
            cue_weights[_CUE_OF_FEATURE[int(feature)]] = _significant(float(weight))
        else:
            weights[int(feature)] = _significant(float(weight))
    return {
        "order": ORDER,
        "shortest": SHORTEST,
        "bits": BITS,
        "bias": _significant(float(classifier.intercept_[0])),
        "cues": {name: cue_weights[name] for name in CUE_NAMES if name in cue_weights},
        "weights": {str(bucket): weights[bucket] for bucket in sorted(weights)},
    }


def _significant(value: float) -> float:
    """``value`` to six significant digits, as a float32 holds them; never zero."""
    rounded = float(f"{value:.6g}")
    return rounded if rounded != 0.0 else 1e-9


def render(model: dict[str, object]) -> str:
    # the cut-offs first, the weights last: a reader sees what matters at the top
    order = [
        "order",
        "shortest",
        "bits",
        "bias",
        "threshold",
        "veto",
        "trained_on",
        "cross_validated_recall",
        "cues",
    ]
    ordered = {key: model[key] for key in order} | {"weights": model["weights"]}
    return json.dumps(ordered, ensure_ascii=False, indent=0) + "\n"


# The solver's last digits differ between CPUs (vectorised sums in another order); a weight
# that moved by less than this is the same model.
RELATIVE_TOLERANCE = 0.01
ABSOLUTE_TOLERANCE = 0.01  # a thousandth of the largest weights (about 10)


def same_model(committed: object, fresh: object) -> bool:
    """Whether two models agree: the same keys and whole numbers, and every weight within the
    solver's precision."""
    if isinstance(committed, dict) and isinstance(fresh, dict):
        return committed.keys() == fresh.keys() and all(
            same_model(committed[key], fresh[key]) for key in committed
        )
    if isinstance(committed, float) or isinstance(fresh, float):
        if not isinstance(committed, int | float) or not isinstance(fresh, int | float):
            return False
        return abs(committed - fresh) <= max(
            ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(committed), abs(fresh))
        )
    return committed == fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed model")
    args = parser.parse_args(argv)
    text = render(train(single_cases()))
    if args.check:
        if not same_model(json.loads(PATH.read_text(encoding="utf-8")), json.loads(text)):
            print(f"{PATH} is out of date: run `uv run python -m tests.guard.train`")
            return 1
        return 0
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
