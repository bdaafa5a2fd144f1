"""Several web processes agree on the 30-minute de-duplication of profile views.

Without a shared cache each process has its own local memory, so the decision is taken in the
database (one row per profile and visitor); with Redis it is the cache's. Clearing the local
cache stands for "the next request lands on another process".
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.utils import timezone

from tests.analytics.factories import client_profile
from tests.profiles.factories import worker
from tests.support.races import race
from tests.support.services import redis_url
from tsunagu.analytics.models import ProfileView, ProfileViewSeen, ViewSource
from tsunagu.analytics.services import profile_view_record, profile_view_seen_sweep


@pytest.mark.django_db
def test_a_second_process_with_its_own_cache_does_not_count_the_view_again() -> None:
    owner, visitor = worker(), client_profile()
    start = timezone.now()
    first = profile_view_record(
        profile=owner, viewer=visitor.user, source=ViewSource.SEARCH, session_key="", now=start
    )
    cache.clear()  # another process: nothing in its local memory
    again = profile_view_record(
        profile=owner,
        viewer=visitor.user,
        source=ViewSource.SEARCH,
        session_key="",
        now=start + datetime.timedelta(minutes=5),
    )
    assert first is not None and again is None
    assert ProfileView.objects.count() == 1
    later = profile_view_record(
        profile=owner,
        viewer=visitor.user,
        source=ViewSource.JOB,
        session_key="",
        now=start + datetime.timedelta(minutes=31),
    )
    assert later is not None
    assert ProfileView.objects.count() == 2
    assert ProfileViewSeen.objects.get().seen_at == start + datetime.timedelta(minutes=31)


@pytest.mark.django_db(transaction=True)
def test_two_processes_recording_the_same_view_at_once_count_it_once() -> None:
    owner, visitor = worker(), client_profile()

    def record() -> object:
        return profile_view_record(
            profile=owner, viewer=visitor.user, source=ViewSource.DIRECT, session_key=""
        )

    results = race(record, record, record)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r is not None for r in results) == 1
    assert ProfileView.objects.count() == 1
    assert ProfileViewSeen.objects.count() == 1


@pytest.mark.django_db
def test_the_sweep_forgets_rows_older_than_the_window_only() -> None:
    owner = worker()
    now = timezone.now()
    for minutes, session in ((40, "old"), (10, "recent")):
        profile_view_record(
            profile=owner,
            viewer=None,
            source=ViewSource.DIRECT,
            session_key=session,
            now=now - datetime.timedelta(minutes=minutes),
        )
    assert profile_view_seen_sweep(now=now) == 1
    assert ProfileViewSeen.objects.count() == 1
    assert ProfileView.objects.count() == 2  # the views themselves stay


@pytest.mark.django_db
def test_with_redis_the_shared_cache_decides_and_no_row_is_written(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"tsunagu-test-{timezone.now().timestamp()}",
        }
    }
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    try:
        owner, visitor = worker(), client_profile()
        for _ in range(2):
            profile_view_record(
                profile=owner, viewer=visitor.user, source=ViewSource.DIRECT, session_key=""
            )
        assert ProfileView.objects.count() == 1
        assert ProfileViewSeen.objects.count() == 0
    finally:
        # back to local memory before the shared teardown clears "the" cache: clearing Redis
        # would empty the whole database number other tests use
        settings.CACHES = local


def test_several_web_processes_with_a_local_cache_are_warned_about(settings: Any) -> None:
    settings.WEB_WORKERS = 4
    found = [m for m in run_checks() if m.id == "tsunagu.W001"]
    assert len(found) == 1
    assert "REDIS_URL" in (found[0].hint or "")
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://x:6379/4"}
    }
    assert not [m for m in run_checks() if m.id == "tsunagu.W001"]
    settings.WEB_WORKERS = 1
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not [m for m in run_checks() if m.id == "tsunagu.W001"]
