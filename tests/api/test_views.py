"""The personal API tokens page: create (secret shown once), list, revoke."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tsunagu.api.models import ApiToken
from tsunagu.api.services import MAX_ACTIVE_TOKENS
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/settings/api-tokens/"
SECRET_RE = re.compile(r"tsu_[A-Za-z0-9_-]{40}")


def test_url_name() -> None:
    assert reverse("api:tokens") == URL


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    for response in (client.get(URL), client.post(URL, {"name": "x"})):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert ApiToken.objects.count() == 0


def test_page_in_japanese_by_default_and_in_english(client: Client) -> None:
    client.force_login(UserFactory())

    ja = client.get(URL).content.decode()
    assert '<html lang="ja">' in ja
    assert "APIトークン" in ja
    assert "トークンを作成" in ja

    en = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in en
    assert "API tokens" in en
    assert "Create token" in en


def test_create_shows_the_secret_once_and_stores_only_its_hash(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)

    response = client.post(URL, {"name": "invoice script"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secrets = set(SECRET_RE.findall(html))
    assert len(secrets) == 1
    secret = secrets.pop()
    token = ApiToken.objects.get(user=user)
    assert token.name == "invoice script"
    assert token.token_hash != secret
    assert "data-copy-target" in html  # the copy button

    # Shown once: the list page never shows it again.
    again = client.get(URL).content.decode()
    assert secret not in again
    assert token.prefix in again
    # And it works.
    assert Client().get("/api/v1/me", **bearer(secret)).json()["id"] == user.pk


def test_create_with_htmx_swaps_the_panel(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.post(URL, {"name": "ci"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert SECRET_RE.search(html)
    assert 'id="new-token-secret"' in html


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_bad_name_gets_a_message_and_creates_nothing(client: Client, name: str) -> None:
    client.force_login(UserFactory())

    response = client.post(URL, {"name": name}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html
    assert SECRET_RE.search(html) is None
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_limit_reached_says_so_and_creates_nothing(client: Client) -> None:
    user = UserFactory()
    for i in range(MAX_ACTIVE_TOKENS):
        make_token(user=user, name=f"t{i}")
    client.force_login(user)

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the most allowed" in page
    response = client.post(URL, {"name": "one more"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Revoke one you no longer use" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS


def test_list_shows_only_my_tokens(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    make_token(user=me, name="mine-laptop")
    theirs, _ = make_token(user=other, name="their-server")
    client.force_login(me)

    html = client.get(URL).content.decode()

    assert "mine-laptop" in html
    assert "their-server" not in html
    assert theirs.prefix not in html


def test_revoke_with_htmx_returns_the_row(client: Client) -> None:
    user = UserFactory()
    token, secret = make_token(user=user, name="old")
    client.force_login(user)

    response = client.post(
        reverse("api:token_revoke", args=[token.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="token-{token.pk}">')
    assert "Revoked" in html
    assert "<form" not in html  # no second revoke button
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401

    # Idempotent: a second POST (double click) answers the same row and changes nothing.
    revoked_at = token.revoked_at
    again = client.post(reverse("api:token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEvent.objects.filter(event="api_token.revoked").count() == 1


def test_revoke_without_htmx_redirects_to_the_list(client: Client) -> None:
    user = UserFactory()
    token, _ = make_token(user=user)
    client.force_login(user)

    response = client.post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == URL


def test_revoke_needs_post(client: Client) -> None:
    user = UserFactory()
    token, _ = make_token(user=user)
    client.force_login(user)

    assert client.get(reverse("api:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_persons_token_cannot_be_revoked(client: Client) -> None:
    owner, other = UserFactory(), UserFactory()
    token, secret = make_token(user=owner)
    client.force_login(other)

    response = client.post(reverse("api:token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 200


def test_revoke_needs_the_csrf_token() -> None:
    user = UserFactory()
    token, _ = make_token(user=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_list_query_count_is_constant(client: Client, django_assert_num_queries: Any) -> None:
    user = UserFactory()
    make_token(user=user, name="first")
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200

    for i in range(10):
        token, _ = make_token(user=user, name=f"more {i}")
        if i % 2:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.created_at)
    ApiToken.objects.filter(name="more 3").update(revoked_at=token.created_at)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.content.decode().count('<tr id="token-') == 11
