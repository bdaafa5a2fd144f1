"""/api/v1/profiles: public list and detail, and the caller's own profile."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.factories import bearer, make_token
from tests.profiles.factories import LinkItemFactory, skill, worker
from tsunagu.audit.models import AuditEvent
from tsunagu.profiles.models import Profile

pytestmark = pytest.mark.django_db


def patch(client: Client, secret: str, body: Any, **extra: Any) -> Any:
    return client.patch(
        "/api/v1/profiles/me",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(secret),
        **extra,
    )


def snapshot(profile: Profile) -> tuple[Any, ...]:
    profile.refresh_from_db()
    return (
        profile.display_name,
        profile.headline,
        profile.bio_html,
        profile.tags,
        profile.hourly_rate,
        profile.currency,
        profile.working_hours_start,
        profile.working_days,
        sorted(profile.skills.values_list("slug", flat=True)),
    )


def test_anyone_lists_workers_with_filters(client: Client) -> None:
    worker(display_name="Hana", skills=[skill("translation")], languages=["ja"], hourly_rate=3000)
    worker(display_name="Ben", skills=[skill("django")], languages=["en"])
    worker(display_name="Client only", is_worker=False)
    body = client.get("/api/v1/profiles").json()
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1
    assert {p["display_name"] for p in body["items"]} == {"Hana", "Ben"}
    hana = client.get("/api/v1/profiles", {"skill": "translation"}).json()["items"]
    assert [p["display_name"] for p in hana] == ["Hana"]
    assert hana[0]["hourly_rate"] == 3000 and hana[0]["currency"] == "JPY"
    assert hana[0]["skills"][0]["name_ja"] == "翻訳"
    assert hana[0]["verified"] == ["email"]
    assert [
        p["display_name"]
        for p in client.get("/api/v1/profiles", {"language": "en"}).json()["items"]
    ] == ["Ben"]


def test_a_bad_filter_is_a_422_with_the_field(client: Client) -> None:
    response = client.get("/api/v1/profiles", {"skill": "nope"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == "skill"


def test_anyone_reads_one_profile_but_not_an_inactive_one(client: Client) -> None:
    profile = worker(display_name="Hana", bio_html="<p>hi</p>")
    LinkItemFactory(profile=profile, url="https://example.com/a")
    body = client.get(f"/api/v1/profiles/{profile.pk}").json()
    assert body["display_name"] == "Hana" and body["bio_html"] == "<p>hi</p>"
    assert body["portfolio"][0]["url"] == "https://example.com/a"
    assert "email" not in body  # contact details are never public
    gone = worker(is_active=False)
    response = client.get(f"/api/v1/profiles/{gone.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_my_profile_needs_authentication(client: Client) -> None:
    assert client.get("/api/v1/profiles/me").status_code == 401
    response = client.patch(
        "/api/v1/profiles/me", data='{"headline": "x"}', content_type="application/json"
    )
    assert response.status_code == 401


def test_patch_changes_only_what_is_sent_and_only_the_callers_profile(client: Client) -> None:
    mine = worker(display_name="Mine", headline="Old", hourly_rate=2000)
    theirs = worker(display_name="Theirs")
    before_theirs = snapshot(theirs)
    _, secret = make_token(user=mine.user)
    response = patch(
        client,
        secret,
        {
            "headline": "Translator",
            "bio": "**hi** <script>x</script>",
            "skills": ["translation"],
            "tags": ["Remote", "remote"],
            "working_hours_start": "08:30",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == mine.pk
    assert body["headline"] == "Translator"
    assert body["tags"] == ["remote"]
    assert body["hourly_rate"] == 2000  # untouched
    assert "<script" not in body["bio_html"]
    assert body["working_hours_start"] == "08:30:00"
    assert snapshot(theirs) == before_theirs
    assert AuditEvent.objects.filter(event="profile.updated", subject_id=str(mine.pk)).exists()


def test_patch_rates_are_minor_units(client: Client) -> None:
    mine = worker()
    _, secret = make_token(user=mine.user)
    assert (
        patch(client, secret, {"hourly_rate": 1250, "currency": "USD"}).json()["hourly_rate"]
        == 1250
    )
    mine.refresh_from_db()
    assert (mine.hourly_rate, mine.currency) == (1250, "USD")
    assert patch(client, secret, {"hourly_rate": None}).json()["hourly_rate"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "<script>alert(1)</script>"}, "display_name"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"headline": "x" * 121}, "headline"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"skills": ["no-such-skill"]}, "skills"),
        ({"languages": ["xx"]}, "languages"),
        ({"working_days": [9]}, "working_days"),
        ({"working_hours_start": "09:00", "working_hours_end": "09:00"}, "working_hours_end"),
        ({"weekly_capacity_hours": 500}, "weekly_capacity_hours"),
        ({"currency": "GBP"}, "currency"),
        ({"user": 1}, "user"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_patch_is_422_names_the_field_and_changes_nothing(
    client: Client, body: dict[str, Any], field: str
) -> None:
    mine = worker(display_name="Mine", headline="Old")
    before = snapshot(mine)
    _, secret = make_token(user=mine.user)
    response = patch(client, secret, body)
    assert response.status_code == 422, response.json()
    payload = response.json()
    assert payload["code"] == "invalid" and payload["message"]
    assert field in [e["field"] for e in payload["errors"]]
    assert snapshot(mine) == before
    assert not AuditEvent.objects.filter(event__startswith="profile").exists()


def test_patch_errors_are_in_the_readers_language(client: Client) -> None:
    mine = worker()
    _, secret = make_token(user=mine.user)
    body = {"display_name": "<b>x</b>"}
    ja = patch(client, secret, body, HTTP_ACCEPT_LANGUAGE="ja").json()
    en = patch(client, secret, body, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "HTML" in en["errors"][0]["message"] and "not allowed" in en["errors"][0]["message"]
    assert "使えません" in ja["errors"][0]["message"]


def test_session_patch_needs_csrf(client: Client) -> None:
    mine = worker(headline="Old")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(mine.user)
    response = csrf_client.patch(
        "/api/v1/profiles/me", data='{"headline": "New"}', content_type="application/json"
    )
    assert response.status_code in (401, 403)
    mine.refresh_from_db()
    assert mine.headline == "Old"


@pytest.mark.parametrize("rows", [1, 22])
def test_list_query_count_is_constant(
    client: Client, django_assert_num_queries: Any, rows: int
) -> None:
    for i in range(rows):
        worker(display_name=f"W{i}", skills=[skill("python"), skill("react")])
    # count, rows, skills, badges
    with django_assert_num_queries(4):
        body = client.get("/api/v1/profiles").json()
    assert len(body["items"]) == min(rows, 20)
