"""Profile pages: who may see and change what, bad input, both languages, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.profiles.factories import LinkItemFactory, png_upload, skill, worker
from tsunagu.profiles.models import PortfolioItem, Profile

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- public profile ----------------------------------------------------------------------------


def test_public_profile_shows_what_the_worker_wrote(client: Client) -> None:
    profile = worker(
        display_name="Hana",
        headline="日英翻訳",
        bio="**Ten years** of translation",
        bio_html="<p><strong>Ten years</strong> of translation</p>",
        skills=[skill("translation")],
        tags=["remote"],
        hourly_rate=3000,
        languages=["ja", "en"],
        legal_family_name="山田",
        legal_given_name="花子",
    )
    LinkItemFactory(profile=profile, title="My site", url="https://example.com/hana")
    html = page(client, reverse("profiles:detail", args=[profile.pk]))
    assert "Hana" in html and "日英翻訳" in html
    assert "<strong>Ten years</strong>" in html
    assert "翻訳" in html and "#remote" in html
    assert "¥3,000" in html
    assert 'href="https://example.com/hana" rel="nofollow' in html
    assert 'data-level="email"' in html  # verified e-mail badge
    assert "山田" not in html  # real name hidden unless chosen


def test_real_name_is_shown_beside_the_display_name_when_chosen(client: Client) -> None:
    profile = worker(
        display_name="Hana", show_real_name=True, legal_family_name="山田", legal_given_name="花子"
    )
    assert "(山田 花子)" in page(client, reverse("profiles:detail", args=[profile.pk]))


def test_profile_page_in_japanese_and_in_english(client: Client) -> None:
    profile = worker(display_name="Hana", hourly_rate=3000, languages=["en"])
    url = reverse("profiles:detail", args=[profile.pk])
    ja = page(client, url)
    assert '<html lang="ja">' in ja
    assert "時給" in ja and "¥3,000 / 時間" in ja and "英語" in ja
    client.cookies["tsunagu_language"] = "en"
    en = page(client, url)
    assert '<html lang="en">' in en
    assert "hourly rate" in en and "¥3,000 / hour" in en and "English" in en


def test_inactive_or_unknown_profiles_are_404(client: Client) -> None:
    profile = worker(is_active=False)
    assert client.get(reverse("profiles:detail", args=[profile.pk])).status_code == 404
    assert client.get(reverse("profiles:detail", args=[profile.pk + 999])).status_code == 404


def test_anonymous_viewer_picks_a_time_zone_and_a_bad_one_falls_back(client: Client) -> None:
    profile = worker(time_zone="America/New_York")
    url = reverse("profiles:detail", args=[profile.pk])
    html = page(client, url, data={"tz": "Europe/London"})
    assert 'data-zone="Europe/London"' in html and 'data-zone="America/New_York"' in html
    html = page(client, url, data={"tz": "Mars/Base"})
    assert 'data-zone="Asia/Tokyo"' in html
    assert "alert-warning" in html


def test_signed_in_viewer_sees_their_own_zone_and_hours(client: Client) -> None:
    profile = worker(time_zone="Asia/Kolkata")
    viewer = worker(time_zone="Europe/Berlin")
    client.force_login(viewer.user)
    html = page(client, reverse("profiles:detail", args=[profile.pk]), data={"tz": "UTC"})
    assert 'data-zone="Europe/Berlin"' in html  # the query parameter is for visitors only
    assert "tz-form" not in html
    assert "tb-both" in html  # Kolkata 9-18 and Berlin 9-18 share a few hours


# --- edit page ---------------------------------------------------------------------------------


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": "Hana",
        "headline": "Translator",
        "bio": "Hello <script>alert(1)</script>",
        "is_worker": "on",
        "skills": ["translation", "python"],
        "tags": "remote, night owl",
        "hourly_rate": "3500",
        "currency": "JPY",
        "working_hours_start": "09:00",
        "working_hours_end": "17:30",
        "working_days": ["0", "1", "2"],
        "weekly_capacity_hours": "30",
        "languages": ["ja", "en"],
        "availability": "limited",
    }
    data.update(overrides)
    return data


def test_edit_page_needs_a_login(client: Client) -> None:
    response = client.get(reverse("profiles:edit"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("profiles:edit"), form_data())
    assert response.status_code == 302
    assert not Profile.objects.filter(display_name="Hana").exists()


def test_owner_saves_the_profile(client: Client) -> None:
    profile = worker()
    client.force_login(profile.user)
    html = page(client, reverse("profiles:edit"))
    assert "Webデザイン" in html  # skills grouped by category
    for name in ("show_real_name", "is_worker", "is_client"):
        assert f'type="checkbox" name="{name}"' in html
    response = client.post(reverse("profiles:edit"), form_data())
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.display_name == "Hana"
    assert "<script" not in profile.bio_html and "Hello" in profile.bio_html
    assert profile.tags == ["remote", "night owl"]
    assert profile.hourly_rate == 3500
    assert profile.working_hours_end == dt.time(17, 30)
    assert profile.working_days == [0, 1, 2]
    assert profile.languages == ["ja", "en"]
    assert sorted(profile.skills.values_list("slug", flat=True)) == ["python", "translation"]


def test_a_second_user_edits_only_their_own_profile(client: Client) -> None:
    owner = worker(display_name="Owner")
    other = worker(display_name="Other")
    client.force_login(other.user)
    client.post(reverse("profiles:edit"), form_data(display_name="Changed"))
    owner.refresh_from_db()
    other.refresh_from_db()
    assert owner.display_name == "Owner"
    assert other.display_name == "Changed"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"display_name": "<script>alert(1)</script>"}, "display_name", "HTMLやスクリプト"),
        ({"headline": "<img src=x onerror=alert(1)>"}, "headline", "HTMLやスクリプト"),
        ({"display_name": "x" * 51}, "display_name", "50"),
        ({"headline": "x" * 121}, "headline", "120"),
        ({"tags": ",".join(f"t{i}" for i in range(21))}, "tags", "20"),
        ({"tags": "x" * 31}, "tags", "30"),
        ({"hourly_rate": "10.5"}, "hourly_rate", "小数"),
        ({"working_hours_end": "09:00"}, "working_hours_end", "開始"),
        ({"weekly_capacity_hours": "200"}, "weekly_capacity_hours", "112"),
        ({"skills": ["no-such-skill"]}, "skills", ""),
        ({"languages": ["xx"]}, "languages", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    client: Client, overrides: dict[str, object], field: str, message: str
) -> None:
    profile = worker(display_name="Before", headline="Same")
    client.force_login(profile.user)
    response = client.post(reverse("profiles:edit"), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    profile.refresh_from_db()
    assert (profile.display_name, profile.headline, profile.tags) == ("Before", "Same", [])
    assert not profile.skills.exists()


# --- portfolio ---------------------------------------------------------------------------------


def test_owner_adds_an_image_and_a_link(client: Client) -> None:
    profile = worker()
    client.force_login(profile.user)
    response = client.post(
        reverse("profiles:portfolio_add"), {"kind": "image", "title": "Logo", "file": png_upload()}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("profiles:portfolio_add"),
        {"kind": "link", "title": "Site", "url": "https://example.com/"},
    )
    assert response.status_code == 302
    assert list(profile.portfolio_items.values_list("kind", flat=True)) == ["image", "link"]
    html = page(client, reverse("profiles:detail", args=[profile.pk]))
    assert 'class="portfolio-thumb"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "link", "title": "Bad", "url": "javascript:alert(1)"},
        {"kind": "link", "title": "Missing"},
        {"kind": "image", "title": "No file"},
        {"kind": "video", "title": "Bad kind", "url": "https://example.com/"},
        {"kind": "link", "title": "<script>x</script>", "url": "https://example.com/"},
    ],
)
def test_bad_portfolio_input_is_refused(client: Client, data: dict[str, str]) -> None:
    profile = worker()
    client.force_login(profile.user)
    response = client.post(reverse("profiles:portfolio_add"), data)
    assert response.status_code == 400
    assert not PortfolioItem.objects.exists()
    assert "errorlist" in response.content.decode()


def test_a_disguised_file_is_refused_with_a_clear_message(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = worker()
    client.force_login(profile.user)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image at all")
    response = client.post(
        reverse("profiles:portfolio_add"), {"kind": "image", "title": "Photo", "file": fake}
    )
    assert response.status_code == 400
    assert "このファイル形式は受け付けていません" in response.content.decode() or (
        "file" in response.context["portfolio_form"].errors
    )
    assert not PortfolioItem.objects.exists()


def test_nobody_removes_someone_elses_portfolio_item(client: Client) -> None:
    owner = worker()
    item = LinkItemFactory(profile=owner)
    other = UserFactory()
    client.force_login(other)
    response = client.post(reverse("profiles:portfolio_remove", args=[item.pk]))
    assert response.status_code == 404
    assert PortfolioItem.objects.filter(pk=item.pk).exists()
    client.logout()
    response = client.post(reverse("profiles:portfolio_remove", args=[item.pk]))
    assert response.status_code == 302  # to the login page
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


def test_owner_removes_an_item_with_htmx_and_without(client: Client) -> None:
    owner = worker()
    first, second = LinkItemFactory.create_batch(2, profile=owner)
    client.force_login(owner.user)
    response = client.post(
        reverse("profiles:portfolio_remove", args=[first.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="portfolio-items"' in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(reverse("profiles:portfolio_remove", args=[second.pk]))
    assert response.status_code == 302
    assert not PortfolioItem.objects.exists()
    assert client.get(reverse("profiles:portfolio_remove", args=[second.pk])).status_code == 405


# --- worker list -------------------------------------------------------------------------------


def results(html: str) -> str:
    """The worker results only: a name must not match inside the page's random CSRF token."""
    start = html.index('id="worker-results"')
    return html[start : html.index("</section>", start)]


