"""Recording views and rolling them up: owner views, de-duplication, privacy, idempotence."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from tests.analytics.factories import client_profile, views_bulk
from tests.profiles.factories import worker
from tsunagu.analytics import services
from tsunagu.analytics.models import (
    AnalyticsPreference,
    ProfileView,
    ProfileViewDaily,
    ProfileViewer,
    RollupState,
    ViewSource,
)
from tsunagu.analytics.selectors import source_from_query
from tsunagu.analytics.services import (
    analytics_preference_set,
    profile_view_record,
    profile_views_roll_up,
)

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LATER = datetime.timedelta(minutes=10)


def test_a_view_is_recorded_with_its_viewer_and_source() -> None:
    owner = worker(display_name="Hana")
    visitor = client_profile()
    view = profile_view_record(
        profile=owner, viewer=visitor.user, source=ViewSource.SEARCH, session_key="session-xyz"
    )
    assert view is not None
    stored = ProfileView.objects.get()
    assert stored.viewer == visitor.user
    assert stored.source == "search"
    assert len(stored.visitor_hash) == 64
    assert "session-xyz" not in stored.visitor_hash  # a hash, never the key itself


def test_the_owner_viewing_their_own_profile_is_not_counted() -> None:
    owner = worker()
    assert (
        profile_view_record(
            profile=owner, viewer=owner.user, source=ViewSource.DIRECT, session_key="abc"
        )
        is None
    )
    assert ProfileView.objects.count() == 0


def test_repeat_views_by_the_same_viewer_within_30_minutes_count_once() -> None:
    owner = worker()
    visitor = client_profile()
    for _ in range(3):
        profile_view_record(
            profile=owner, viewer=visitor.user, source=ViewSource.DIRECT, session_key="x"
        )
    # the same person from another browser session is still the same viewer
    profile_view_record(
        profile=owner, viewer=visitor.user, source=ViewSource.DIRECT, session_key="y"
    )
    assert ProfileView.objects.count() == 1


def test_repeat_anonymous_views_are_deduplicated_by_session() -> None:
    owner = worker()
    for key in ("s1", "s1", "s2", "s1"):
        profile_view_record(profile=owner, viewer=None, source=ViewSource.DIRECT, session_key=key)
    assert ProfileView.objects.count() == 2


def test_the_same_visitor_viewing_two_profiles_counts_on_each() -> None:
    first, second = worker(), worker()
    visitor = client_profile()
    for profile in (first, second):
        profile_view_record(
            profile=profile, viewer=visitor.user, source=ViewSource.DIRECT, session_key=""
        )
    assert ProfileView.objects.count() == 2


def test_views_after_30_minutes_count_again() -> None:
    from django.core.cache import cache

    owner = worker()
    start = timezone.now()
    profile_view_record(
        profile=owner, viewer=None, source=ViewSource.DIRECT, session_key="s", now=start
    )
    cache.clear()  # what 30 minutes do to the de-duplication key in a shared cache
    profile_view_record(
        profile=owner,
        viewer=None,
        source=ViewSource.DIRECT,
        session_key="s",
        now=start + datetime.timedelta(minutes=31),
    )
    assert ProfileView.objects.count() == 2


def test_a_private_viewer_is_counted_without_their_name() -> None:
    owner = worker()
    visitor = client_profile()
    analytics_preference_set(user=visitor.user, private_browsing=True)
    profile_view_record(
        profile=owner, viewer=visitor.user, source=ViewSource.SEARCH, session_key=""
    )
    view = ProfileView.objects.get()
    assert view.viewer is None
    assert view.visitor_hash == services.visitor_hash(viewer=visitor.user, session_key="")


def test_bad_input_is_refused_and_stores_nothing() -> None:
    owner = worker()
    with pytest.raises(ValueError, match="source"):
        profile_view_record(profile=owner, viewer=None, source="twitter", session_key="s")
    with pytest.raises(ValueError, match="session"):
        profile_view_record(profile=owner, viewer=None, source="direct", session_key="")
    assert ProfileView.objects.count() == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, "direct"), ("", "direct"), ("search", "search"), ("job", "job"), ("<x>", "other")],
)
def test_source_from_the_query_parameter(given: str | None, expected: str) -> None:
    assert source_from_query(given) == expected


def test_preference_set_is_idempotent() -> None:
    visitor = client_profile()
    analytics_preference_set(user=visitor.user, private_browsing=True)
    analytics_preference_set(user=visitor.user, private_browsing=True)
    analytics_preference_set(user=visitor.user, private_browsing=False)
    assert AnalyticsPreference.objects.get(user=visitor.user).private_browsing is False


# --- roll-up -----------------------------------------------------------------------------------


def _daily(profile_id: int) -> dict[datetime.date, tuple[int, int]]:
    return {
        row.day: (row.views, row.unique_viewers)
        for row in ProfileViewDaily.objects.filter(profile_id=profile_id)
    }


def test_roll_up_counts_views_per_day_in_the_owners_time_zone() -> None:
    owner = worker(time_zone="Asia/Tokyo")
    # 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo
    start = datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC)
    views_bulk(owner, count=4, start=start, step=datetime.timedelta(minutes=40), visitors=3)
    taken = profile_views_roll_up(now=start + datetime.timedelta(days=1))
    assert taken == 4
    assert _daily(owner.pk) == {datetime.date(2025, 3, 2): (4, 3)}
    row = ProfileViewDaily.objects.get()
    assert row.views_search + row.views_job + row.views_proposal + row.views_direct == 4


def test_roll_up_twice_never_double_counts() -> None:
    owner = worker()
    start = timezone.now() - datetime.timedelta(days=3)
    views_bulk(owner, count=50, start=start, step=datetime.timedelta(minutes=30), visitors=7)
    assert profile_views_roll_up() == 50
    first = _daily(owner.pk)
    assert profile_views_roll_up() == 0
    assert _daily(owner.pk) == first
    assert sum(v for v, _u in first.values()) == 50
    assert RollupState.objects.get().last_id == ProfileView.objects.order_by("-id")[0].pk


def test_unique_viewers_stay_right_across_batches_of_the_same_day() -> None:
    owner = worker(time_zone="UTC")
    start = datetime.datetime(2025, 5, 1, 1, 0, tzinfo=datetime.UTC)
    views_bulk(owner, count=30, start=start, step=datetime.timedelta(minutes=10), visitors=5)
    while profile_views_roll_up(batch_size=7, now=start + datetime.timedelta(days=2)):
        pass
    # added up per batch this would be more than 5 unique visitors
    assert _daily(owner.pk) == {datetime.date(2025, 5, 1): (30, 5)}


def test_views_still_settling_wait_for_the_next_run() -> None:
    owner = worker()
    now = timezone.now()
    views_bulk(owner, count=3, start=now - datetime.timedelta(hours=1), step=datetime.timedelta(0))
    views_bulk(owner, count=2, start=now, step=datetime.timedelta(0))
    assert profile_views_roll_up(now=now) == 3
    assert profile_views_roll_up(now=now + LATER) == 2
    assert sum(v for v, _u in _daily(owner.pk).values()) == 5


def test_roll_up_keeps_the_latest_view_of_each_signed_in_viewer() -> None:
    owner = worker()
    visitor = client_profile()
    earlier = timezone.now() - datetime.timedelta(days=2)
    profile_view_record(
        profile=owner, viewer=visitor.user, source="search", session_key="", now=earlier
    )
    from django.core.cache import cache

    cache.clear()
    profile_view_record(
        profile=owner,
        viewer=visitor.user,
        source="job",
        session_key="",
        now=earlier + datetime.timedelta(days=1),
    )
    profile_views_roll_up()
    seen = ProfileViewer.objects.get()
    assert (seen.viewer_id, seen.last_source) == (visitor.user.pk, "job")
    assert seen.last_viewed_at == earlier + datetime.timedelta(days=1)


def test_roll_up_of_several_zones_and_profiles() -> None:
    tokyo = worker(time_zone="Asia/Tokyo")
    york = worker(time_zone="America/New_York")
    broken = worker(time_zone="Nowhere/Atlantis")  # unknown zones count in UTC
    start = datetime.datetime(2025, 6, 10, 12, 0, tzinfo=datetime.UTC)
    for profile in (tokyo, york, broken):
        views_bulk(profile, count=2, start=start, step=datetime.timedelta(hours=1))
    profile_views_roll_up(now=start + datetime.timedelta(days=1))
    assert list(_daily(tokyo.pk)) == [datetime.date(2025, 6, 10)]  # 21:00 and 22:00 JST
    assert list(_daily(york.pk)) == [datetime.date(2025, 6, 10)]  # 08:00 and 09:00 EDT
    assert _daily(broken.pk) == {datetime.date(2025, 6, 10): (2, 2)}


@pytest.mark.django_db(transaction=True)
def test_concurrent_roll_ups_count_each_view_once() -> None:
    owner = worker()
    start = timezone.now() - datetime.timedelta(days=2)
    views_bulk(owner, count=400, start=start, step=datetime.timedelta(minutes=5), visitors=9)
    barrier = threading.Barrier(3)
    taken: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            while n := profile_views_roll_up(batch_size=60):
                taken.append(n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(taken) == 400  # no batch was taken twice
    expected: dict[datetime.date, set[str]] = {}
    counts: dict[datetime.date, int] = {}
    for view in ProfileView.objects.all():
        day = view.created_at.astimezone(TOKYO).date()
        expected.setdefault(day, set()).add(view.visitor_hash)
        counts[day] = counts.get(day, 0) + 1
    assert _daily(owner.pk) == {day: (counts[day], len(expected[day])) for day in counts}


def test_the_tick_runs_the_roll_up() -> None:
    from tsunagu.core.periodic import registered_jobs, run_periodic_jobs

    assert "analytics.roll_up_views" in registered_jobs()
    owner = worker()
    views_bulk(
        owner, count=5, start=timezone.now() - datetime.timedelta(hours=3), step=LATER, visitors=2
    )
    assert run_periodic_jobs()["analytics.roll_up_views"] == "ok"
    assert sum(v for v, _u in _daily(owner.pk).values()) == 5
