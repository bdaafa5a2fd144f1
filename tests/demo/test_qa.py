"""``tsunagu demo`` asks the demo questions with answers and a best answer; running it again
adds none."""

from __future__ import annotations

import pytest

from tsunagu.demo.qa import demo_questions_load
from tsunagu.qa.models import Answer, HelpfulVote, Question, QuestionStatus

pytestmark = pytest.mark.django_db


def test_demo_questions_have_answers_and_best_answers_and_are_idempotent() -> None:
    assert Question.objects.count() == 3
    assert Answer.objects.count() == 4
    assert Question.objects.filter(best_answer__isnull=False).count() == 2
    assert Question.objects.filter(status=QuestionStatus.CLOSED).count() == 1
    assert HelpfulVote.objects.count() == 4
    hana = Question.objects.get(expert__email="worker@tsunagu.example")
    assert hana.best_answer is not None
    assert hana.best_answer.author.email == "worker@tsunagu.example"
    assert demo_questions_load() == 0
    assert Question.objects.count() == 3
