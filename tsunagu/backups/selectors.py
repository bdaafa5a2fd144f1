from __future__ import annotations

from tsunagu.backups.models import Backup


def backups_list(*, limit: int = 200) -> list[Backup]:
    """The newest backups first (one query)."""
    return list(Backup.objects.order_by("-created_at", "-pk")[:limit])
