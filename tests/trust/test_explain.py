"""Each part of the score explains itself in a sentence that quotes the person's numbers."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from tests.trust.test_scoring import SEASONED
from tsunagu.trust.explain import breakdown
from tsunagu.trust.scoring import WEIGHTS, Facts, Role, trust_score


@pytest.mark.parametrize("role", list(Role))
def test_every_part_has_a_label_weight_and_sentence(role: Role) -> None:
    with translation.override("en"):
        lines = breakdown(trust_score(dataclasses.replace(SEASONED, role=role)))

    assert [line.component for line in lines] == [str(c) for c in WEIGHTS[role]]
    assert all(line.label and line.sentence for line in lines)
    assert sum(line.weight for line in lines) == 100


def test_sentences_quote_the_numbers() -> None:
    with translation.override("en"):
        lines = {line.component: line for line in breakdown(trust_score(SEASONED))}

    assert lines["on_time"].sentence == "58 of 60 milestones delivered by their due date."
    assert (
        lines["track_record"].sentence == "40 completed paid contracts, ¥1,000,000 or more in all."
    )
    assert lines["reviews"].sentence.startswith("4.9 stars from 40 reviews")
    assert lines["network"].sentence == "More trusted through paid work than 90% of people."


def test_a_new_person_is_told_what_is_not_known_yet() -> None:
    with translation.override("en"):
        lines = {line.component: line for line in breakdown(trust_score(Facts(role=Role.CLIENT)))}

    assert not lines["payment"].known
    assert lines["payment"].sentence == "No milestone to pay yet: counted at the usual rate."
    assert lines["reviews"].sentence == "No review yet: counted at the platform's average."


def test_the_community_part_says_what_it_counted() -> None:
    facts = dataclasses.replace(
        SEASONED, endorsers=3, endorsement_strength=2.1, activities=4, answers=6, best_answers=2
    )
    with translation.override("en"):
        line = {x.component: x for x in breakdown(trust_score(facts))}["community"]
    with translation.override("ja"):
        ja = {x.component: x for x in breakdown(trust_score(facts))}["community"]

    assert line.sentence == (
        "Endorsed by 3 people after working together in communities, 4 activities, "
        "6 answers (2 chosen as best)."
    )
    assert ja.label != line.label and "3" in ja.sentence
