"""The API's input rules end to end: bad numbers, dates, text and bodies are refused cleanly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.contracts.factories import offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.messaging.models import Task
from tsunagu.notifications.models import Notification

pytestmark = pytest.mark.django_db

HUGE = 2**70


def person() -> tuple[User, dict[str, Any]]:
    user = UserFactory()
    _, secret = make_token(user=user)
    return user, bearer(secret)


def send(
    method: str, url: str, body: Any, auth: dict[str, Any], content_type: str = "application/json"
) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    call = getattr(Client(), method)
    return call(url, data, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en", **auth)


def test_a_json_body_under_another_content_type_is_415() -> None:
    _, auth = person()
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"]:
        response = send("patch", "/api/v1/me", {"language": "en"}, auth, content_type)
        assert response.status_code == 415, content_type
        assert response.json()["code"] == "unsupported_media_type"
        assert "application/json" in response.json()["message"]


def test_a_key_given_twice_is_400_and_nothing_is_charged() -> None:
    user, auth = person()
    response = send("post", "/api/v1/wallet/top-ups", '{"amount":100,"amount":200}', auth)
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_key"
    assert "amount" in response.json()["message"]
    assert not user.payments.exists()
    nested = send("patch", "/api/v1/me", '{"x": {"a": 1, "a": 2}}', auth)
    assert nested.status_code == 400


def test_ids_beyond_the_database_range_are_422_not_500() -> None:
    user, auth = person()
    Notification.objects.create(user=user, kind="test", message="m")
    response = send("post", "/api/v1/notifications/read", {"ids": [HUGE]}, auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("ids")
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1


def test_a_task_assignee_beyond_the_range_is_422() -> None:
    _user, auth = person()
    response = send("post", "/api/v1/rooms/1/tasks", {"title": "t", "assignee_id": HUGE}, auth)
    assert response.status_code == 422
    assert not Task.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_offer_dates_at_the_calendar_edges_are_422(day: str) -> None:
    _client_user, auth = person()
    worker = UserFactory()
    body = {
        "worker_profile_id": worker.profile.pk,
        "title": "記事作成",
        "description": "説明",
        "deliverables": "Word",
        "milestones": [{"title": "第1回", "amount": 10_000, "due_date": day}],
        "payment_due": day,
    }
    response = send("post", "/api/v1/contracts", body, auth)
    assert response.status_code == 422
    assert "2000-01-01" in response.json()["errors"][0]["message"]
    assert not Contract.objects.exists()


def test_interview_times_at_the_calendar_edges_are_422() -> None:
    contract = offer()
    _, secret = make_token(user=contract.client)
    body = {
        "contract_id": contract.pk,
        "starts": ["9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+14:00"],
    }
    response = send("post", "/api/v1/proposals/interviews", body, bearer(secret))
    assert response.status_code == 422


@pytest.mark.parametrize("title", ["記事\x00作成", "記事\u202e成作", "二行\nの題名"])
def test_contract_titles_with_control_or_bidi_characters_are_refused(title: str) -> None:
    _, auth = person()
    worker = UserFactory()
    body = {
        "worker_profile_id": worker.profile.pk,
        "title": title,
        "description": "説明",
        "deliverables": "Word",
        "milestones": [{"title": "第1回", "amount": 10_000, "due_date": "2030-01-31"}],
        "payment_due": "2030-02-28",
    }
    response = send("post", "/api/v1/contracts", body, auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
    assert not Contract.objects.exists()


def test_a_display_name_with_a_right_to_left_override_is_refused() -> None:
    user, auth = person()
    before = user.profile.display_name
    response = send("patch", "/api/v1/profiles/me", {"display_name": "admin\u202etxt.exe"}, auth)
    assert response.status_code == 422
    assert "U+202E" in response.json()["errors"][0]["message"]
    user.profile.refresh_from_db()
    assert user.profile.display_name == before


def test_a_control_character_in_the_address_is_400() -> None:
    _, auth = person()
    for url in ["/api/v1/communities/a%00b", "/api/v1/jobs?q=a%00b", "/api/v1/jobs?q%00=1"]:
        response = Client().get(url, **auth)
        assert response.status_code in (400, 422), url
        assert response.json()["code"] in ("invalid_address", "invalid")
