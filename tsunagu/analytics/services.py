"""Writes of the analytics app: record a view, roll views up by day, preferences, reaching out.

Recording is one INSERT (after a cache check for the 30-minute de-duplication); counting is done
later by :func:`profile_views_roll_up`, which the periodic tick runs.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tsunagu.analytics import selectors
from tsunagu.analytics.errors import AnalyticsError
from tsunagu.analytics.models import (
    AnalyticsPreference,
    ProfileView,
    ProfileViewDaily,
    ProfileViewer,
    ProfileViewSeen,
    RollupState,
    ViewSource,
)
from tsunagu.core.ratelimit import hit
from tsunagu.core.shared import cache_is_shared

if TYPE_CHECKING:
    from tsunagu.accounts.models import User
    from tsunagu.messaging.models import Room
    from tsunagu.profiles.models import Profile

DEDUPE_SECONDS = 30 * 60
ROLLUP_NAME = "profile_views"
# A view is counted once it is this old, so that an INSERT that took an id but had not yet
# committed when the job ran is never stepped over by the watermark.
SETTLE_SECONDS = 120
ROLLUP_BATCH = 50_000
REACH_OUT_LIMIT = 20
REACH_OUT_WINDOW = 24 * 60 * 60
_IN_CHUNK = 500


def visitor_hash(*, viewer: User | None, session_key: str) -> str:
    """A keyed hash naming one visitor; neither the session key nor the address is kept."""
    raw = f"u:{viewer.pk}" if viewer is not None else f"s:{session_key}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def profile_view_record(
    *,
    profile: Profile,
    viewer: User | None,
    source: str,
    session_key: str,
    now: datetime.datetime | None = None,
) -> ProfileView | None:
    """Record one view; None when it is the owner, or the same visitor within 30 minutes."""
    if source not in ViewSource.values:
        raise ValueError(f"unknown view source {source!r}")
    if viewer is not None and viewer.pk == profile.user_id:
        return None
    if viewer is None and not session_key:
        raise ValueError("an anonymous view needs a session key")
    key = visitor_hash(viewer=viewer, session_key=session_key)
    now = now or timezone.now()
    shared = cache_is_shared()
    if shared and not cache.add(f"analytics:pv:{profile.pk}:{key}", 1, timeout=DEDUPE_SECONDS):
        return None
    shown = viewer
    if viewer is not None and selectors.is_private(user_id=viewer.pk):
        shown = None
    with transaction.atomic():
        if not shared and not _first_view_in_window(profile_id=profile.pk, key=key, now=now):
            return None
        return ProfileView.objects.create(
            profile=profile, viewer=shown, source=source, created_at=now, visitor_hash=key
        )


def _first_view_in_window(*, profile_id: int, key: str, now: datetime.datetime) -> bool:
    """The de-duplication in the database, for sites without a shared cache.

    Every web process sees the same row: an old one is moved forward by exactly one UPDATE
    (the row lock decides between two processes), and a missing one is created by exactly one
    INSERT (the unique constraint decides). Must run inside the transaction that records the view.
    """
    cutoff = now - datetime.timedelta(seconds=DEDUPE_SECONDS)
    seen = ProfileViewSeen.objects.filter(profile_id=profile_id, visitor_hash=key)
    if seen.filter(seen_at__lte=cutoff).update(seen_at=now):
        return True
    try:
        with transaction.atomic():
            ProfileViewSeen.objects.create(profile_id=profile_id, visitor_hash=key, seen_at=now)
    except IntegrityError:  # a row within the window exists, or another process just made it
        return False
    return True


def profile_view_seen_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete de-duplication rows older than the window; they no longer decide anything."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=DEDUPE_SECONDS)
    with transaction.atomic():
        deleted, _ = ProfileViewSeen.objects.filter(seen_at__lte=cutoff).delete()
    return deleted


def _local_day(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    return moment.astimezone(zone).date()


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _recount_days(zone_name: str, dirty: dict[int, set[datetime.date]]) -> int:
    """Recount, from the raw views, every (profile, day) in ``dirty``; days in ``zone_name``."""
    zone = selectors.zone_or_utc(zone_name)
    all_days = [day for days in dirty.values() for day in days]
    start = datetime.datetime.combine(min(all_days), datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        max(all_days) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    by_source = {
        f"views_{value}": Count("id", filter=Q(source=value)) for value in ViewSource.values
    }
    written = 0
    for chunk in _chunks(sorted(dirty), _IN_CHUNK):
        rows = (
            ProfileView.objects.filter(
                profile_id__in=chunk, created_at__gte=start, created_at__lt=end
            )
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .values("profile_id", "day")
            .annotate(n=Count("id"), unique=Count("visitor_hash", distinct=True), **by_source)
            .order_by()
        )
        objects = [
            ProfileViewDaily(
                profile_id=row["profile_id"],
                day=row["day"],
                views=row["n"],
                unique_viewers=row["unique"],
                **{name: row[name] for name in by_source},
            )
            for row in rows
            if row["day"] in dirty[row["profile_id"]]
        ]
        ProfileViewDaily.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["profile", "day"],
            update_fields=["views", "unique_viewers", *by_source],
        )
        written += len(objects)
    return written


def profile_views_roll_up(
    *, batch_size: int = ROLLUP_BATCH, now: datetime.datetime | None = None
) -> int:
    """Count the next batch of settled views into the daily table; returns how many it took.

    Idempotent and safe to run concurrently: the watermark row is locked for the whole batch,
    each touched day is recounted from the raw views (a recount, never an increment), and the
    watermark moves in the same transaction. A second run finds nothing new.
    """
    RollupState.objects.get_or_create(name=ROLLUP_NAME)
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=SETTLE_SECONDS)
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(name=ROLLUP_NAME)
        rows = (
            ProfileView.objects.filter(id__gt=state.last_id)
            .order_by("id")
            .values_list(
                "id", "profile_id", "viewer_id", "source", "created_at", "profile__user__time_zone"
            )[:batch_size]
        )
        taken = []
        for row in rows:
            if row[4] >= cutoff:
                break  # ids after a view still settling wait for the next run
            taken.append(row)
        if not taken:
            return 0
        dirty: dict[str, dict[int, set[datetime.date]]] = defaultdict(lambda: defaultdict(set))
        latest: dict[tuple[int, int], tuple[datetime.datetime, str]] = {}
        zones: dict[str, datetime.tzinfo] = {}
        for _id, profile_id, viewer_id, source, created_at, zone_name in taken:
            zone = zones.get(zone_name) or zones.setdefault(
                zone_name, selectors.zone_or_utc(zone_name)
            )
            dirty[zone_name][profile_id].add(_local_day(created_at, zone))
            if viewer_id is not None:
                seen = latest.get((profile_id, viewer_id))
                if seen is None or created_at >= seen[0]:
                    latest[(profile_id, viewer_id)] = (created_at, source)
        for zone_name, profiles in dirty.items():
            _recount_days(zone_name, profiles)
        ProfileViewer.objects.bulk_create(
            [
                ProfileViewer(
                    profile_id=profile_id,
                    viewer_id=viewer_id,
                    last_viewed_at=moment,
                    last_source=source,
                )
                for (profile_id, viewer_id), (moment, source) in latest.items()
            ],
            update_conflicts=True,
            unique_fields=["profile", "viewer"],
            update_fields=["last_viewed_at", "last_source"],
        )
        state.last_id = taken[-1][0]
        state.save(update_fields=["last_id", "updated_at"])
    return len(taken)


def analytics_preference_set(*, user: User, private_browsing: bool) -> AnalyticsPreference:
    with transaction.atomic():
        preference, _created = AnalyticsPreference.objects.select_for_update().get_or_create(
            user=user
        )
        if preference.private_browsing != private_browsing:
            preference.private_browsing = private_browsing
            preference.save(update_fields=["private_browsing", "updated_at"])
    return preference


def profile_viewer_reach_out(*, owner: User, viewer_id: int) -> Room:
    """Open (or reuse) an inquiry room with a client who viewed the owner's profile."""
    from tsunagu.messaging.services import room_open_inquiry

    profile = selectors.own_profile(user=owner)
    viewer = selectors.reachable_viewer(profile=profile, viewer_id=viewer_id)
    if not hit(
        key=f"analytics:reach_out:{owner.pk}",
        limit=REACH_OUT_LIMIT,
        window_seconds=REACH_OUT_WINDOW,
    ):
        raise AnalyticsError.refuse("rate_limited", limit=REACH_OUT_LIMIT)
    return room_open_inquiry(
        client=viewer,
        worker=owner,
        by=owner,
        subject_type="profile",
        subject_id=str(profile.pk),
    )
