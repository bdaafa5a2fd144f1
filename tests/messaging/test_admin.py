from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.messaging.conftest import Cast
from tsunagu.messaging.errors import ContactBlocked
from tsunagu.messaging.models import GuardEvent
from tsunagu.messaging.services import message_send

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def blocked_attempts(cast: Cast, count: int, sender: object) -> None:
    for i in range(count):
        with pytest.raises(ContactBlocked):
            message_send(room=cast.inquiry, sender=sender, body=f"連絡先 taro{i}@gmail.com")  # type: ignore[arg-type]


def test_guard_events_with_counts_and_the_repeat_offender_filter(cast: Cast) -> None:
    blocked_attempts(cast, 3, cast.worker)
    blocked_attempts(cast, 1, cast.client)
    old = GuardEvent.objects.filter(sender=cast.client).get()
    GuardEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    blocked_attempts(cast, 2, cast.client)  # 2 recent + 1 old: not a repeat offender
    admin = staff_client()
    changelist = reverse("admin:messaging_guardevent_changelist")
    page = admin.get(changelist)
    assert page.status_code == 200
    html = page.content.decode()
    assert "taro0@gmail.com" in html
    repeat = admin.get(changelist + "?repeat=yes").content.decode()
    assert repeat.count('class="field-sender') == 3  # the worker's three attempts only
    detail = admin.get(reverse("admin:messaging_guardevent_change", args=[old.pk])).content.decode()
    assert '<mark class="guard-mark">' in detail
    assert admin.get(reverse("admin:messaging_guardevent_add")).status_code == 403


def test_rooms_are_read_only_and_link_to_the_full_record(cast: Cast) -> None:
    admin = staff_client()
    page = admin.get(reverse("admin:messaging_room_change", args=[cast.inquiry.pk]))
    assert page.status_code == 200
    assert reverse("messaging:staff_history", args=[cast.inquiry.pk]) in page.content.decode()
    response = admin.post(
        reverse("admin:messaging_room_change", args=[cast.inquiry.pk]), {"title": "変更"}
    )
    cast.inquiry.refresh_from_db()
    assert response.status_code == 403 and cast.inquiry.title != "変更"


def test_admin_is_for_staff_only(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.client)
    response = client.get(reverse("admin:messaging_guardevent_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
