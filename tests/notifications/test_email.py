"""Notification e-mail leaves through the outbox: after the commit, retried, never twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from tests.accounts.factories import UserFactory
from tests.support.mail import DOWN, MEMORY, SLOW
from tests.support.races import race
from tsunagu.accounts.models import User
from tsunagu.core.tasks import tick
from tsunagu.messaging.services import group_room_create
from tsunagu.notifications import services
from tsunagu.notifications.models import EmailStatus, Notification, OutgoingEmail
from tsunagu.notifications.services import (
    EMAIL_MAX_ATTEMPTS,
    EMAIL_OVERDUE,
    email_deliver,
    email_retry_wait,
    emails_stale_enqueue,
    notify,
)
from tsunagu.notifications.tasks import email_send

pytestmark = pytest.mark.django_db

# Tasks are queued and not run, as with a worker that has not got to them yet.
QUEUE_ONLY = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
}


def tell(user: User, text: str = "契約が始まりました") -> Notification:
    return notify(user=user, kind="test", message=lambda: text, url="/contracts/1/")


def make_due(email: OutgoingEmail, *, late: datetime.timedelta = datetime.timedelta(0)) -> None:
    """Wait for the next attempt, without waiting: move its time into the past."""
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - late)


def test_mail_leaves_after_the_commit_once(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(email="worker@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(user)
    email = OutgoingEmail.objects.get()
    assert mail.outbox == [] and email.status == EmailStatus.PENDING
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["worker@example.com"]
    assert sent.subject == "[Tsunagu] 契約が始まりました"
    assert sent.body == "契約が始まりました\n\nhttp://example.com/contracts/1/\n"
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox.{email.pk}.")


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell(user)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_fail_the_page_and_a_later_attempt_sends(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    owner, newcomer = UserFactory(), UserFactory()
    room = group_room_create(client=owner, title="翻訳プロジェクト")
    client.force_login(owner)
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("messaging:member_add", args=[room.pk]), {"person": newcomer.email}
        )
    assert response.status_code == 302
    assert Notification.objects.filter(user=newcomer, kind="room.member_added").exists()
    email = OutgoingEmail.objects.get(to=newcomer.email)
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert email.next_attempt_at > timezone.now()
    assert mail.outbox == []

    # Not yet due: an early attempt leaves it alone.
    assert email_deliver(email_id=email.pk) == "skipped"
    settings.EMAIL_BACKEND = MEMORY
    make_due(email)
    assert email_send.enqueue(email_id=email.pk).return_value == "sent"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2 and email.last_error == ""
    assert [m.to for m in mail.outbox] == [[newcomer.email]]

    # Run again, by the queue or the sweep: still one mail.
    make_due(email, late=EMAIL_OVERDUE * 2)
    assert email_send.enqueue(email_id=email.pk).return_value == "skipped"
    tick.enqueue()
    assert emails_stale_enqueue() == 0
    assert len(mail.outbox) == 1


def test_a_failed_attempt_schedules_the_next_with_backoff(settings: Any) -> None:
    settings.TASKS = QUEUE_ONLY
    settings.EMAIL_BACKEND = DOWN
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    before = timezone.now()
    assert email_deliver(email_id=email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert before + email_retry_wait(1) <= email.next_attempt_at
    (retry,) = default_task_backend.results  # type: ignore[attr-defined]
    assert retry.task.func is email_send.func
    assert retry.kwargs == {"email_id": email.pk}
    assert retry.task.run_after == email.next_attempt_at


def test_backoff_doubles_and_is_bounded() -> None:
    waits = [email_retry_wait(n) for n in range(1, EMAIL_MAX_ATTEMPTS + 1)]
    assert waits[:3] == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert max(waits) == datetime.timedelta(hours=4)
    assert waits == sorted(waits)


def test_gives_up_after_the_last_attempt(settings: Any) -> None:
    settings.EMAIL_BACKEND = DOWN
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    outcomes = []
    for _ in range(EMAIL_MAX_ATTEMPTS):
        make_due(email)
        outcomes.append(email_deliver(email_id=email.pk))
    assert outcomes == ["retry"] * (EMAIL_MAX_ATTEMPTS - 1) + ["failed"]
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == EMAIL_MAX_ATTEMPTS
    settings.EMAIL_BACKEND = MEMORY
    make_due(email, late=EMAIL_OVERDUE * 2)
    assert emails_stale_enqueue() == 0
    assert email_deliver(email_id=email.pk) == "skipped"
    assert mail.outbox == []


def test_the_sweep_sends_a_message_whose_enqueue_was_lost(settings: Any) -> None:
    # Written, committed, but the task never reached the queue (on_commit did not run here).
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    make_due(email, late=EMAIL_OVERDUE / 2)
    assert emails_stale_enqueue() == 0  # late, but not overdue yet: its own task may still come
    make_due(email, late=EMAIL_OVERDUE)
    tick.enqueue()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert len(mail.outbox) == 1


def test_the_sweep_takes_up_an_attempt_that_never_finished() -> None:
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    # A worker claimed it and died: its claim ran out long ago.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, next_attempt_at=timezone.now() - EMAIL_OVERDUE
    )
    assert emails_stale_enqueue() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert len(mail.outbox) == 1


def test_an_attempt_in_progress_is_not_taken_twice(settings: Any) -> None:
    settings.TASKS = QUEUE_ONLY
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, next_attempt_at=timezone.now() + EMAIL_OVERDUE
    )
    assert email_deliver(email_id=email.pk) == "skipped"
    assert emails_stale_enqueue() == 0
    assert mail.outbox == []


def test_a_title_with_a_line_break_still_makes_a_sendable_subject(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(UserFactory(), "「翻訳\r\nプロジェクト」に追加されました")
    assert mail.outbox[0].subject == "[Tsunagu] 「翻訳 プロジェクト」に追加されました"


def test_a_person_without_an_address_gets_the_notification_only() -> None:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(email="")
    user.refresh_from_db()
    tell(user)
    assert Notification.objects.filter(user=user).exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_attempts_at_once_send_one_mail(settings: Any) -> None:
    settings.TASKS = QUEUE_ONLY
    settings.EMAIL_BACKEND = SLOW
    email = services.email_queue(to="a@example.com", subject="s", body="b")
    results = race(
        lambda: email_deliver(email_id=email.pk), lambda: email_deliver(email_id=email.pk)
    )
    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().attempts == 1
