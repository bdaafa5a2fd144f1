"""Search: Japanese 1- and 2-character words, English words, filters, sorting, visibility;
the same results on SQLite (FTS5) and PostgreSQL (GIN)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import category, published_job
from tests.profiles.factories import skill, worker
from tsunagu.jobs import selectors, services
from tsunagu.jobs.models import Job, JobKind
from tsunagu.jobs.selectors import SearchParams

pytestmark = pytest.mark.django_db


def titles(viewer: object = None, **params: object) -> list[str]:
    qs = selectors.job_search_queryset(viewer=viewer, params=SearchParams(**params))  # type: ignore[arg-type]
    return list(qs.values_list("title", flat=True))


@pytest.fixture
def jobs() -> dict[str, Job]:
    client = UserFactory()
    return {
        "video": published_job(
            client,
            title="動画編集者募集",
            description="YouTube の動画を編集してください。",
            category=category("video-editing"),
            budget_min=None,
            budget_max=50_000,
        ),
        "translate": published_job(
            client,
            title="記事の翻訳",
            description="英語の記事を日本語に翻訳します。",
            budget_max=20_000,
        ),
        "python": published_job(
            client,
            title="Python developer for data analysis",
            description="Build pandas reports.",
            category=category("programming"),
            kind=JobKind.HOURLY,
            budget_min=3000,
            budget_max=4000,
            weekly_hours_cap=10,
            skills=[skill("python")],
        ),
    }


def test_backend_in_use() -> None:
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("翻訳", ["記事の翻訳"]),
        ("記事", ["記事の翻訳"]),
        ("動画", ["動画編集者募集"]),
        ("編集者", ["動画編集者募集"]),
        ("訳", ["記事の翻訳"]),
        ("python", ["Python developer for data analysis"]),
        ("ＰＹＴＨＯＮ", ["Python developer for data analysis"]),
        ("analy", ["Python developer for data analysis"]),
        ("youtube 動画", ["動画編集者募集"]),
        ("翻訳 python", []),
        ("画集", []),  # both characters occur, but not next to each other
    ],
)
def test_query(jobs: dict[str, Job], query: str, expected: list[str]) -> None:
    assert titles(query=query) == expected


def test_category_and_skill_names_are_searchable(jobs: dict[str, Job]) -> None:
    assert titles(query="プログラミング") == ["Python developer for data analysis"]
    assert titles(query="video editing") == ["動画編集者募集"]


def test_filters(jobs: dict[str, Job]) -> None:
    assert titles(category="video-editing") == ["動画編集者募集"]
    assert titles(kind="hourly") == ["Python developer for data analysis"]
    assert titles(skills=["python"]) == ["Python developer for data analysis"]
    assert set(titles(budget_min=30_000)) == {
        "動画編集者募集",
        "Python developer for data analysis",
    }
    assert titles(budget_max=20_000) == ["記事の翻訳"]


def test_date_posted_filter(jobs: dict[str, Job]) -> None:
    Job.objects.filter(pk=jobs["video"].pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10)
    )
    assert "動画編集者募集" not in titles(posted_within="7")
    assert "動画編集者募集" in titles(posted_within="30")


def test_sorting(jobs: dict[str, Job]) -> None:
    assert titles(sort="budget") == [
        "Python developer for data analysis",  # 4,000 × 10 h × 4 weeks
        "動画編集者募集",
        "記事の翻訳",
    ]
    assert titles()[0] == "Python developer for data analysis"  # newest first


def test_relevance_prefers_the_title(jobs: dict[str, Job]) -> None:
    client = UserFactory()
    published_job(client, title="データ入力", description="動画のリストを入力します。")
    found = titles(query="動画", sort="relevance")
    assert found[0] == "動画編集者募集"
    assert len(found) == 2


def test_client_verification_filter(jobs: dict[str, Job]) -> None:
    # factories verify the e-mail address, nobody has a phone number
    assert len(titles(verification="email")) == 3
    assert titles(verification="phone") == []


def test_invite_only_jobs_are_invisible_to_others(jobs: dict[str, Job]) -> None:
    client = UserFactory()
    invited = UserFactory()
    stranger = UserFactory()
    job = published_job(client, title="非公開の翻訳", visibility="invite_only")
    services.job_invite(actor=client, job=job, worker=invited)
    assert "非公開の翻訳" in titles(client, query="翻訳")
    assert "非公開の翻訳" in titles(invited, query="翻訳")
    assert "非公開の翻訳" not in titles(stranger, query="翻訳")
    assert "非公開の翻訳" not in titles(None, query="翻訳")


def test_closed_and_draft_jobs_are_not_listed(jobs: dict[str, Job]) -> None:
    client = jobs["video"].client
    services.job_close(actor=client, job=jobs["video"])
    services.job_draft_save(client=client, job=None, values={"title": "動画の下書き"})
    assert titles(query="動画") == []


def test_worker_search_over_profiles() -> None:
    worker(
        display_name="Hana",
        headline="日英翻訳・ローカライズ",
        bio="ゲームの字幕翻訳",
        tags=["ゲーム"],
        skills=[skill("subtitles")],
    )
    worker(display_name="Ken", headline="Video editor", is_worker=True)
    worker(display_name="Client only", headline="翻訳を依頼", is_worker=False)

    def names(q: str) -> list[str]:
        return [p.display_name for p in selectors.worker_search(query=q, page_number=1).profiles]

    assert names("翻訳") == ["Hana"]
    assert names("字幕") == ["Hana"]
    assert names("ゲーム") == ["Hana"]
    assert names("video") == ["Ken"]
    assert names("Subtitling") == ["Hana"]  # skill name in English


def test_reindex_rebuilds_both_indexes(jobs: dict[str, Job]) -> None:
    worker(display_name="Hana", headline="日英翻訳")
    call_command("search", "reindex")
    assert titles(query="翻訳") == ["記事の翻訳"]
    assert [
        p.display_name for p in selectors.worker_search(query="翻訳", page_number=1).profiles
    ] == ["Hana"]
