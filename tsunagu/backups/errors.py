from __future__ import annotations

from tsunagu.backups.archive import ArchiveDamaged
from tsunagu.backups.snapshot import SnapshotError


class RestoreRefused(Exception):
    """The target holds data and ``force`` was not given: nothing was changed."""


__all__ = ["ArchiveDamaged", "RestoreRefused", "SnapshotError"]
