"""Who the API lets in: a personal token as Bearer, or the session with its CSRF token."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tsunagu.accounts.models import User
from tsunagu.api.models import ApiToken
from tsunagu.api.services import api_token_revoke

pytestmark = pytest.mark.django_db


def test_token_works_as_bearer_and_records_when_it_was_used(client: Client) -> None:
    user = UserFactory()
    token, secret = make_token(user=user)
    assert token.last_used_at is None

    response = client.get("/api/v1/me", **bearer(secret))

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(client: Client) -> None:
    token, secret = make_token(user=UserFactory())
    recent = timezone.now() - datetime.timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > stale


def test_revoked_token_stops_working(client: Client) -> None:
    user = UserFactory()
    token, secret = make_token(user=user)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200

    api_token_revoke(token=token, by=user)
    response = client.get("/api/v1/me", **bearer(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer tsu_wrong", "Bearer not-even-ours", "Bearer ", "Basic dXNlcjpwYXNz", "tsu_nobearer"],
)
def test_wrong_credentials_get_401_json(client: Client, header: str) -> None:
    make_token(user=UserFactory())

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_a_deactivated_account_is_refused(client: Client) -> None:
    user = UserFactory()
    _, secret = make_token(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_anonymous_gets_401_json(client: Client) -> None:
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"]


def test_anonymous_unsafe_request_gets_401_not_a_csrf_error() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.patch("/api/v1/me", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def _csrf_client(user: User) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/settings/api-tokens/")  # the page sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def test_session_write_without_csrf_token_is_refused_and_changes_nothing() -> None:
    user = UserFactory(language="ja")
    client, _ = _csrf_client(user)

    response = client.patch(
        "/api/v1/me", data=json.dumps({"language": "en"}), content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    user.refresh_from_db()
    assert user.language == "ja"


def test_session_write_with_csrf_token_works() -> None:
    user = UserFactory(language="ja")
    client, csrf = _csrf_client(user)

    response = client.patch(
        "/api/v1/me",
        data=json.dumps({"language": "en"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.language == "en"


def test_session_read_needs_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.get("/api/v1/me").status_code == 200


def test_token_write_needs_no_csrf_token() -> None:
    user = UserFactory(language="ja")
    _, secret = make_token(user=user)
    client = Client(enforce_csrf_checks=True)

    response = client.patch(
        "/api/v1/me",
        data=json.dumps({"time_zone": "Europe/Berlin"}),
        content_type="application/json",
        **bearer(secret),
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.time_zone == "Europe/Berlin"
