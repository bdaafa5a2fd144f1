"""GET /api/v1/jobs: public search for anyone, with clear errors and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tsunagu.jobs import services

pytestmark = pytest.mark.django_db


def test_anonymous_search() -> None:
    job = published_job(title="動画編集者募集", description="YouTube の動画編集")
    published_job(title="記事の翻訳")
    response = Client().get("/api/v1/jobs", {"q": "動画"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["page"] == 1
    item = body["items"][0]
    assert (item["id"], item["title"], item["description"]) == (
        job.pk,
        "動画編集者募集",
        "YouTube の動画編集",
    )
    assert item["category"]["withholding_applies"] is True


def test_invite_only_jobs_are_not_listed_or_readable_by_others() -> None:
    owner = UserFactory()
    invited = UserFactory()
    job = published_job(owner, title="非公開の翻訳", visibility="invite_only")
    services.job_invite(actor=owner, job=job, worker=invited)
    assert Client().get("/api/v1/jobs", {"q": "翻訳"}).json()["count"] == 0
    assert Client().get(f"/api/v1/jobs/{job.pk}").status_code == 404
    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    mine = Client()
    mine.force_login(invited)
    assert mine.get("/api/v1/jobs", {"q": "翻訳"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "翻" * 10_000}, "q"),
        ({"q": "@@@ !!!"}, "q"),
        ({"budget_min": 9000, "budget_max": 1}, "budget_min"),
        ({"page": 5}, "page"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_input(params: dict[str, Any], field: str) -> None:
    published_job()
    response = Client().get("/api/v1/jobs", params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert field in [e["field"] for e in body["errors"]]


def test_list_query_count_is_constant(django_assert_max_num_queries: Any) -> None:
    for _ in range(2):
        published_job(UserFactory())
    with django_assert_max_num_queries(10) as small:
        Client().get("/api/v1/jobs")
    for _ in range(15):
        published_job(UserFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(Client().get("/api/v1/jobs").json()["items"]) == 17
