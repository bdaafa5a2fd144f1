"""Reads: completeness, money for the reader's language, and the time view of a profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.profiles.factories import LinkItemFactory, skill, worker
from tsunagu.profiles.money import format_hourly_rate, format_money
from tsunagu.profiles.selectors import profile_completeness, profile_time_view

pytestmark = pytest.mark.django_db


def test_a_new_profile_says_what_to_fill_in_next() -> None:
    profile = worker(working_days=[])
    result = profile_completeness(profile=profile)
    assert result.percent == 0
    labels = [label for label, _url in result.missing]
    assert len(labels) == 8
    assert all(url.startswith("/profiles/me/edit/#") for _label, url in result.missing)
    with translation.override("ja"):
        assert profile_completeness(profile=profile).missing[0][0] == "キャッチコピーを追加する"


def test_a_full_profile_is_complete() -> None:
    profile = worker(
        headline="Translator",
        bio="Hello",
        skills=[skill("translation")],
        languages=["ja"],
        tags=["remote"],
        hourly_rate=3000,
    )
    assert profile_completeness(profile=profile).percent == 88  # portfolio still missing
    LinkItemFactory(profile=profile)
    result = profile_completeness(profile=profile)
    assert (result.percent, result.missing) == (100, [])


def test_a_client_is_not_asked_for_a_rate_or_portfolio() -> None:
    profile = worker(is_worker=False, is_client=True, headline="Shop", bio="We sell tea")
    result = profile_completeness(profile=profile)
    assert result.percent == 40
    assert "/profiles/me/edit/#id_hourly_rate" not in [url for _label, url in result.missing]


def test_money_is_written_for_the_readers_language() -> None:
    assert format_money(3000, "JPY", language="ja") == "¥3,000"
    assert format_money(3000, "JPY", language="en") == "¥3,000"
    assert format_money(1250, "USD", language="en") == "$12.50"
    assert format_money(650000, "EUR", language="ja") == "€6,500.00"
    with translation.override("en"):
        assert format_hourly_rate(None, "JPY") == "Rate on request"
        assert format_hourly_rate(1250, "USD") == "$12.50 / hour"
    with translation.override("ja"):
        assert format_hourly_rate(3000, "JPY") == "¥3,000 / 時間"


def test_time_view_converts_the_workers_hours_into_the_viewers_zone() -> None:
    profile = worker(time_zone="America/New_York", working_hours_start=dt.time(9))
    now = dt.datetime(2025, 1, 15, 3, 0, tzinfo=dt.UTC)  # Tue 22:00 in New York
    view = profile_time_view(
        profile=profile, viewer_zone_name="Asia/Tokyo", viewer_profile=None, now=now
    )
    assert view.worker_now.strftime("%H:%M") == "22:00"
    assert view.viewer_now.strftime("%H:%M") == "12:00"
    assert view.converted is not None
    assert view.converted.start.strftime("%H:%M") == "23:00"  # NY 09:00 in January
    assert view.viewer_assumed
    assert len(view.typical.cells) == 48


def test_an_unknown_zone_falls_back_to_tokyo() -> None:
    profile = worker(time_zone="Not/AZone")
    view = profile_time_view(profile=profile, viewer_zone_name="../etc", viewer_profile=None)
    assert (view.worker_zone, view.viewer_zone) == ("Asia/Tokyo", "Asia/Tokyo")
