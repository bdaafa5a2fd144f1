"""Reads for profiles: the public page, the worker list, completeness and time-zone views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.selectors import LEVEL_CODES, level_label, verified_levels_for
from tsunagu.profiles import timezones as tz
from tsunagu.profiles.models import (
    Availability,
    PortfolioItem,
    Profile,
    Skill,
    SkillCategory,
    SpokenLanguage,
    Weekday,
    WorkerSort,
)

WORKERS_PER_PAGE = 20
DEFAULT_ZONE = "Asia/Tokyo"

COMMON_ZONES = (
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Manila",
    "Asia/Bangkok",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "UTC",
)


# --- badges ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    code: str
    label: str


def badges_from(levels: Iterable[str]) -> list[Badge]:
    """Verification badges in the fixed order of the levels."""
    present = set(levels)
    return [Badge(code=c, label=level_label(c)) for c in LEVEL_CODES if c in present]


# --- one profile -----------------------------------------------------------------------------


def profile_public_get(*, pk: int) -> Profile:
    """A profile anyone may see, with what its page shows; 404 for inactive accounts, except
    closed ones, whose page stays (with the pseudonym only) for the links that point to it."""
    try:
        return (
            Profile.objects.select_related("user")
            .prefetch_related(
                Prefetch("skills", queryset=Skill.objects.order_by("category", "slug")),
                Prefetch(
                    "portfolio_items", queryset=PortfolioItem.objects.order_by("position", "id")
                ),
            )
            .filter(Q(user__is_active=True) | Q(user__closed_at__isnull=False))
            .get(pk=pk)
        )
    except Profile.DoesNotExist as exc:
        raise Http404(_("This profile does not exist.")) from exc


def profile_badges(*, profile: Profile) -> list[Badge]:
    return badges_from(verified_levels_for(user_ids=[profile.user_id]).get(profile.user_id, set()))


def language_labels(codes: Iterable[str]) -> list[str]:
    labels = dict(SpokenLanguage.choices)
    return [str(labels[c]) for c in codes if c in labels]


def weekday_labels(days: Iterable[int]) -> list[str]:
    labels = dict(Weekday.choices)
    return [str(labels[d]) for d in sorted(set(days)) if d in labels]


# --- time zones ------------------------------------------------------------------------------


def zone_of(name: str | None) -> ZoneInfo:
    return tz.parse_zone(name) or ZoneInfo(DEFAULT_ZONE)


def schedule_of(profile: Profile, *, zone: ZoneInfo | None = None) -> tz.Schedule:
    return tz.Schedule.of(
        zone=zone or zone_of(profile.user.time_zone),
        start=profile.working_hours_start,
        end=profile.working_hours_end,
        days=profile.working_days or [],
    )


def default_schedule(zone: ZoneInfo) -> tz.Schedule:
    """What we assume for a visitor whose hours we do not know: 9:00–18:00 on weekdays."""
    return tz.Schedule.of(zone=zone, start=dt.time(9), end=dt.time(18), days=range(5))


@dataclass(frozen=True)
class TimeView:
    """What the profile page shows about the two people's clocks."""

    worker_zone: str
    viewer_zone: str
    worker_now: dt.datetime
    viewer_now: dt.datetime
    same_zone: bool
    viewer_assumed: bool  # the viewer's hours are a guess (anonymous visitor)
    worker_days: list[str]
    converted: tz.ConvertedShift | None
    typical: tz.DayOverlap
    weekly_overlap_hours: float
    hour_marks: list[str]

    @property
    def overlap_hours(self) -> float:
        return self.typical.overlap_hours


def profile_time_view(
    *,
    profile: Profile,
    viewer_zone_name: str,
    viewer_profile: Profile | None,
    now: dt.datetime | None = None,
) -> TimeView:
    now = now or timezone.now()
    worker_zone = zone_of(profile.user.time_zone)
    viewer_zone = zone_of(viewer_zone_name)
    worker = schedule_of(profile, zone=worker_zone)
    viewer = (
        schedule_of(viewer_profile, zone=viewer_zone)
        if viewer_profile is not None
        else default_schedule(viewer_zone)
    )
    worker_now = now.astimezone(worker_zone)
    viewer_now = now.astimezone(viewer_zone)
    # the worker's next shift, counted from their own today
    converted = None
    for offset in range(7):
        converted = tz.convert_shift(
            worker, day=worker_now.date() + dt.timedelta(days=offset), viewer_zone=viewer_zone
        )
        if converted is not None:
            break
    typical = tz.typical_day(worker, viewer, today=viewer_now.date())
    weekly = tz.weekly_overlap_minutes(worker, viewer, week_start=viewer_now.date())
    return TimeView(
        worker_zone=worker_zone.key,
        viewer_zone=viewer_zone.key,
        worker_now=worker_now,
        viewer_now=viewer_now,
        same_zone=worker_zone.key == viewer_zone.key,
        viewer_assumed=viewer_profile is None,
        worker_days=weekday_labels(profile.working_days or []),
        converted=converted,
        typical=typical,
        weekly_overlap_hours=round(weekly / 60, 1),
        hour_marks=[f"{h:02d}:00" for h in range(0, 24, 6)],
    )


