"""/api/v1/me and /api/v1/me/tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tsunagu.accounts.models import User
from tsunagu.api.models import ApiToken
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _patch(client: Client, secret: str, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.patch(
        "/api/v1/me", data=data, content_type="application/json", **bearer(secret), **extra
    )


def _prefs(user: User) -> tuple[str, str]:
    user.refresh_from_db()
    return user.language, user.time_zone


def test_me_describes_the_caller(client: Client) -> None:
    user = UserFactory(language="en", time_zone="Europe/Paris")
    _, secret = make_token(user=user)

    body = client.get("/api/v1/me", **bearer(secret)).json()

    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["language"] == "en"
    assert body["time_zone"] == "Europe/Paris"
    assert body["display_name"] == user.profile.display_name
    assert body["verification"] == {"levels": ["email"]}


def test_me_is_always_the_caller_never_someone_else(client: Client) -> None:
    alice, bob = UserFactory(), UserFactory()
    _, alice_secret = make_token(user=alice)
    client.force_login(bob)

    # A token beats the session: the token's owner is the caller.
    assert client.get("/api/v1/me", **bearer(alice_secret)).json()["id"] == alice.pk
    assert client.get("/api/v1/me").json()["id"] == bob.pk


def test_patch_changes_only_what_is_sent(client: Client) -> None:
    user = UserFactory(language="ja", time_zone="Asia/Tokyo")
    _, secret = make_token(user=user)

    response = _patch(client, secret, {"time_zone": "America/New_York"})

    assert response.status_code == 200
    assert response.json()["time_zone"] == "America/New_York"
    assert _prefs(user) == ("ja", "America/New_York")

    response = _patch(client, secret, {"language": "en"})
    assert response.status_code == 200
    assert _prefs(user) == ("en", "America/New_York")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "asia/tokyo"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"time_zone": "A" * 65}, "time_zone"),
        ({"time_zone": None}, "time_zone"),
        ({"time_zone": 9}, "time_zone"),
        ({"language": "de"}, "language"),
        ({"language": None}, "language"),
        ({"timezone": "Europe/Berlin"}, "timezone"),
        ({"email": "other@example.com"}, "email"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_changes(
    client: Client, body: dict[str, Any], field: str
) -> None:
    user = UserFactory(language="ja", time_zone="Asia/Tokyo", email="me@example.com")
    _, secret = make_token(user=user)
    audit_before = AuditEvent.objects.count()

    response = _patch(client, secret, {"language": "en", **body} if field != "language" else body)

    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid"
    assert data["message"]
    assert field in [e["field"] for e in data["errors"]]
    assert all(e["message"] for e in data["errors"])
    assert _prefs(user) == ("ja", "Asia/Tokyo")
    user.refresh_from_db()
    assert user.email == "me@example.com"
    assert AuditEvent.objects.count() == audit_before


def test_too_long_value_says_the_limit(client: Client) -> None:
    _, secret = make_token(user=UserFactory())

    data = _patch(client, secret, {"time_zone": "A" * 65}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["errors"] == [{"field": "time_zone", "message": "Use at most 64 characters."}]


def test_unknown_field_is_named_in_the_error(client: Client) -> None:
    _, secret = make_token(user=UserFactory())

    data = _patch(client, secret, {"timezone": "UTC"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["code"] == "invalid"
    assert data["errors"] == [{"field": "timezone", "message": "This field is not allowed here."}]


def test_error_messages_follow_accept_language(client: Client) -> None:
    _, secret = make_token(user=UserFactory(language="en"))
    body = {"time_zone": "Mars/Base"}

    ja = _patch(client, secret, body, HTTP_ACCEPT_LANGUAGE="ja").json()
    en = _patch(client, secret, body, HTTP_ACCEPT_LANGUAGE="en").json()

    assert en["message"] == "Some of the values sent are not valid."
    assert en["errors"][0]["message"].startswith("“Mars/Base” is not a known time zone.")
    assert ja["message"] == "送信された値の一部が正しくありません。"
    assert "タイムゾーン" in ja["errors"][0]["message"]
    assert ja["code"] == en["code"] == "invalid"


def test_without_accept_language_a_token_speaks_the_account_language(client: Client) -> None:
    _, ja_secret = make_token(user=UserFactory(language="ja"))
    _, en_secret = make_token(user=UserFactory(language="en"))

    ja = client.post("/api/v1/me/tokens/999/revoke", **bearer(ja_secret)).json()
    en = client.post("/api/v1/me/tokens/999/revoke", **bearer(en_secret))

    assert ja["message"] == "見つかりません。"
    assert en.json()["message"] == "Not found."
    assert en["Content-Language"] == "en"


def test_my_tokens_lists_only_mine_and_never_a_secret(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    mine, secret = make_token(user=me, name="mine")
    make_token(user=other, name="theirs")

    response = client.get("/api/v1/me/tokens", **bearer(secret))

    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == ["mine"]
    assert body[0]["prefix"] == mine.prefix
    assert body[0]["is_active"] is True
    assert secret not in response.content.decode()
    assert "token_hash" not in body[0]


def test_my_tokens_query_count_does_not_grow(
    client: Client, django_assert_num_queries: Any
) -> None:
    user = UserFactory()
    client.force_login(user)
    make_token(user=user, name="first")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/me/tokens").status_code == 200
    for i in range(8):
        make_token(user=user, name=f"more {i}")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/me/tokens")
    assert len(response.json()) == 9


def test_revoke_my_token_through_the_api(client: Client) -> None:
    user = UserFactory()
    token, secret = make_token(user=user, name="old")
    _, other_secret = make_token(user=user, name="current")

    response = client.post(f"/api/v1/me/tokens/{token.pk}/revoke", **bearer(other_secret))

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    # Again: still revoked, still 200.
    again = client.post(f"/api/v1/me/tokens/{token.pk}/revoke", **bearer(other_secret))
    assert again.status_code == 200


def test_another_persons_token_cannot_be_revoked_through_the_api(client: Client) -> None:
    owner, other = UserFactory(), UserFactory()
    token, owner_secret = make_token(user=owner)
    _, other_secret = make_token(user=other)

    response = client.post(f"/api/v1/me/tokens/{token.pk}/revoke", **bearer(other_secret))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/me", **bearer(owner_secret)).status_code == 200
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0
