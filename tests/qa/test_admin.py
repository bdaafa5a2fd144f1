"""Staff hide a question or an answer from the admin, with a reason; audited, the author told."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.qa.factories import answer, question
from tsunagu.audit.models import AuditEvent
from tsunagu.notifications.models import Notification
from tsunagu.qa import services
from tsunagu.qa.models import Answer, Question

pytestmark = pytest.mark.django_db


def staff_client() -> tuple[Client, object]:
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(staff)
    return client, staff


def test_every_admin_page_opens() -> None:
    q = question()
    a = answer(q)
    services.answer_vote(answer=a, by=UserFactory())
    client, _staff = staff_client()
    for name in ("question", "answer", "helpfulvote", "answerrevision", "questionoffer"):
        assert client.get(reverse(f"admin:qa_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:qa_question_change", args=[q.pk])).status_code == 200
    assert client.get(reverse("admin:qa_answer_change", args=[a.pk])).status_code == 200


def test_hide_and_show_a_question_with_a_reason() -> None:
    q = question()
    client, staff = staff_client()
    url = reverse("admin:qa_question_changelist")
    empty = client.post(
        url, {"action": "hide", "_selected_action": [q.pk], "reason": ""}, follow=True
    )
    assert [str(m) for m in empty.context["messages"]] == [
        "0件を非表示にしました（1件は不可）。 理由を入力してください。"
    ]
    q.refresh_from_db()
    assert not q.is_hidden
    client.post(url, {"action": "hide", "_selected_action": [q.pk], "reason": "宣伝のため"})
    q.refresh_from_db()
    assert q.is_hidden and q.hidden_reason == "宣伝のため" and q.hidden_by == staff
    assert AuditEvent.objects.filter(event="qa.question_hidden", actor=staff).exists()
    assert Notification.objects.filter(user=q.asker, kind="qa.hidden").exists()
    client.post(url, {"action": "unhide", "_selected_action": [q.pk]})
    assert not Question.objects.get(pk=q.pk).is_hidden


def test_hide_an_answer() -> None:
    q = question()
    a = answer(q)
    client, staff = staff_client()
    client.post(
        reverse("admin:qa_answer_changelist"),
        {"action": "hide", "_selected_action": [a.pk], "reason": "暴言"},
    )
    assert Answer.objects.get(pk=a.pk).is_hidden
    assert AuditEvent.objects.get(event="qa.answer_hidden").actor == staff


def test_not_staff_cannot_reach_the_admin() -> None:
    q = question()
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        reverse("admin:qa_question_changelist"),
        {"action": "hide", "_selected_action": [q.pk], "reason": "x"},
    )
    assert response.status_code == 302
    assert not Question.objects.get(pk=q.pk).is_hidden
