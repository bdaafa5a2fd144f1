"""Pages: search (with query counts), a job, posting with autosave, close/reopen, saved
searches, worker search; every page checked with a second user."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import category, published_job
from tests.profiles.factories import worker
from tsunagu.jobs import services
from tsunagu.jobs.models import Job, JobInvitation, JobStatus, SavedSearch

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "動画編集者募集",
        "description": "YouTube 動画の編集をお願いします。",
        "category": category("video-editing").pk,
        "kind": "fixed",
        "budget_min": "10000",
        "budget_max": "30000",
        "weekly_hours_cap": "",
        "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "workers_wanted": "1",
        "visibility": "public",
        "trial_description": "",
        "trial_fee": "",
        "action": "publish",
    }
    data.update(overrides)
    return data


def test_anonymous_can_search_and_see_public_jobs() -> None:
    job = published_job(title="記事の翻訳")
    response = Client().get(reverse("jobs:list"), {"q": "翻訳"})
    assert response.status_code == 200
    assert "記事の翻訳" in response.content.decode()
    assert Client().get(reverse("jobs:detail", args=[job.pk])).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 10_000}, "検索キーワードは 200 文字までです。"),
        ({"q": "!!! ??? ★"}, "記号だけでなく、検索する言葉を入力してください。"),
        ({"budget_min": "9000", "budget_max": "10"}, "予算の下限が上限を上回っています。"),
    ],
)
def test_bad_searches_say_why(params: dict[str, str], message: str) -> None:
    published_job()
    response = Client().get(reverse("jobs:list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "件の仕事が見つかりました" not in response.content.decode()


def test_empty_search_lists_the_newest_jobs() -> None:
    published_job(title="一件目")
    response = Client().get(reverse("jobs:list"), {"q": "  "})
    assert "一件目" in response.content.decode()


def test_page_out_of_range_shows_the_last_page_and_says_so() -> None:
    published_job()
    response = Client().get(reverse("jobs:list"), {"page": "99"})
    assert "99 ページはありません" in response.content.decode()


def test_search_page_query_count_does_not_grow(django_assert_max_num_queries: Any) -> None:
    client = UserFactory()
    for i in range(3):
        published_job(client, title=f"翻訳 {i}")
    browser = Client()
    with django_assert_max_num_queries(12) as small:
        browser.get(reverse("jobs:list"), {"q": "翻訳"})
    for i in range(25):
        published_job(UserFactory(), title=f"翻訳の仕事 {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = browser.get(reverse("jobs:list"), {"q": "翻訳"})
    assert response.status_code == 200


def test_invite_only_job_is_hidden_from_a_second_user() -> None:
    owner = UserFactory()
    invited = UserFactory()
    stranger = UserFactory()
    job = published_job(owner, title="非公開の案件", visibility="invite_only")
    services.job_invite(actor=owner, job=job, worker=invited)
    url = reverse("jobs:detail", args=[job.pk])
    assert login(owner).get(url).status_code == 200
    assert login(invited).get(url).status_code == 200
    assert login(stranger).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    page = login(stranger).get(reverse("jobs:list"), {"q": "非公開"}).content.decode()
    assert "非公開の案件" not in page


def test_draft_is_visible_to_its_owner_only() -> None:
    owner = UserFactory()
    draft = services.job_draft_save(client=owner, job=None, values={"title": "下書き"})
    assert login(owner).get(reverse("jobs:edit", args=[draft.pk])).status_code == 200
    assert login(UserFactory()).get(reverse("jobs:detail", args=[draft.pk])).status_code == 404
    assert login(UserFactory()).get(reverse("jobs:edit", args=[draft.pk])).status_code == 404


def test_post_a_job() -> None:
    owner = UserFactory()
    response = login(owner).post(reverse("jobs:new"), form_data())
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.OPEN
    assert job.client == owner


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"budget_min": "50000", "budget_max": "1000"}, "予算の下限が上限を上回っています。"),
        ({"deadline": "2001-01-01"}, "締め切りが過去の日付になっています。"),
        ({"kind": "hourly", "weekly_hours_cap": ""}, "時間単価の仕事には週の上限時間が必要です。"),
    ],
)
def test_bad_jobs_are_refused_and_nothing_is_saved(overrides: dict[str, str], message: str) -> None:
    response = login(UserFactory()).post(reverse("jobs:new"), form_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Job.objects.count() == 0


def test_autosave_creates_one_draft_then_updates_it() -> None:
    owner = UserFactory()
    browser = login(owner)
    first = browser.post(reverse("jobs:autosave"), {"title": "途中まで", "draft": ""})
    assert first.status_code == 200
    draft = Job.objects.get()
    assert f'value="{draft.pk}"' in first.content.decode()
    browser.post(reverse("jobs:autosave"), {"title": "続き", "draft": str(draft.pk)})
    draft.refresh_from_db()
    assert (Job.objects.count(), draft.title, draft.status) == (1, "続き", JobStatus.DRAFT)
    other = login(UserFactory()).post(
        reverse("jobs:autosave"), {"title": "乗っ取り", "draft": str(draft.pk)}
    )
    assert other.status_code == 404
    draft.refresh_from_db()
    assert draft.title == "続き"


def test_close_and_reopen_only_by_the_owner() -> None:
    owner = UserFactory()
    job = published_job(owner)
    assert login(UserFactory()).post(reverse("jobs:close", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN
    login(owner).post(reverse("jobs:close", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    login(owner).post(reverse("jobs:reopen", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN


def test_pages_for_signed_in_people_need_a_login() -> None:
    for name in ("jobs:new", "jobs:mine", "jobs:saved"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_my_jobs_lists_only_mine() -> None:
    owner = UserFactory()
    published_job(owner, title="私の仕事")
    published_job(UserFactory(), title="他人の仕事")
    page = login(owner).get(reverse("jobs:mine")).content.decode()
    assert "私の仕事" in page
    assert "他人の仕事" not in page


def test_attachments_only_for_those_who_may_see_the_job(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = UserFactory()
    job = published_job(owner, visibility="invite_only")
    upload = SimpleUploadedFile("brief.txt", "仕様です\n".encode(), content_type="text/plain")
    login(owner).post(reverse("jobs:attachment_add", args=[job.pk]), {"file": upload})
    attachment = job.attachments.get()
    url = reverse("jobs:attachment", args=[attachment.pk])
    assert login(owner).get(url).status_code == 200
    assert login(UserFactory()).get(url).status_code == 404
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = login(owner).post(reverse("jobs:attachment_add", args=[job.pk]), {"file": empty})
    assert response.status_code == 302
    assert job.attachments.count() == 1


def test_invite_from_worker_search() -> None:
    owner = UserFactory()
    job = published_job(owner, visibility="invite_only")
    profile = worker(display_name="Hana", headline="翻訳者")
    page = login(owner).get(reverse("jobs:workers"), {"q": "翻訳"}).content.decode()
    assert "Hana" in page
    assert "この仕事に招待" in page
    login(owner).post(reverse("jobs:invite"), {"job": job.pk, "profile": profile.pk})
    assert JobInvitation.objects.filter(job=job, worker=profile.user).exists()
    # someone else cannot invite to a job that is not theirs
    response = login(UserFactory()).post(
        reverse("jobs:invite"), {"job": job.pk, "profile": worker().pk}
    )
    assert response.status_code == 404
    assert JobInvitation.objects.count() == 1


def test_worker_search_query_count(django_assert_max_num_queries: Any) -> None:
    for i in range(3):
        worker(display_name=f"W{i}", headline="翻訳")
    with django_assert_max_num_queries(10) as small:
        Client().get(reverse("jobs:workers"), {"q": "翻訳"})
    for i in range(20):
        worker(display_name=f"X{i}", headline="翻訳")
    with django_assert_max_num_queries(len(small.captured_queries)):
        Client().get(reverse("jobs:workers"), {"q": "翻訳"})


def test_save_a_search_and_get_each_new_match_once(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    browser = login(user)
    response = browser.post(
        reverse("jobs:saved_create") + "?q=翻訳&category=translation",
        {"name": "翻訳", "alerts": "on"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=user)
    assert saved.filters["category"] == "translation"
    job = published_job(title="記事の翻訳")
    published_job(title="動画編集", category=category("video-editing"))
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.saved_search_alert(saved_search=saved)
    assert sent == [job.pk]
    assert len(mail.outbox) == 1
    assert "記事の翻訳" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.saved_search_alert(saved_search=saved) == []
    assert len(mail.outbox) == 1
    assert "翻訳" in browser.get(reverse("jobs:saved")).content.decode()
    assert (
        login(UserFactory()).post(reverse("jobs:saved_delete", args=[saved.pk])).status_code == 404
    )
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_an_empty_saved_search_is_refused() -> None:
    user = UserFactory()
    login(user).post(reverse("jobs:saved_create"), {"name": "全部"})
    assert SavedSearch.objects.count() == 0


def test_english_pages() -> None:
    published_job(title="Logo design")
    response = Client(headers={"accept-language": "en"}).get(
        reverse("jobs:list"), {"q": "!!!"}, HTTP_COOKIE="tsunagu_language=en"
    )
    assert "Enter words to search for, not only symbols." in response.content.decode()
