"""Lists show each person's stored trust score, and the worker list filters and sorts by it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tests.profiles.factories import worker
from tests.proposals.factories import proposal
from tsunagu.profiles.models import Profile
from tsunagu.profiles.services import profile_trust_scores_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def three() -> dict[str, Profile]:
    people = {"high": worker(), "low": worker(), "new": worker()}
    profile_trust_scores_record(
        scores={people["high"].user_id: (91, None), people["low"].user_id: (40, None)}
    )
    return people


def names(response: Any) -> list[str]:
    return [card.profile.display_name for card in response.context["result"].cards]


def test_the_list_sorts_by_trust_with_new_workers_last(three: dict[str, Profile]) -> None:
    response = Client().get(reverse("profiles:worker_list"), {"sort": "trust"})

    shown = names(response)
    order = [three[k].display_name for k in ("high", "low", "new")]
    assert [n for n in shown if n in order] == order
    text = response.content.decode()
    assert "信用 91" in text and "新規" in text


def test_the_list_filters_by_a_minimum_score(three: dict[str, Profile]) -> None:
    shown = names(Client().get(reverse("profiles:worker_list"), {"min_score": "50"}))

    assert three["high"].display_name in shown
    assert three["low"].display_name not in shown and three["new"].display_name not in shown


def test_a_bad_minimum_is_explained_and_ignored(three: dict[str, Profile]) -> None:
    response = Client().get(reverse("profiles:worker_list"), {"min_score": "150"})

    assert response.status_code == 200
    assert "100" in str(response.context["form"].errors["min_score"])
    assert three["low"].display_name in names(response)


def test_the_api_lists_scores_and_refuses_a_bad_minimum(three: dict[str, Profile]) -> None:
    ok = Client().get("/api/v1/profiles", {"min_score": "50", "sort": "trust"})
    bad = Client().get("/api/v1/profiles", {"min_score": "abc"})

    assert ok.status_code == 200
    items = ok.json()["items"]
    assert [i["worker_trust_score"] for i in items] == [91]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "min_score"


def test_a_client_sees_each_proposers_score(three: dict[str, Profile]) -> None:
    client = UserFactory()
    job = published_job(client=client)
    proposal(job=job, worker=three["high"].user)
    proposal(job=job, worker=three["new"].user)
    browser = Client()
    browser.force_login(client)

    text = browser.get(reverse("proposals:job", args=[job.pk])).content.decode()

    assert "信用 91" in text and "新規" in text


def test_jobs_filter_and_sort_by_the_clients_score() -> None:
    trusted, unknown = UserFactory(), UserFactory()
    profile_trust_scores_record(scores={trusted.pk: (None, 88)})
    good = published_job(client=trusted, title="翻訳の仕事（信用あり）")
    new = published_job(client=unknown, title="翻訳の仕事（新規）")

    filtered = Client().get("/api/v1/jobs", {"client_score_min": "50"}).json()
    ordered = Client().get("/api/v1/jobs", {"sort": "client_trust"}).json()
    bad = Client().get("/api/v1/jobs", {"client_score_min": "101"})

    assert [j["id"] for j in filtered["items"]] == [good.pk]
    assert [j["id"] for j in ordered["items"]][:2] == [good.pk, new.pk]
    assert bad.status_code == 422
    page = Client().get(reverse("jobs:list"), {"client_score_min": "50"})
    assert page.status_code == 200 and "翻訳の仕事（新規）" not in page.content.decode()
