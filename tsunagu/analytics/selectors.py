"""Reads of the analytics app. Past days come from the daily roll-up only; today's numbers
come from today's raw views of one profile, so the page costs the same with millions of views.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.apps import apps
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tsunagu.analytics.errors import AnalyticsError
from tsunagu.analytics.models import (
    AnalyticsPreference,
    ProfileView,
    ProfileViewDaily,
    ProfileViewer,
    ViewSource,
)
from tsunagu.profiles.models import Profile

if TYPE_CHECKING:
    from tsunagu.accounts.models import User

PERIODS = (30, 90)
VIEWER_LIMIT = 50


def zone_or_utc(name: str | None) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def is_private(*, user_id: int) -> bool:
    return AnalyticsPreference.objects.filter(user_id=user_id, private_browsing=True).exists()


def preference_private(*, user: User) -> bool:
    return is_private(user_id=user.pk)


def own_profile(*, user: User) -> Profile:
    profile = Profile.objects.select_related("user").filter(user=user).first()
    if profile is None:
        raise Http404
    return profile


def source_from_query(value: str | None) -> str:
    """``?src=`` as a view source: none means direct, anything unknown counts as other."""
    if not value:
        return ViewSource.DIRECT
    return value if value in ViewSource.values else ViewSource.OTHER


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    views: int
    unique_viewers: int


@dataclass(frozen=True)
class ViewerRow:
    user_id: int
    display_name: str
    profile_id: int
    viewed_at: datetime.datetime
    source: str

    @property
    def source_label(self) -> str:
        return str(ViewSource(self.source).label)


@dataclass(frozen=True)
class Funnel:
    views: int
    inquiries: int
    proposals: int | None  # None until the jobs app has proposals
    contracts: int


@dataclass
class Summary:
    days: list[DayCount]
    since: datetime.datetime
    today: datetime.date
    today_start: datetime.datetime
    total_views: int = 0
    unique_viewers: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    funnel: Funnel | None = None


_Views = TypeVar("_Views", QuerySet[ProfileView], QuerySet[ProfileViewer])


def _viewers_visible(qs: _Views) -> _Views:
    """Only viewers who are clients and have not turned private browsing on."""
    return qs.filter(viewer__profile__is_client=True).exclude(
        viewer__analytics_preference__private_browsing=True
    )


def _day_start(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def profile_summary(
    *, profile: Profile, days: int, now: datetime.datetime | None = None
) -> Summary:
    """Views per day for the last ``days`` days (today included), sources and the funnel."""
    zone = zone_or_utc(profile.user.time_zone)
    today = (now or timezone.now()).astimezone(zone).date()
    first = today - datetime.timedelta(days=days - 1)
    today_start = _day_start(today, zone)
    per_day: dict[datetime.date, DayCount] = {}
    sources = dict.fromkeys(ViewSource.values, 0)
    for row in ProfileViewDaily.objects.filter(
        profile=profile, day__gte=first, day__lt=today
    ).order_by("day"):
        per_day[row.day] = DayCount(row.day, row.views, row.unique_viewers)
        for value in ViewSource.values:
            sources[value] += getattr(row, f"views_{value}")
    live = ProfileView.objects.filter(profile=profile, created_at__gte=today_start).aggregate(
        n=Count("id"),
        unique=Count("visitor_hash", distinct=True),
        **{value: Count("id", filter=Q(source=value)) for value in ViewSource.values},
    )
    per_day[today] = DayCount(today, live["n"], live["unique"])
    for value in ViewSource.values:
        sources[value] += live[value]
    series = [
        per_day.get(day, DayCount(day, 0, 0))
        for day in (first + datetime.timedelta(days=i) for i in range(days))
    ]
    since = _day_start(first, zone)
    total = sum(d.views for d in series)
    return Summary(
        days=series,
        since=since,
        today=today,
        today_start=today_start,
        total_views=total,
        unique_viewers=sum(d.unique_viewers for d in series),
        sources=sources,
        funnel=funnel(profile=profile, since=since, views=total),
    )


def proposal_model() -> type[Model] | None:
    """The Proposal model (in the proposals app, or the jobs app), once it exists with a
    ``worker`` and a ``created_at``.

    Until then (or if it names them otherwise) the funnel shows the step as not yet counted,
    rather than failing the page.
    """
    for label in ("proposals", "jobs"):
        try:
            model = apps.get_model(label, "Proposal")
        except LookupError:
            continue
        names = {f.name for f in model._meta.get_fields()}
        if {"worker", "created_at"} <= names:
            return model
    return None


def funnel(*, profile: Profile, since: datetime.datetime, views: int) -> Funnel:
    from tsunagu.contracts.models import Contract
    from tsunagu.messaging.models import Room, RoomKind

    owner_id = profile.user_id
    inquiries = Room.objects.filter(
        kind=RoomKind.INQUIRY, members__user_id=owner_id, created_at__gte=since
    ).count()
    contracts = Contract.objects.filter(worker_id=owner_id, created_at__gte=since).count()
    proposals: int | None = None
    model = proposal_model()
    if model is not None:
        proposals = model._default_manager.filter(worker_id=owner_id, created_at__gte=since).count()
    return Funnel(views=views, inquiries=inquiries, proposals=proposals, contracts=contracts)


def profile_viewers(
    *,
    profile: Profile,
    since: datetime.datetime,
    today_start: datetime.datetime,
    limit: int = VIEWER_LIMIT,
) -> list[ViewerRow]:
    """Clients who viewed the profile since ``since``, newest first, private viewers left out.

    Two queries: the roll-up of viewers, and today's raw signed-in views not rolled up yet.
    """
    rows: dict[int, ViewerRow] = {}
    recent = (
        _viewers_visible(ProfileView.objects.filter(profile=profile, viewer__isnull=False))
        .filter(created_at__gte=max(since, today_start))
        .select_related("viewer__profile")
        .order_by("-created_at")[: limit * 4]
    )
    for view in recent:
        assert view.viewer is not None
        if view.viewer.pk not in rows:
            rows[view.viewer.pk] = ViewerRow(
                user_id=view.viewer.pk,
                display_name=view.viewer.profile.display_name,
                profile_id=view.viewer.profile.pk,
                viewed_at=view.created_at,
                source=view.source,
            )
    rolled = (
        _viewers_visible(ProfileViewer.objects.filter(profile=profile, last_viewed_at__gte=since))
        .select_related("viewer__profile")
        .order_by("-last_viewed_at")[:limit]
    )
    for seen in rolled:
        if seen.viewer_id not in rows:
            rows[seen.viewer_id] = ViewerRow(
                user_id=seen.viewer.pk,
                display_name=seen.viewer.profile.display_name,
                profile_id=seen.viewer.profile.pk,
                viewed_at=seen.last_viewed_at,
                source=seen.last_source,
            )
    return sorted(rows.values(), key=lambda r: r.viewed_at, reverse=True)[:limit]


def reachable_viewer(*, profile: Profile, viewer_id: int) -> User:
    """The viewer the owner may reach out to: a client who viewed, and is not private."""
    from tsunagu.accounts.models import User

    viewer = User.objects.select_related("profile").filter(pk=viewer_id, is_active=True).first()
    if viewer is None or viewer.pk == profile.user_id:
        raise AnalyticsError.refuse("not_a_viewer")
    viewed = ProfileView.objects.filter(profile=profile, viewer=viewer).exists()
    if not viewed or is_private(user_id=viewer.pk):
        raise AnalyticsError.refuse("not_a_viewer")
    if not viewer.profile.is_client:
        raise AnalyticsError.refuse("not_a_client")
    return viewer
