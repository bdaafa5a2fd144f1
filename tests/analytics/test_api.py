"""/api/v1/analytics/summary: the caller's own numbers only, and bad input refused."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.analytics.factories import client_profile, views_bulk
from tests.profiles.factories import worker
from tsunagu.analytics.services import profile_view_record, profile_views_roll_up

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics/summary"


def test_summary_needs_authentication(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"]


def test_summary_is_the_callers_own(client: Client) -> None:
    hana, ken = worker(), worker()
    views_bulk(
        hana,
        count=20,
        start=timezone.now() - datetime.timedelta(days=3),
        step=datetime.timedelta(hours=1),
        visitors=4,
        sources=("search",),
    )
    profile_views_roll_up()
    profile_view_record(profile=hana, viewer=client_profile().user, source="job", session_key="")
    client.force_login(hana.user)
    body = client.get(URL, {"days": 7}).json()
    assert body["days"] == 7 and len(body["per_day"]) == 7
    assert body["total_views"] == 21
    assert body["sources"]["search"] == 20 and body["sources"]["job"] == 1
    assert body["funnel"] == {"views": 21, "inquiries": 0, "proposals": 0, "contracts": 0}
    assert sum(day["views"] for day in body["per_day"]) == 21
    client.force_login(ken.user)
    body = client.get(URL).json()
    assert body["total_views"] == 0 and len(body["per_day"]) == 30


@pytest.mark.parametrize("days", ["0", "91", "abc", "-3"])
def test_bad_days_are_refused_with_a_message(client: Client, days: str) -> None:
    client.force_login(worker().user)
    response = client.get(URL, {"days": days})
    assert response.status_code in (400, 422)
    assert response.json()["message"]
