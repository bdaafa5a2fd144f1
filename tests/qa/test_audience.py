"""The audience hook: a registered rule narrows questions everywhere they are read (list,
search, detail, API, profile counts and trust contributions), so that community-only questions
can be added without touching the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client

from tests.qa.factories import answer, person, question
from tsunagu.qa import audience, selectors
from tsunagu.qa.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_own_questions() -> Iterator[None]:
    """A stand-in rule: people see only the questions they asked themselves."""

    def rule(questions: QuerySet[Question], viewer: Any) -> QuerySet[Question]:
        if viewer is None:
            return questions.none()
        return questions.filter(asker_id=viewer.pk)

    audience.audience_rule_register("test", rule)
    yield
    audience.audience_rule_unregister("test")


@pytest.mark.usefixtures("only_own_questions")
def test_a_question_outside_the_audience_is_not_found_anywhere() -> None:
    asker, outsider = person(), person()
    q = question(asker, title="翻訳の相談")
    a = answer(q)
    inside, outside = Client(), Client()
    inside.force_login(asker)
    outside.force_login(outsider)
    assert inside.get(f"/questions/{q.pk}/").status_code == 200
    assert outside.get(f"/questions/{q.pk}/").status_code == 404
    assert "翻訳の相談" not in outside.get("/questions/", {"q": "翻訳"}).content.decode()
    assert "翻訳の相談" in inside.get("/questions/", {"q": "翻訳"}).content.decode()
    assert outside.post(f"/questions/{q.pk}/answer/", {"body": "回答"}).status_code == 404
    assert Client().get(f"/api/v1/questions/{q.pk}").status_code == 404
    assert selectors.contributions([a.author_id]) == {}


def test_without_rules_every_visible_question_is_public() -> None:
    q = question()
    assert Client().get(f"/questions/{q.pk}/").status_code == 200
