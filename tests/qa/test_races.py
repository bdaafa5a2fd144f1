"""Two helpful votes by the same person at the same moment: the database's unique constraint
lets one through, the other is refused."""

from __future__ import annotations

import importlib

import pytest

from tests.qa.factories import answer, person, question
from tests.support.races import race
from tsunagu.qa import services
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import Answer, HelpfulVote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded_categories(transactional_db: None) -> None:
    """The categories a data migration seeds, put back after each test's flush."""
    from django.apps import apps

    importlib.import_module("tsunagu.jobs.migrations.0003_seed_categories").seed(apps, None)


def test_two_votes_at_once_count_once() -> None:
    q = question()
    a = answer(q)
    voter = person()

    def vote() -> object:
        return services.answer_vote(answer=Answer.objects.get(pk=a.pk), by=voter)

    results = race(vote, vote)
    refused = [r for r in results if isinstance(r, QAError)]
    assert len(refused) == 1 and refused[0].code == "already_voted"
    assert HelpfulVote.objects.filter(answer=a, voter=voter).count() == 1


def test_two_answers_by_one_person_at_once_make_one() -> None:
    q = question()
    author = person()

    def post() -> object:
        return services.answer_post(question=q, author=author, body="同時に送った回答です。")

    results = race(post, post)
    assert sum(isinstance(r, Answer) for r in results) == 1
    assert Answer.objects.filter(question=q, author=author).count() == 1
