"""The unread digest: one e-mail per person through the outbox, announced once, never lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.messaging.conftest import Cast
from tests.support.mail import DOWN, MEMORY
from tsunagu.messaging.digest import QUIET_MINUTES, digest_send
from tsunagu.messaging.models import Room, RoomMember
from tsunagu.messaging.services import message_delete, message_edit, message_send, room_mark_read
from tsunagu.notifications.models import EmailStatus, OutgoingEmail
from tsunagu.notifications.services import email_deliver

pytestmark = pytest.mark.django_db


def later() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=QUIET_MINUTES + 1)


def test_quiet_rooms_are_mailed_once_after_the_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="見積もりをお送りします")
    assert digest_send(now=timezone.now()) == 0  # not quiet long enough yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert digest_send(now=later()) == 1
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    (sent,) = mail.outbox
    assert sent.to == [cast.worker.email]
    assert f"/messages/rooms/{cast.inquiry.pk}/" in sent.body
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=later()) == 0
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_digest_for_a_later_attempt(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="見積もりをお送りします")
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=later()) == 1
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    # The room is claimed with its mail in the outbox: the next run does not write a second one.
    member = RoomMember.objects.get(room=cast.inquiry, user=cast.worker)
    assert member.last_emailed_seq == Room.objects.get(pk=cast.inquiry.pk).last_seq
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=later()) == 0
    settings.EMAIL_BACKEND = MEMORY
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert email_deliver(email_id=email.pk) == "sent"
    assert [m.to for m in mail.outbox] == [[cast.worker.email]]


def test_edits_and_deletions_are_not_announced_as_unread(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="見積もりをお送りします")
    second = message_send(room=cast.inquiry, sender=cast.client, body="追加の資料です")
    room_mark_read(room=cast.inquiry, user=cast.worker, seq=second.seq)
    message_edit(message=first, by=cast.client, body="見積もりを改めてお送りします")
    message_delete(message=second, by=cast.client)
    # the room moved on by two entries, but the worker has nothing new to read
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=later()) == 0
    assert mail.outbox == []
    message_send(room=cast.inquiry, sender=cast.client, body="ご確認ください")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=later()) == 1
    (sent,) = mail.outbox
    # one unread message, not the four entries since the marker
    assert f"{cast.inquiry.title}：未読 1 件" in sent.body
