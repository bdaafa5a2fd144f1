"""Notification pages and API: only one's own, mark read, no open redirect, cheap count."""

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
from tsunagu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def note(user: User, message: str = "届きました", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind="test", message=message, url=url)


def unread(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_list_needs_sign_in(client: Client) -> None:
    assert client.get("/notifications/").status_code == 302


def test_list_shows_only_my_notifications_newest_first_with_unread_marked(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    note(me, "古いお知らせ")
    note(me, "新しいお知らせ")
    note(other, "他人のお知らせ")
    client.force_login(me)
    html = client.get("/notifications/").content.decode()
    assert "他人のお知らせ" not in html
    assert html.index("新しいお知らせ") < html.index("古いお知らせ")
    assert html.count('class="unread"') == 2
    assert 'data-testid="unread-count">2<' in html


def test_list_in_english(client: Client) -> None:
    client.force_login(UserFactory())
    client.cookies["tsunagu_language"] = "en"
    html = client.get("/notifications/").content.decode()
    assert "<h1>Notifications</h1>" in html and "You have no notifications yet." in html


def test_mark_all_read_touches_only_mine(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    note(me)
    note(me)
    note(other)
    client.force_login(me)
    assert client.get("/notifications/read-all/").status_code == 405
    assert client.post("/notifications/read-all/").status_code == 302
    assert unread(me) == 0
    assert unread(other) == 1


def test_opening_one_marks_it_read_and_follows_an_internal_link(client: Client) -> None:
    me = UserFactory()
    n = note(me, url="/payments/wallet/")
    client.force_login(me)
    response = client.post(f"/notifications/{n.pk}/open/")
    assert response["Location"] == "/payments/wallet/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        " /x",
    ],
)
def test_outside_links_are_never_followed(client: Client, url: str) -> None:
    me = UserFactory()
    n = note(me, url=url)
    client.force_login(me)
    response = client.post(f"/notifications/{n.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_a_second_person_cannot_open_or_mark_anothers(client: Client) -> None:
    owner = UserFactory()
    n = note(owner, url="/payments/wallet/")
    client.force_login(UserFactory())
    assert client.post(f"/notifications/{n.pk}/open/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_header_count_is_polled_and_counted_once(client: Client) -> None:
    me = UserFactory()
    for _ in range(3):
        note(me)
    client.force_login(me)
    html = client.get("/notifications/unread/").content.decode()
    # polled every 30 s, and at once when a live-update socket says the count moved
    assert 'hx-trigger="every 30s, live"' in html
    assert 'data-testid="unread-count">3<' in html
    # the header of any page shows it too, with one COUNT query
    with CaptureQueriesContext(connection) as queries:
        client.get("/payments/wallet/")
    counts = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1


def test_list_query_count_is_constant(client: Client, django_assert_num_queries: Any) -> None:
    me = UserFactory()
    note(me)
    client.force_login(me)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for i in range(30):
        note(me, f"n{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/notifications/")


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_only_mine_and_marks_read(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    mine = [note(me, f"m{i}", url="https://evil.example/" if i == 0 else "/x/") for i in range(3)]
    theirs = note(other)
    _, secret = make_token(user=me)
    auth = bearer(secret)
    listed = client.get("/api/v1/notifications", **auth).json()
    assert listed["count"] == 3 and listed["unread"] == 3
    assert {item["id"] for item in listed["items"]} == {n.pk for n in mine}
    assert {item["url"] for item in listed["items"]} == {"", "/x/"}
    response = client.post(
        "/api/v1/notifications/read",
        json.dumps({"ids": [mine[0].pk, theirs.pk]}),
        content_type="application/json",
        **auth,
    )
    assert response.json() == {"marked": 1, "unread": 2}
    assert unread(other) == 1
    response = client.post(
        "/api/v1/notifications/read", "{}", content_type="application/json", **auth
    )
    assert response.json() == {"marked": 2, "unread": 0}


def test_api_refuses_unknown_fields_and_bad_ids(client: Client) -> None:
    me = UserFactory()
    note(me)
    _, secret = make_token(user=me)
    for body in ({"all": True}, {"ids": "x"}, {"ids": ["a"]}):
        response = client.post(
            "/api/v1/notifications/read",
            json.dumps(body),
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 422
    assert unread(me) == 1
    assert client.get("/api/v1/notifications").status_code == 401


def test_api_list_query_count_is_constant(client: Client, django_assert_num_queries: Any) -> None:
    me = UserFactory()
    note(me)
    _, secret = make_token(user=me)
    client.get("/api/v1/notifications", **bearer(secret))
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/notifications", **bearer(secret))
    for i in range(30):
        note(me, f"n{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/v1/notifications", **bearer(secret))
