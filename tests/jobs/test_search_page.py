"""The search page answered from the index: markers keep status, visibility, category and type in
the index; a common word lists its newest matches and says "1,000+"; invite-only jobs stay
exact; a closed job never shows. Runs on SQLite (FTS5) and PostgreSQL (GIN) alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.jobs.factories import category, published_job
from tsunagu.jobs import search, selectors, services
from tsunagu.jobs.models import Job, JobKind, JobSearchDocument, JobStatus, Visibility
from tsunagu.jobs.selectors import SearchParams

pytestmark = pytest.mark.django_db


def page(viewer: Any = None, **params: Any) -> selectors.JobPage:
    return selectors.job_search(viewer=viewer, params=SearchParams(**params), page_number=1)


def page_titles(viewer: Any = None, **params: Any) -> list[str]:
    return [card.job.title for card in page(viewer, **params).cards]


def queryset_titles(viewer: Any = None, **params: Any) -> list[str]:
    qs = selectors.job_search_queryset(viewer=viewer, params=SearchParams(**params))
    return list(qs.values_list("title", flat=True))


@pytest.fixture
def mixed() -> dict[str, Any]:
    client = UserFactory()
    invited = UserFactory()
    jobs = {
        "ja": published_job(client, title="記事の翻訳", description="英語の記事を翻訳します。"),
        "video": published_job(
            client,
            title="動画編集者募集",
            description="動画の翻訳字幕も入れてください。",
            category=category("video-editing"),
        ),
        "hourly": published_job(
            client,
            title="翻訳チェック",
            description="翻訳の確認作業です。",
            kind=JobKind.HOURLY,
            budget_min=2000,
            budget_max=3000,
            weekly_hours_cap=10,
        ),
        "secret": published_job(
            client, title="非公開の翻訳", description="翻訳", visibility=Visibility.INVITE_ONLY
        ),
        "python": published_job(client, title="Python developer", description="Django"),
    }
    services.job_invite(actor=client, job=jobs["secret"], worker=invited)
    return {"client": client, "invited": invited, "stranger": UserFactory(), **jobs}


@pytest.mark.parametrize(
    "params",
    [
        {"query": "翻訳"},
        {"query": "訳"},
        {"query": "動画"},
        {"query": "翻訳", "category": "video-editing"},
        {"query": "翻訳", "kind": "hourly"},
        {"query": "翻訳", "category": "translation", "kind": "fixed"},
        {"query": "pyth"},
        {"query": "翻訳 python"},
    ],
)
def test_the_page_lists_what_the_queryset_lists(mixed: dict[str, Any], params: Any) -> None:
    for viewer in (None, mixed["client"], mixed["invited"], mixed["stranger"]):
        result = page(viewer, **params)
        assert [c.job.title for c in result.cards] == queryset_titles(viewer, **params)
        assert result.page.paginator.count == len(result.cards)
        assert result.capped is False


def test_invite_only_jobs_stay_exact_on_the_page(mixed: dict[str, Any]) -> None:
    assert "非公開の翻訳" in page_titles(mixed["client"], query="翻訳")
    assert "非公開の翻訳" in page_titles(mixed["invited"], query="翻訳")
    assert "非公開の翻訳" not in page_titles(mixed["stranger"], query="翻訳")
    assert "非公開の翻訳" not in page_titles(None, query="翻訳")
    services.job_update(
        actor=mixed["client"], job=mixed["secret"], values={"visibility": Visibility.PUBLIC}
    )
    assert "非公開の翻訳" in page_titles(mixed["stranger"], query="翻訳")
    services.job_update(
        actor=mixed["client"], job=mixed["secret"], values={"visibility": Visibility.INVITE_ONLY}
    )
    assert "非公開の翻訳" not in page_titles(mixed["stranger"], query="翻訳")
    assert "非公開の翻訳" in page_titles(mixed["invited"], query="翻訳")


def test_a_closed_job_leaves_the_results_and_comes_back_when_reopened(
    mixed: dict[str, Any],
) -> None:
    client, job = mixed["client"], mixed["ja"]
    services.job_close(actor=client, job=job)
    assert "記事の翻訳" not in page_titles(None, query="翻訳")
    assert "記事の翻訳" not in page_titles(client, query="記事")
    assert search.LISTED not in JobSearchDocument.objects.get(job=job).markers.split()
    services.job_reopen(actor=client, job=job)
    assert "記事の翻訳" in page_titles(None, query="翻訳")
    assert search.LISTED in JobSearchDocument.objects.get(job=job).markers.split()


def test_a_job_closed_behind_the_index_back_is_still_never_shown(mixed: dict[str, Any]) -> None:
    """The index still says listed (nothing re-indexed the job); the jobs table wins."""
    Job.objects.filter(pk=mixed["ja"].pk).update(status=JobStatus.CLOSED)
    result = page(None, query="記事")
    assert result.cards == []
    assert result.page.paginator.count == 0
    assert "記事の翻訳" not in page_titles(None, query="翻訳")


def test_a_category_or_type_change_moves_the_job_between_filters(mixed: dict[str, Any]) -> None:
    services.job_update(
        actor=mixed["client"],
        job=mixed["ja"],
        values={"category": category("video-editing"), "kind": JobKind.MILESTONES},
    )
    assert "記事の翻訳" in page_titles(None, query="翻訳", category="video-editing")
    assert "記事の翻訳" not in page_titles(None, query="翻訳", category="translation")
    assert page_titles(None, query="翻訳", kind="milestones") == ["記事の翻訳"]
    assert "記事の翻訳" not in page_titles(None, query="翻訳", kind="fixed")


@pytest.mark.parametrize(
    "query", ["listed", "_listed", "kind", "fixed", "hourly", "category", "window", "public"]
)
def test_markers_are_never_found_as_words(mixed: dict[str, Any], query: str) -> None:
    assert page_titles(mixed["client"], query=query) == []
    assert queryset_titles(mixed["client"], query=query) == []


def test_a_common_word_lists_its_newest_matches_and_says_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    client = UserFactory()
    jobs = [published_job(client, title=f"盆栽 {i}") for i in range(5)]
    published_job(client, title="動画編集")
    result = page(None, query="盆栽")
    assert result.capped is True
    assert result.page.paginator.count == 3
    assert {c.job.pk for c in result.cards} == {j.pk for j in jobs[-3:]}
    assert len(queryset_titles(None, query="盆栽")) == 5  # the other sorts list every match
    other = page(None, query="盆栽", sort="newest")
    assert (other.capped, other.page.paginator.count) == (False, 5)

    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 5)
    result = page(None, query="盆栽")
    assert (result.capped, result.page.paginator.count) == (False, 5)


def test_the_capped_count_shows_as_a_lower_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 2)
    client = UserFactory()
    for i in range(3):
        published_job(client, title=f"翻訳 {i}")
    html = Client().get(reverse("jobs:list"), {"q": "翻訳"}).content.decode()
    assert "2 件以上の仕事が見つかりました" in html
    body = Client().get("/api/v1/jobs", {"q": "翻訳"}).json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (2, True, 2)
    body = Client().get("/api/v1/jobs", {"q": "翻訳", "sort": "newest"}).json()
    assert (body["count"], body["count_capped"]) == (3, False)


def test_an_invited_job_older_than_the_newest_matches_is_ranked_with_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The invited job is older than every public match: it is only listed if it is among the
    newest SEARCH_LIMIT matches the viewer may see, like any other job."""
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 2)
    client, invited = UserFactory(), UserFactory()
    secret = published_job(client, title="翻訳 secret", visibility=Visibility.INVITE_ONLY)
    services.job_invite(actor=client, job=secret, worker=invited)
    assert page_titles(invited, query="翻訳") == ["翻訳 secret"]
    published_job(client, title="翻訳 1")
    published_job(client, title="翻訳 2")
    result = page(invited, query="翻訳")
    assert (result.capped, {c.job.title for c in result.cards}) == (True, {"翻訳 1", "翻訳 2"})