# --- the worker list -------------------------------------------------------------------------


def worker_search(
    *,
    q: str = "",
    skill: Skill | str | None = None,
    language: str = "",
    availability: str = "",
    min_score: int | None = None,
    sort: str = "",
) -> QuerySet[Profile]:
    """Workers of active accounts matching the filters, newest updates first, or by trust score
    (``sort="trust"``: highest first, people new as workers last). ``min_score`` keeps those
    with at least that score as workers (new workers have none, so they are left out)."""
    qs = Profile.objects.filter(is_worker=True, user__is_active=True)
    if q:
        qs = qs.filter(Q(display_name__icontains=q) | Q(headline__icontains=q))
    if skill:
        slug = skill.slug if isinstance(skill, Skill) else skill
        qs = qs.filter(skills__slug=slug)
    if language in SpokenLanguage.values:
        if _json_contains_works():
            qs = qs.filter(languages__contains=[language])
        else:  # SQLite stores the list as JSON text: match the quoted code
            qs = qs.filter(languages__icontains=f'"{language}"')
    if availability in Availability.values:
        qs = qs.filter(availability=availability)
    if min_score is not None:
        qs = qs.filter(worker_trust_score__gte=min_score)
    if sort == WorkerSort.TRUST:
        return qs.distinct().order_by(
            F("worker_trust_score").desc(nulls_last=True), "-updated_at", "-id"
        )
    return qs.distinct().order_by("-updated_at", "-id")


def _json_contains_works() -> bool:
    """JSON containment (``__contains``) exists on PostgreSQL but not on SQLite."""
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


@dataclass(frozen=True)
class WorkerCard:
    profile: Profile
    badges: list[Badge]


@dataclass(frozen=True)
class WorkerPage:
    page: Page[Profile]
    cards: list[WorkerCard]
    requested_number: str
    clamped: bool  # the requested page did not exist; the nearest one is shown


def worker_page(*, filters: Mapping[str, Any], page_number: str | int | None) -> WorkerPage:
    """One page of the worker list, with skills and badges, in a fixed number of queries.

    A page number past the end shows the last page and says so; anything that is not a number
    shows the first page.
    """
    qs = (
        worker_search(**filters)
        .select_related("user")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("category", "slug")))
    )
    paginator = Paginator(qs, WORKERS_PER_PAGE)
    raw = str(page_number or "1")
    page = paginator.get_page(raw)
    clamped = raw.isdigit() and int(raw) != page.number
    profiles = list(page.object_list)
    levels = verified_levels_for(user_ids=[p.user_id for p in profiles])
    cards = [
        WorkerCard(profile=p, badges=badges_from(levels.get(p.user_id, set()))) for p in profiles
    ]
    return WorkerPage(page=page, cards=cards, requested_number=raw, clamped=clamped)


def skill_groups() -> list[tuple[str, list[Skill]]]:
    labels = dict(SkillCategory.choices)
    groups: dict[str, list[Skill]] = {}
    for skill in Skill.objects.order_by("category", "slug"):
        groups.setdefault(skill.category, []).append(skill)
    return [(str(labels[c]), groups[c]) for c in SkillCategory.values if c in groups]


# --- completeness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[tuple[str, str]]  # (what to fill in, where)


def profile_completeness(*, profile: Profile) -> Completeness:
    """How much of the profile is filled in, and what to fill next (most useful first)."""
    edit = reverse("profiles:edit")
    portfolio = reverse("profiles:edit") + "#portfolio"
    checks: list[tuple[bool, str, str]] = [
        (bool(profile.headline.strip()), _("Add a headline"), f"{edit}#id_headline"),
        (bool(profile.bio.strip()), _("Write about yourself"), f"{edit}#id_bio"),
        (profile.skills.exists(), _("Choose your skills"), f"{edit}#skills"),
        (bool(profile.languages), _("Add the languages you work in"), f"{edit}#languages"),
        (bool(profile.tags), _("Add a few tags"), f"{edit}#id_tags"),
    ]
    if profile.is_worker:
        checks += [
            (profile.hourly_rate is not None, _("Set your hourly rate"), f"{edit}#id_hourly_rate"),
            (
                profile.portfolio_items.exists(),
                _("Add an item to your portfolio"),
                portfolio,
            ),
            (bool(profile.working_days), _("Choose your working days"), f"{edit}#working-days"),
        ]
    done = sum(1 for ok, _label, _url in checks if ok)
    missing = [(str(label), url) for ok, label, url in checks if not ok]
    return Completeness(percent=round(100 * done / len(checks)), missing=missing)
