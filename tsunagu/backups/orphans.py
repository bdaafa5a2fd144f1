"""The sweep for files no row names, left when a process died between writing a file and
committing its row (a rollback removes its files at once: ``tsunagu.core.uploads``).

It never removes a file that a row still names: the candidates are listed first (only older than
the grace period, only under a folder a file field uploads to), the names every file field holds
are read after that, and only candidates absent from them are removed. A file being written now
is younger than the grace period; one whose row commits during the sweep is either too young or
already named when the names are read.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone

from tsunagu.backups.archive import stored_files

logger = logging.getLogger(__name__)


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                yield model, f


def upload_prefixes() -> set[str]:
    """The fixed first folder each file field uploads to ("deliveries/", "messages/", ...)."""
    prefixes = set()
    for _model, f in _file_fields():
        upload_to = f.upload_to if isinstance(f.upload_to, str) else ""
        head = upload_to.split("%", 1)[0].split("/", 1)[0]
        if head:
            prefixes.add(f"{head}/")
    return prefixes


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, f in _file_fields():
        names.update(
            model._default_manager.exclude(**{f.name: ""})
            .exclude(**{f"{f.name}__isnull": True})
            .values_list(f.name, flat=True)
        )
    return names


def _candidates(storage: Storage, prefixes: set[str], before: datetime.datetime) -> list[str]:
    found = []
    for prefix in sorted(prefixes):
        for name in stored_files(storage, prefix.rstrip("/")):
            try:
                modified = storage.get_modified_time(name)
            except (OSError, NotImplementedError):
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified, datetime.UTC)
            if modified < before:
                found.append(name)
    return found


def orphans_sweep(
    *, grace: datetime.timedelta | None = None, now: datetime.datetime | None = None
) -> list[tuple[str, str]]:
    """Remove unreferenced files older than ``grace``; returns (storage alias, name) removed."""
    grace = grace if grace is not None else datetime.timedelta(hours=settings.ORPHAN_GRACE_HOURS)
    before = (now or timezone.now()) - grace
    prefixes = upload_prefixes()
    candidates = {
        alias: _candidates(storages[alias], prefixes, before) for alias in settings.BACKUP_STORAGES
    }
    named = referenced_names()  # read after listing, so a row committed meanwhile is seen
    removed = []
    for alias, names in candidates.items():
        for name in names:
            if name in named:
                continue
            storages[alias].delete(name)
            logger.info("removed orphan file %s from %s", name, alias)
            removed.append((alias, name))
    return removed
