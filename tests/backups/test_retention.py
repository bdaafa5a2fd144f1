"""Retention: the newest backup of each of the last 7 days, 4 weeks and 12 months is kept."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tsunagu.backups.models import Backup, Trigger, Verification
from tsunagu.backups.retention import Keep, to_keep
from tsunagu.backups.services import backups_prune

START = datetime.datetime(2026, 12, 31, 3, 0, tzinfo=datetime.UTC)


def test_daily_weekly_and_monthly_are_kept() -> None:
    # two backups a day (03:00 and 15:00) for 400 days
    times = [START - datetime.timedelta(hours=12 * i) for i in range(800)]
    kept = to_keep(times, Keep(daily=7, weekly=4, monthly=12))
    days = {t.date() for t in kept}
    assert len(kept) == len(days)  # at most one a day: the newest of it
    assert max(kept) == START + datetime.timedelta(hours=0)
    last_week = {(START - datetime.timedelta(days=d)).date() for d in range(7)}
    assert last_week <= days
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12 and min(months) == (2026, 1)
    # one a week for the last four ISO weeks
    weeks = {t.isocalendar()[:2] for t in kept}
    assert {(2026, 53), (2026, 52), (2026, 51), (2026, 50)} <= weeks
    assert len(kept) <= 7 + 4 + 12
    assert to_keep([], Keep()) == set()


@pytest.mark.django_db
def test_pruning_removes_the_files_and_marks_the_rows(tmp_path: Path) -> None:
    now = timezone.now()
    rows = []
    for days in range(40):
        path = tmp_path / f"b{days}.tar"
        path.write_bytes(b"x")
        rows.append(
            Backup.objects.create(
                created_at=now - datetime.timedelta(days=days),
                trigger=Trigger.SCHEDULED,
                path=str(path),
                size=1,
                sha256="0" * 64,
                database_vendor="sqlite",
                verification=Verification.VERIFIED,
            )
        )
    manual = tmp_path / "manual.tar"
    manual.write_bytes(b"x")
    Backup.objects.create(
        created_at=now - datetime.timedelta(days=90),
        trigger=Trigger.MANUAL,
        path=str(manual),
        size=1,
        sha256="0" * 64,
        database_vendor="sqlite",
    )

    pruned = backups_prune(keep=Keep(daily=7, weekly=4, monthly=12))

    left = Backup.objects.exclude(verification=Verification.PRUNED)
    assert pruned == 41 - left.count() > 20
    assert all(Path(b.path).exists() for b in left)
    gone = Backup.objects.filter(verification=Verification.PRUNED)
    assert all(not Path(b.path).exists() for b in gone)
    assert manual.exists()  # retention applies to scheduled backups only
    assert {b.pk for b in rows[:7]} <= {b.pk for b in left}
    assert backups_prune(keep=Keep()) == 0
