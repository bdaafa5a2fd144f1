"""The Django-free parts: interview times in the overlap, calendar files, response time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tsunagu.profiles.timezones import Schedule
from tsunagu.proposals import ics, response, slots

TOKYO = ZoneInfo("Asia/Tokyo")
LA = ZoneInfo("America/Los_Angeles")
WEEKDAYS = range(5)


def test_suggestions_fall_inside_both_working_days() -> None:
    tokyo = Schedule.of(zone=TOKYO, start=dt.time(9), end=dt.time(18), days=WEEKDAYS)
    la = Schedule.of(zone=LA, start=dt.time(14), end=dt.time(22), days=WEEKDAYS)
    now = dt.datetime(2025, 3, 3, 0, 0, tzinfo=dt.UTC)  # a Monday
    found = slots.suggest(tokyo, la, now=now, duration=dt.timedelta(hours=1))
    assert found
    for start in found:
        assert start > now + slots.LEAD - dt.timedelta(minutes=1)
        assert start.minute in (0, 30)
        end = start + dt.timedelta(hours=1)
        local_t, local_l = start.astimezone(TOKYO), start.astimezone(LA)
        assert dt.time(9) <= local_t.time() and end.astimezone(TOKYO).time() <= dt.time(18)
        assert dt.time(14) <= local_l.time() and end.astimezone(LA).time() <= dt.time(22)
        assert local_t.weekday() < 5 and local_l.weekday() < 5
        assert slots.inside_overlap(tokyo, la, start=start, duration=dt.timedelta(hours=1))


def test_no_overlap_gives_no_suggestions_and_outside_is_detected() -> None:
    a = Schedule.of(zone=TOKYO, start=dt.time(9), end=dt.time(12), days=WEEKDAYS)
    b = Schedule.of(zone=TOKYO, start=dt.time(13), end=dt.time(17), days=WEEKDAYS)
    now = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    assert slots.suggest(a, b, now=now, duration=dt.timedelta(hours=1)) == []
    start = dt.datetime(2025, 3, 4, 10, tzinfo=TOKYO)
    assert not slots.inside_overlap(a, b, start=start, duration=dt.timedelta(hours=1))


def test_suggestions_across_dst_change() -> None:
    # the US moves its clocks on 2025-03-09; suggestions still sit inside LA's hours
    tokyo = Schedule.of(zone=TOKYO, start=dt.time(7), end=dt.time(12), days=range(7))
    la = Schedule.of(zone=LA, start=dt.time(14), end=dt.time(20), days=range(7))
    now = dt.datetime(2025, 3, 7, tzinfo=dt.UTC)
    found = slots.suggest(tokyo, la, now=now, duration=dt.timedelta(minutes=30), per_window=1)
    for start in found:
        assert dt.time(14) <= start.astimezone(LA).time() < dt.time(20)
        assert dt.time(7) <= start.astimezone(TOKYO).time() < dt.time(12)


def test_ics_is_rfc5545() -> None:
    text = ics.event_calendar(
        uid="abc@tsunagu",
        stamp=dt.datetime(2025, 3, 1, 1, 2, 3, tzinfo=dt.UTC),
        start=dt.datetime(2025, 3, 4, 10, 0, tzinfo=TOKYO),
        end=dt.datetime(2025, 3, 4, 11, 0, tzinfo=TOKYO),
        summary="面談: ECサイト商品ページの日英翻訳（30ページ）, 第一回; 確認",
        description="部屋: https://tsunagu.example/messages/rooms/12/\n" + "長い説明" * 40,
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "DTSTART:20250304T010000Z" in lines
    assert "DTEND:20250304T020000Z" in lines
    assert "DTSTAMP:20250301T010203Z" in lines
    assert "UID:abc@tsunagu" in lines
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:面談: ECサイト商品ページの日英翻訳（30ページ）\\, 第一回\\; 確認" in unfolded
    assert "\\nlong" not in unfolded and "rooms/12/\\n長い説明" in unfolded
    # folding never splits a UTF-8 character
    for line in lines:
        line.encode("utf-8").decode("utf-8")


def test_fold_short_line_untouched() -> None:
    assert ics.fold("SUMMARY:short") == "SUMMARY:short"


def test_first_reply_and_median() -> None:
    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    h = dt.timedelta(hours=1)
    conversations = [
        ({1, 2}, [(1, t0), (1, t0 + h), (2, t0 + 3 * h), (1, t0 + 4 * h)]),  # 2 replies in 3h
        ({1, 3}, [(3, t0), (1, t0 + 2 * h)]),  # 1 replies in 2h
        ({1, 4}, [(4, t0)]),  # 1 never replied: left out
    ]
    delays = response.delays_by_person(conversations)
    assert delays[2] == [3 * 3600]
    # person 1 wrote first to 2, then answered 2's reply an hour later
    assert sorted(delays[1]) == [3600, 2 * 3600]
    assert 4 not in delays
    assert response.median_seconds(delays[1]) == 5400
    assert response.median_seconds([]) is None