def test_newest_matches_are_found_across_id_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of two ids: PostgreSQL walks them newest first, as far as it must."""
    monkeypatch.setattr(search, "WINDOW_BITS", 1)
    client = UserFactory()
    rare = published_job(client, title="盆栽の撮影")
    for i in range(12):
        published_job(client, title=f"翻訳 {i}" if i % 3 else f"翻訳と動画 {i}")
    assert page_titles(None, query="盆栽") == ["盆栽の撮影"]
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    result = page(None, query="動画")
    assert (result.capped, result.page.paginator.count) == (True, 3)
    assert [c.job.title for c in result.cards] == ["翻訳と動画 9", "翻訳と動画 6", "翻訳と動画 3"]
    result = page(None, query="盆栽")
    assert ([c.job.pk for c in result.cards], result.capped) == ([rare.pk], False)
    monkeypatch.setattr(search, "WINDOW_STEPS", 2)  # the newest window, then all the rest
    assert [c.job.pk for c in page(None, query="盆栽").cards] == [rare.pk]
    assert len(page(None, query="動画").cards) == 3


def test_reindex_restores_the_markers(mixed: dict[str, Any]) -> None:
    JobSearchDocument.objects.update(markers="")
    services.search_reindex()
    assert "記事の翻訳" in page_titles(None, query="翻訳")
    assert page_titles(None, query="翻訳", kind="hourly") == ["翻訳チェック"]


def test_search_page_query_count_with_invitations(django_assert_max_num_queries: Any) -> None:
    client, invited = UserFactory(), UserFactory()
    job = published_job(client, title="非公開の翻訳", visibility="invite_only")
    services.job_invite(actor=client, job=job, worker=invited)
    browser = Client()
    browser.force_login(invited)
    with django_assert_max_num_queries(16) as small:
        browser.get(reverse("jobs:list"), {"q": "翻訳"})
    for i in range(25):
        other = published_job(UserFactory(), title=f"翻訳の仕事 {i}", visibility="invite_only")
        services.job_invite(actor=other.client, job=other, worker=invited)
        published_job(UserFactory(), title=f"翻訳 {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = browser.get(reverse("jobs:list"), {"q": "翻訳"})
    assert "51 件の仕事が見つかりました" in response.content.decode()
