"""Working hours across time zones, with no Django in it.

A person works from ``start`` to ``end`` (wall-clock times in their own zone) on some weekdays
(0 = Monday). When ``end`` is not after ``start`` the shift runs past midnight into the next day.
Everything is computed from real instants (aware datetimes), so daylight saving time and
half-hour zones come out right without special cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

CELLS_PER_DAY = 48  # half-hour cells of the time bar
_CELL = dt.timedelta(minutes=30)
_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_zone(name: str | None) -> ZoneInfo | None:
    """The zone called ``name`` when it is a real IANA zone, else None (never raises)."""
    if not name or len(name) > 64 or name not in _known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class Schedule:
    """When one person works, in their own zone."""

    zone: ZoneInfo
    start: dt.time
    end: dt.time
    days: frozenset[int]

    @classmethod
    def of(cls, *, zone: ZoneInfo, start: dt.time, end: dt.time, days: Iterable[int]) -> Schedule:
        return cls(zone=zone, start=start, end=end, days=frozenset(int(d) for d in days))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def shift_on(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The shift that starts on local date ``day``, as UTC instants, or None on a day off."""
        if day.weekday() not in self.days or self.start == self.end:
            return None
        begin = dt.datetime.combine(day, self.start, tzinfo=self.zone)
        end_day = day + _DAY if self.crosses_midnight else day
        finish = dt.datetime.combine(end_day, self.end, tzinfo=self.zone)
        return begin.astimezone(dt.UTC), finish.astimezone(dt.UTC)

    def shifts_between(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Every shift that touches [start, end), clipped to it."""
        first = start.astimezone(self.zone).date() - _DAY
        last = end.astimezone(self.zone).date()
        shifts = []
        day = first
        while day <= last:
            shift = self.shift_on(day)
            if shift is not None:
                lo, hi = max(shift[0], start), min(shift[1], end)
                if lo < hi:
                    shifts.append((lo, hi))
            day += _DAY
        return shifts


def local_day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of ``day`` in ``zone`` (23 or 25 hours long on DST change days)."""
    begin = dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(day + _DAY, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    return begin, end


def _intersect(
    a: Sequence[tuple[dt.datetime, dt.datetime]], b: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[dt.datetime, dt.datetime]]:
    out = []
    for a_lo, a_hi in a:
        for b_lo, b_hi in b:
            lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
            if lo < hi:
                out.append((lo, hi))
    return out


def _covers(shifts: Sequence[tuple[dt.datetime, dt.datetime]], instant: dt.datetime) -> bool:
    return any(lo <= instant < hi for lo, hi in shifts)


@dataclass(frozen=True)
class ConvertedShift:
    """A worker's shift seen from the viewer's zone."""

    start: dt.datetime  # in the viewer's zone
    end: dt.datetime  # in the viewer's zone
    start_day_offset: int  # days from the worker's local date to the viewer's (-1, 0 or 1)
    end_day_offset: int


@dataclass(frozen=True)
class Cell:
    start: dt.datetime  # viewer's local time at the start of this half hour
    worker: bool
    viewer: bool

    @property
    def overlap(self) -> bool:
        return self.worker and self.viewer

    @property
    def css(self) -> str:
        if self.overlap:
            return "tb-both"
        if self.worker:
            return "tb-worker"
        if self.viewer:
            return "tb-viewer"
        return "tb-off"


@dataclass(frozen=True)
class DayOverlap:
    """Both schedules on one of the viewer's days."""

    day: dt.date  # the viewer's local date
    overlap_minutes: int
    cells: list[Cell]

    @property
    def overlap_hours(self) -> float:
        return self.overlap_minutes / 60


def convert_shift(
    worker: Schedule, *, day: dt.date, viewer_zone: ZoneInfo
) -> ConvertedShift | None:
    """The worker's shift starting on their local ``day``, in the viewer's zone."""
    shift = worker.shift_on(day)
    if shift is None:
        return None
    start = shift[0].astimezone(viewer_zone)
    end = shift[1].astimezone(viewer_zone)
    return ConvertedShift(
        start=start,
        end=end,
        start_day_offset=(start.date() - day).days,
        end_day_offset=(end.date() - day).days,
    )


def day_overlap(worker: Schedule, viewer: Schedule, *, day: dt.date) -> DayOverlap:
    """How the two schedules meet during the viewer's local ``day``, in 48 half-hour cells."""
    lo, hi = local_day_bounds(day, viewer.zone)
    worker_shifts = worker.shifts_between(lo, hi)
    viewer_shifts = viewer.shifts_between(lo, hi)
    both = _intersect(worker_shifts, viewer_shifts)
    minutes = round(sum((b - a).total_seconds() for a, b in both) / 60)
    cells = []
    local_midnight = dt.datetime.combine(day, dt.time(0), tzinfo=viewer.zone)
    for index in range(CELLS_PER_DAY):
        # wall-clock half hours of the viewer's day; sample the middle of each cell
        wall = local_midnight + index * _CELL
        middle = wall.astimezone(dt.UTC) + _CELL / 2
        cells.append(
            Cell(
                start=wall,
                worker=_covers(worker_shifts, middle),
                viewer=_covers(viewer_shifts, middle),
            )
        )
    return DayOverlap(day=day, overlap_minutes=minutes, cells=cells)


def weekly_overlap_minutes(worker: Schedule, viewer: Schedule, *, week_start: dt.date) -> int:
    """Minutes both people work during the seven viewer days from ``week_start``."""
    lo, _ = local_day_bounds(week_start, viewer.zone)
    _, hi = local_day_bounds(week_start + 6 * _DAY, viewer.zone)
    both = _intersect(worker.shifts_between(lo, hi), viewer.shifts_between(lo, hi))
    return round(sum((b - a).total_seconds() for a, b in both) / 60)


def typical_day(worker: Schedule, viewer: Schedule, *, today: dt.date) -> DayOverlap:
    """The first of the next seven viewer days on which both work; today when none is."""
    for offset in range(7):
        result = day_overlap(worker, viewer, day=today + offset * _DAY)
        if result.overlap_minutes:
            return result
    for offset in range(7):
        day = today + offset * _DAY
        if day.weekday() in viewer.days:
            return day_overlap(worker, viewer, day=day)
    return day_overlap(worker, viewer, day=today)


def shift_minutes(schedule: Schedule, *, day: dt.date) -> int:
    """Length of the shift starting on ``day`` in real minutes (DST makes some shorter)."""
    shift = schedule.shift_on(day)
    if shift is None:
        return 0
    return round((shift[1] - shift[0]).total_seconds() / 60)
