"""Backup timers, run by the periodic tick."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from tsunagu.core.periodic import periodic

SWEEP_EVERY_SECONDS = 60 * 60


@periodic("backups.scheduled")
def scheduled() -> str:
    """A backup once every ``BACKUP_EVERY_HOURS`` (when ``BACKUP_SCHEDULE`` is on), then old
    scheduled ones pruned by the retention rule."""
    from tsunagu.backups.services import backup_scheduled

    if not settings.BACKUP_SCHEDULE:
        return ""
    # two workers ticking at once make one backup, not two
    if not cache.add("backups:scheduled:running", 1, timeout=6 * 60 * 60):
        return ""
    try:
        backup = backup_scheduled()
    finally:
        cache.delete("backups:scheduled:running")
    return backup.path if backup else ""


@periodic("backups.orphans")
def orphans() -> int:
    """At most hourly, remove files no row names (older than ``ORPHAN_GRACE_HOURS``)."""
    from tsunagu.backups.orphans import orphans_sweep

    if not cache.add("backups:orphans:swept", 1, timeout=SWEEP_EVERY_SECONDS):
        return 0
    return len(orphans_sweep())


@periodic("backups.exports_expire")
def exports_expire() -> int:
    """Remove the ZIPs of data exports whose link expired unused."""
    from tsunagu.backups.export import data_exports_expire

    return data_exports_expire()