def test_worker_list_filters(client: Client) -> None:
    translator = worker(
        display_name="Hana", headline="翻訳", skills=[skill("translation")], languages=["ja"]
    )
    coder = worker(
        display_name="Ben",
        headline="Django developer",
        skills=[skill("django")],
        languages=["en"],
        availability="limited",
    )
    worker(display_name="Client only", is_worker=False)
    url = reverse("profiles:worker_list")
    html = results(page(client, url))
    assert "Hana" in html and "Ben" in html and "Client only" not in html
    html = results(page(client, url, data={"skill": "translation"}))
    assert "Hana" in html and "Ben" not in html
    html = results(page(client, url, data={"language": "en"}))
    assert "Ben" in html and "Hana" not in html
    html = results(page(client, url, data={"availability": "limited"}))
    assert "Ben" in html and "Hana" not in html
    html = results(page(client, url, data={"q": "django"}))
    assert "Ben" in html and "Hana" not in html
    html = results(page(client, url, data={"q": "ha"}))
    assert "Hana" in html and "Ben" not in html
    assert translator.pk and coder.pk


def test_worker_list_answers_htmx_with_the_results_only(client: Client) -> None:
    worker(display_name="Hana")
    response = client.get(reverse("profiles:worker_list"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="worker-results"')
    assert "Hana" in html


def test_worker_list_past_the_last_page_shows_the_last_page(client: Client) -> None:
    for i in range(25):
        worker(display_name=f"Worker {i:02d}")
    url = reverse("profiles:worker_list")
    html = page(client, url, data={"page": "99"})
    assert "alert-info" in html  # says the page does not exist
    assert html.count('class="card worker-card"') == 5
    html = page(client, url, data={"page": "abc"})
    assert html.count('class="card worker-card"') == 20


def test_a_bad_filter_is_explained_and_ignored(client: Client) -> None:
    worker(display_name="Hana")
    html = page(client, reverse("profiles:worker_list"), data={"skill": "nope"})
    assert "Hana" in html and "errorlist" in html


@pytest.mark.parametrize("rows", [1, 22])
def test_worker_list_query_count_is_constant(
    client: Client, django_assert_num_queries: Any, rows: int
) -> None:
    for i in range(rows):
        worker(
            display_name=f"W{i}",
            skills=[skill("translation"), skill("python")],
            languages=["ja"],
        )
    # count, rows, skills, badges, the skill options of the filter form
    with django_assert_num_queries(5):
        page(client, reverse("profiles:worker_list"))
    with django_assert_num_queries(6):  # + looking up the chosen skill
        page(client, reverse("profiles:worker_list"), data={"skill": "python", "language": "ja"})


def test_profile_admin_is_for_staff_only(client: Client) -> None:
    profile = worker(display_name="Hana")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(profile.user)
    assert client.get("/admin/profiles/profile/").status_code == 302
    client.force_login(staff)
    assert "Hana" in page(client, "/admin/profiles/profile/")
    page(client, f"/admin/profiles/profile/{profile.pk}/change/")


def test_edit_page_in_english(client: Client) -> None:
    profile = worker()
    client.force_login(profile.user)
    client.cookies["tsunagu_language"] = "en"
    html = page(client, reverse("profiles:edit"))
    assert "Save profile" in html and "Web design" in html
    client.cookies["tsunagu_language"] = "ja"
    html = page(client, reverse("profiles:edit"))
    assert "プロフィールを保存" in html and "Webデザイン" in html
