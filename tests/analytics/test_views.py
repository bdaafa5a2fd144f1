"""Analytics pages: owner only, private viewers hidden, reaching out, both languages, queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.analytics.factories import client_profile, views_bulk
from tests.contracts.factories import offer
from tests.profiles.factories import worker
from tsunagu.analytics import services
from tsunagu.analytics.models import AnalyticsPreference, ProfileView
from tsunagu.analytics.services import (
    analytics_preference_set,
    profile_view_record,
    profile_views_roll_up,
)
from tsunagu.messaging.models import Room, RoomKind
from tsunagu.messaging.services import room_open_inquiry
from tsunagu.profiles.models import Profile

pytestmark = pytest.mark.django_db

DASHBOARD = "/analytics/"


def _view(profile: Profile, viewer: Profile | None = None, **kwargs: Any) -> None:
    profile_view_record(
        profile=profile,
        viewer=viewer.user if viewer else None,
        source=kwargs.pop("source", "search"),
        session_key=kwargs.pop("session_key", "s"),
        **kwargs,
    )


def _page(client: Client, url: str = DASHBOARD, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- recording from the profile page ------------------------------------------------------------


def test_the_profile_page_records_a_view_with_its_source(client: Client) -> None:
    owner = worker(display_name="Hana")
    visitor = client_profile()
    client.force_login(visitor.user)
    _page(client, reverse("profiles:detail", args=[owner.pk]) + "?src=search")
    view = ProfileView.objects.get()
    assert (view.profile, view.viewer, view.source) == (owner, visitor.user, "search")


def test_the_profile_page_counts_anonymous_visitors_once_per_session(client: Client) -> None:
    owner = worker()
    url = reverse("profiles:detail", args=[owner.pk])
    _page(client, url)
    _page(client, url + "?src=bogus")
    other = Client(REMOTE_ADDR="10.0.0.9")
    _page(other, url + "?src=job")
    views = list(ProfileView.objects.order_by("id").values_list("viewer", "source"))
    assert views == [(None, "direct"), (None, "job")]
    assert not ProfileView.objects.filter(visitor_hash__contains="10.0.0").exists()


def test_the_owner_viewing_their_own_page_is_not_counted(client: Client) -> None:
    owner = worker()
    client.force_login(owner.user)
    _page(client, reverse("profiles:detail", args=[owner.pk]))
    assert ProfileView.objects.count() == 0


def test_a_failure_to_record_never_breaks_the_profile_page(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    owner = worker(display_name="Hana")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("tsunagu.analytics.recording.profile_view_record", broken)
    html = _page(client, reverse("profiles:detail", args=[owner.pk]))
    assert "Hana" in html
    assert "could not record a view" in caplog.text
    assert ProfileView.objects.count() == 0


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_each_owner_sees_only_their_own_analytics(client: Client) -> None:
    hana, ken = worker(display_name="Hana"), worker(display_name="Ken")
    acme = client_profile(display_name="ACME")
    _view(hana, acme)
    client.force_login(ken.user)
    html = _page(client)
    assert "ACME" not in html
    assert re.search(r"<dd>0</dd>", html)
    client.force_login(hana.user)
    assert "ACME" in _page(client)


def test_the_dashboard_shows_the_chart_sources_clients_and_funnel(client: Client) -> None:
    owner = worker(display_name="Hana")
    acme = client_profile(display_name="ACME")
    lurker = client_profile(display_name="Lurker")
    fellow_worker = worker(display_name="Fellow")
    start = timezone.now() - datetime.timedelta(days=5)
    views_bulk(owner, count=12, start=start, step=datetime.timedelta(hours=2), visitors=4)
    profile_views_roll_up()
    _view(owner, acme, source="job")
    _view(owner, lurker)
    _view(owner, fellow_worker)  # not a client: counted, not listed
    analytics_preference_set(user=lurker.user, private_browsing=True)
    room_open_inquiry(client=acme.user, worker=owner.user, by=acme.user)
    offer(client=acme.user, worker=owner.user)
    client.force_login(owner.user)
    html = _page(client)
    assert html.count('class="analytics-bar') == 30
    assert "<title" in html and "<desc" in html  # accessible chart text
    assert " style=" not in html
    assert "ACME" in html and "Lurker" not in html and "Fellow" not in html
    assert f'name="viewer" value="{acme.user.pk}"' in html
    figures = re.findall(r"<dd>([\d,]+)</dd>", html)
    assert figures[0] == "15"  # 12 rolled up + 3 today
    funnel = re.findall(r"<li><span>[^<]+</span><strong>([^<]+)</strong></li>", html)
    assert funnel == ["15", "1", "0", "1"]


def test_a_viewer_who_turns_private_later_disappears_from_the_list(client: Client) -> None:
    owner = worker()
    acme = client_profile(display_name="ACME")
    _view(owner, acme, now=timezone.now() - datetime.timedelta(days=2))
    profile_views_roll_up()
    client.force_login(owner.user)
    assert "ACME" in _page(client)
    analytics_preference_set(user=acme.user, private_browsing=True)
    assert "ACME" not in _page(client)


def test_90_days_and_a_bad_period(client: Client) -> None:
    owner = worker()
    client.force_login(owner.user)
    assert _page(client, DASHBOARD + "?days=90").count('class="analytics-bar') == 90
    html = _page(client, DASHBOARD + "?days=7000")
    assert html.count('class="analytics-bar') == 30
    assert "30日または90日" in html


def test_the_dashboard_in_japanese_and_english(client: Client) -> None:
    owner = worker()
    client.force_login(owner.user)
    html = _page(client)
    assert "プロフィール分析" in html and "閲覧から契約まで" in html
    client.cookies["tsunagu_language"] = "en"
    owner.user.language = "en"
    owner.user.save()
    html = _page(client)
    assert "Profile analytics" in html and "From view to contract" in html


def _queries_for(client: Client, django_assert_num_queries: Any, n: int) -> None:
    with django_assert_num_queries(n):
        _page(client)


def test_the_dashboard_runs_a_constant_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = worker()
    client.force_login(owner.user)
    client.get(DASHBOARD)  # warm up the session
    with CaptureQueriesContext(connection) as few:
        _page(client)
    start = timezone.now() - datetime.timedelta(days=29)
    views_bulk(owner, count=3000, start=start, step=datetime.timedelta(minutes=13), visitors=50)
    for i in range(30):
        _view(owner, client_profile(), session_key=f"k{i}")
    profile_views_roll_up(now=timezone.now() + datetime.timedelta(minutes=5))
    for i in range(5):
        _view(owner, client_profile(), session_key=f"t{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = _page(client)
    assert html.count('name="viewer"') == 35


# --- reaching out -------------------------------------------------------------------------------


def test_reaching_out_opens_an_inquiry_and_reuses_it(client: Client) -> None:
    owner = worker()
    acme = client_profile()
    _view(owner, acme)
    client.force_login(owner.user)
    response = client.post(reverse("analytics:reach_out"), {"viewer": acme.user.pk})
    room = Room.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:room", args=[room.pk])
    assert (room.kind, room.client, room.subject_type, room.subject_id) == (
        RoomKind.INQUIRY,
        acme.user,
        "profile",
        str(owner.pk),
    )
    assert set(room.members.values_list("user", flat=True)) == {owner.user.pk, acme.user.pk}
    client.post(reverse("analytics:reach_out"), {"viewer": acme.user.pk})
    assert Room.objects.count() == 1


def test_no_one_can_reach_out_to_someone_who_viewed_another_profile(client: Client) -> None:
    hana, ken = worker(), worker()
    acme = client_profile()
    _view(hana, acme)
    client.force_login(ken.user)
    response = client.post(reverse("analytics:reach_out"), {"viewer": acme.user.pk}, follow=True)
    assert Room.objects.count() == 0
    assert "閲覧していない" in response.content.decode()


@pytest.mark.parametrize("bad", ["", "abc", "-1", "0", "999999"])
def test_bad_viewer_ids_change_nothing(client: Client, bad: str) -> None:
    owner = worker()
    client.force_login(owner.user)
    response = client.post(reverse("analytics:reach_out"), {"viewer": bad}, follow=True)
    assert response.status_code == 200
    assert Room.objects.count() == 0
    assert 'class="alert alert-error' in response.content.decode()


def test_private_viewers_and_non_clients_cannot_be_reached(client: Client) -> None:
    owner = worker()
    private = client_profile()
    fellow = worker()
    _view(owner, private, session_key="a")
    _view(owner, fellow, session_key="b")
    analytics_preference_set(user=private.user, private_browsing=True)
    client.force_login(owner.user)
    for person in (private, fellow, owner):
        client.post(reverse("analytics:reach_out"), {"viewer": person.user.pk})
    assert Room.objects.count() == 0


def test_reaching_out_is_rate_limited(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "REACH_OUT_LIMIT", 2)
    owner = worker()
    clients = [client_profile() for _ in range(3)]
    for i, person in enumerate(clients):
        _view(owner, person, session_key=str(i))
    client.force_login(owner.user)
    for person in clients[:2]:
        assert (
            client.post(reverse("analytics:reach_out"), {"viewer": person.user.pk}).status_code
            == 302
        )
    response = client.post(
        reverse("analytics:reach_out"), {"viewer": clients[2].user.pk}, follow=True
    )
    assert Room.objects.count() == 2
    assert "明日" in response.content.decode()


def test_reach_out_needs_post_and_sign_in(client: Client) -> None:
    assert client.post(reverse("analytics:reach_out"), {"viewer": 1}).status_code == 302
    client.force_login(worker().user)
    assert client.get(reverse("analytics:reach_out")).status_code == 405
    assert Room.objects.count() == 0


# --- private browsing setting -------------------------------------------------------------------


def test_private_browsing_setting_is_ones_own(client: Client) -> None:
    me, other = client_profile(), client_profile()
    client.force_login(me.user)
    assert "プライベートブラウズ" in _page(client, reverse("analytics:preferences"))
    response = client.post(reverse("analytics:preferences"), {"private_browsing": "on"})
    assert response.status_code == 302
    assert AnalyticsPreference.objects.get(user=me.user).private_browsing is True
    assert not AnalyticsPreference.objects.filter(user=other.user).exists()
    client.post(reverse("analytics:preferences"), {})
    assert AnalyticsPreference.objects.get(user=me.user).private_browsing is False


def test_settings_page_links_to_private_browsing(client: Client) -> None:
    client.force_login(worker().user)
    assert reverse("analytics:preferences") in _page(client, reverse("accounts:settings"))


def test_preferences_need_sign_in(client: Client) -> None:
    response = client.post(reverse("analytics:preferences"), {"private_browsing": "on"})
    assert response.status_code == 302
    assert AnalyticsPreference.objects.count() == 0
    cache.clear()


def test_the_proposal_step_counts_only_a_model_it_understands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.apps import apps

    from tsunagu.analytics import selectors
    from tsunagu.contracts.models import Contract
    from tsunagu.jobs.models import Job

    owner = worker()
    acme = client_profile()
    offer(client=acme.user, worker=owner.user)
    since = timezone.now() - datetime.timedelta(days=1)
    monkeypatch.setattr(apps, "get_model", lambda app, name: Job)  # no "worker" field
    assert selectors.funnel(profile=owner, since=since, views=0).proposals is None
    monkeypatch.setattr(apps, "get_model", lambda app, name: Contract)  # worker + created_at
    assert selectors.funnel(profile=owner, since=since, views=0).proposals == 1
    assert selectors.funnel(profile=worker(), since=since, views=0).proposals == 0


def test_chart_labels_stay_inside_the_picture() -> None:
    from tsunagu.analytics.chart import WIDTH, views_chart
    from tsunagu.analytics.selectors import DayCount

    start = datetime.date(2025, 1, 1)
    days = [DayCount(start + datetime.timedelta(days=i), i % 4, 1) for i in range(30)]
    chart = views_chart(days)
    assert chart.maximum == 3 and len(chart.bars) == 30
    assert all(bar.x >= 0 and bar.x + bar.width <= WIDTH for bar in chart.bars)
    assert chart.ticks[-1].anchor == "end" and chart.ticks[-1].x == WIDTH
    assert max(bar.height for bar in chart.bars) == chart.baseline - 10
    assert [bar.height for bar in chart.bars if bar.views == 0] == [0.0] * 8
