"""Answers count a little toward trust through the contribution source registered at start."""

from __future__ import annotations

import pytest

from tests.qa.factories import answer, person, question
from tsunagu.qa import selectors, services
from tsunagu.trust import sources
from tsunagu.trust.sources import Contribution

pytestmark = pytest.mark.django_db


def test_the_source_is_registered_and_counts_visible_and_best_answers() -> None:
    expert, other, nobody = person(), person(), person()
    q1, q2, q3 = question(), question(), question()
    a1 = answer(q1, expert)
    answer(q2, expert)
    hidden = answer(q3, expert)
    answer(q1, other)
    services.answer_mark_best(question=q1, answer=a1, by=q1.asker)
    staff = person()
    staff.is_staff = True
    staff.save()
    services.answer_hide(answer=hidden, by=staff, reason="spam")
    total = sources.contributions([expert.pk, other.pk, nobody.pk])
    assert total[expert.pk] == Contribution(answers=2, best_answers=1)
    assert total[other.pk] == Contribution(answers=1, best_answers=0)
    assert nobody.pk not in total


def test_a_hidden_question_takes_its_answers_out_of_the_count() -> None:
    expert, staff = person(), person()
    staff.is_staff = True
    staff.save()
    q = question()
    a = answer(q, expert)
    services.answer_mark_best(question=q, answer=a, by=q.asker)
    services.question_hide(question=q, by=staff, reason="spam")
    assert selectors.contributions([expert.pk]) == {}


def test_contributions_in_a_constant_number_of_queries(django_assert_num_queries: object) -> None:
    people = [person() for _ in range(4)]
    for p in people:
        answer(question(), p)
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(selectors.contributions([p.pk for p in people])) == 4
