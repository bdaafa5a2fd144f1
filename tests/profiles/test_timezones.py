"""The pure time-zone arithmetic: DST, half-hour zones and shifts past midnight."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from tsunagu.profiles.timezones import (
    CELLS_PER_DAY,
    Schedule,
    convert_shift,
    day_overlap,
    local_day_bounds,
    parse_zone,
    shift_minutes,
    typical_day,
    weekly_overlap_minutes,
)

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = range(5)
EVERY_DAY = range(7)


def schedule(
    zone: ZoneInfo, start: int | dt.time, end: int | dt.time, days: Any = WEEKDAYS
) -> Schedule:
    as_time = lambda v: v if isinstance(v, dt.time) else dt.time(v)  # noqa: E731
    return Schedule.of(zone=zone, start=as_time(start), end=as_time(end), days=days)


def test_parse_zone_accepts_iana_names_and_refuses_anything_else() -> None:
    assert parse_zone("Asia/Tokyo") == TOKYO
    assert parse_zone("America/New_York") == NEW_YORK
    for bad in ("", None, "Mars/Olympus", "../../etc/passwd", "Asia/Tokyo\x00", "x" * 100):
        assert parse_zone(bad) is None


def test_new_york_in_tokyo_is_14_hours_ahead_in_january_and_13_in_july() -> None:
    worker = schedule(NEW_YORK, 9, 17)
    january = convert_shift(worker, day=dt.date(2025, 1, 15), viewer_zone=TOKYO)
    july = convert_shift(worker, day=dt.date(2025, 7, 16), viewer_zone=TOKYO)
    assert january is not None and july is not None
    assert (january.start.hour, january.end.hour) == (23, 7)
    assert (january.start_day_offset, january.end_day_offset) == (0, 1)
    assert (july.start.hour, july.end.hour) == (22, 6)
    assert (july.start_day_offset, july.end_day_offset) == (0, 1)


def test_tokyo_seen_from_new_york_is_the_previous_evening() -> None:
    worker = schedule(TOKYO, 9, 18)
    converted = convert_shift(worker, day=dt.date(2025, 1, 15), viewer_zone=NEW_YORK)
    assert converted is not None
    assert converted.start == dt.datetime(2025, 1, 14, 19, 0, tzinfo=NEW_YORK)
    assert converted.end == dt.datetime(2025, 1, 15, 4, 0, tzinfo=NEW_YORK)
    assert converted.start_day_offset == -1


def test_overlap_between_new_york_and_tokyo_changes_with_daylight_saving() -> None:
    # New York 08:00-20:00; Tokyo 09:00-18:00. January (EST): NY 08:00 = Tokyo 22:00,
    # NY 20:00 = Tokyo 10:00 the next day, so they share 09:00-10:00 Tokyo time.
    worker = schedule(NEW_YORK, 8, 20, days=EVERY_DAY)
    viewer = schedule(TOKYO, 9, 18, days=EVERY_DAY)
    january = day_overlap(worker, viewer, day=dt.date(2025, 1, 15))
    assert january.overlap_minutes == 60
    # July (EDT): NY 20:00 = Tokyo 09:00, so nothing is shared.
    july = day_overlap(worker, viewer, day=dt.date(2025, 7, 16))
    assert july.overlap_minutes == 0


def test_london_and_tokyo_overlap_shrinks_in_british_summer_time() -> None:
    worker = schedule(LONDON, 8, 17, days=EVERY_DAY)
    viewer = schedule(TOKYO, 9, 18, days=EVERY_DAY)
    # Winter (GMT, Tokyo +9h): London 08:00 = Tokyo 17:00 → one hour together.
    assert day_overlap(worker, viewer, day=dt.date(2025, 1, 15)).overlap_minutes == 60
    # Summer (BST, Tokyo +8h): London 08:00 = Tokyo 16:00 → two hours together.
    assert day_overlap(worker, viewer, day=dt.date(2025, 7, 16)).overlap_minutes == 120


def test_half_hour_zone_kolkata_overlaps_tokyo_by_whole_and_half_hours() -> None:
    # Kolkata is UTC+5:30, Tokyo UTC+9: Kolkata 09:00 = Tokyo 12:30.
    worker = schedule(KOLKATA, 9, 18)
    viewer = schedule(TOKYO, 9, 18)
    result = day_overlap(worker, viewer, day=dt.date(2025, 3, 12))
    assert result.overlap_minutes == 5 * 60 + 30
    both = [c.start.strftime("%H:%M") for c in result.cells if c.overlap]
    assert both[0] == "12:30" and both[-1] == "17:30"
    assert len(both) == 11  # 12:30-18:00 in half hours


def test_shift_past_midnight_belongs_to_the_day_it_starts() -> None:
    night = schedule(TOKYO, 22, 6, days=[0])  # Monday 22:00 to Tuesday 06:00
    assert night.crosses_midnight
    monday = dt.date(2025, 1, 13)
    assert shift_minutes(night, day=monday) == 8 * 60
    assert shift_minutes(night, day=monday + dt.timedelta(days=1)) == 0
    viewer = schedule(TOKYO, 0, 23, days=EVERY_DAY)
    # On Monday the viewer sees 22:00-23:00 together; on Tuesday 00:00-06:00.
    assert day_overlap(night, viewer, day=monday).overlap_minutes == 60
    assert day_overlap(night, viewer, day=monday + dt.timedelta(days=1)).overlap_minutes == 360


def test_working_days_are_the_workers_own_weekdays() -> None:
    # A Tokyo worker's Monday morning is still Sunday evening in New York.
    worker = schedule(TOKYO, 9, 12, days=[0])
    viewer = schedule(NEW_YORK, 0, dt.time(23, 59), days=EVERY_DAY)
    sunday = dt.date(2025, 1, 12)
    assert day_overlap(worker, viewer, day=sunday).overlap_minutes == 180
    assert day_overlap(worker, viewer, day=sunday + dt.timedelta(days=1)).overlap_minutes == 0


def test_day_of_a_dst_change_is_shorter_and_the_bar_still_has_48_cells() -> None:
    begin, end = local_day_bounds(dt.date(2025, 3, 9), NEW_YORK)  # spring forward
    assert end - begin == dt.timedelta(hours=23)
    worker = schedule(NEW_YORK, 0, dt.time(23, 30), days=EVERY_DAY)
    result = day_overlap(worker, worker, day=dt.date(2025, 3, 9))
    assert len(result.cells) == CELLS_PER_DAY
    assert result.overlap_minutes == 22 * 60 + 30  # the lost hour is not counted twice


def test_weekly_overlap_counts_only_days_both_work() -> None:
    worker = schedule(TOKYO, 9, 18, days=[0, 1, 2])
    viewer = schedule(TOKYO, 10, 12, days=[1, 2, 3])
    monday = dt.date(2025, 1, 13)
    assert weekly_overlap_minutes(worker, viewer, week_start=monday) == 2 * 2 * 60


def test_typical_day_skips_days_without_overlap() -> None:
    worker = schedule(TOKYO, 9, 18, days=[2])  # Wednesday only
    viewer = schedule(TOKYO, 9, 18, days=WEEKDAYS)
    saturday = dt.date(2025, 1, 11)
    result = typical_day(worker, viewer, today=saturday)
    assert result.day.weekday() == 2
    assert result.overlap_hours == 9


def test_cells_mark_each_side_and_both() -> None:
    worker = schedule(TOKYO, 9, 12, days=EVERY_DAY)
    viewer = schedule(TOKYO, 11, 14, days=EVERY_DAY)
    cells = day_overlap(worker, viewer, day=dt.date(2025, 1, 15)).cells
    by_time = {c.start.strftime("%H:%M"): c.css for c in cells}
    assert by_time["08:30"] == "tb-off"
    assert by_time["09:00"] == "tb-worker"
    assert by_time["11:00"] == "tb-both"
    assert by_time["12:00"] == "tb-viewer"
    assert by_time["14:00"] == "tb-off"
