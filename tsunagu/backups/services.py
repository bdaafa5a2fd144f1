"""Backups: make one (database snapshot and every stored file in one archive), check it, prune
old ones by the retention rule, and restore one into an empty site.

A backup takes no lock and holds no transaction while it copies: the database snapshot is
consistent by itself (see snapshot.py) and files are copied after it, so every file a row of the
snapshot names is in the archive (files are written before their rows commit and are removed
only once unreferenced). The record of the backup is written when the archive is complete.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from tsunagu.backups import archive
from tsunagu.backups.archive import ArchiveDamaged, Manifest
from tsunagu.backups.errors import RestoreRefused
from tsunagu.backups.models import Backup, Trigger, Verification
from tsunagu.backups.retention import Keep, to_keep
from tsunagu.backups.snapshot import database_is_empty, database_load, database_snapshot
from tsunagu.backups.verify import Report, restored_verify

DATABASE = "default"


def backed_up_storages() -> dict[str, Storage]:
    """The storages a backup holds: public media and private files (``BACKUP_STORAGES``)."""
    return {alias: storages[alias] for alias in settings.BACKUP_STORAGES}


@contextmanager
def _progress(total: int, description: str, enabled: bool) -> Iterator[Callable[[int], object]]:
    with tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc=description,
        file=sys.stderr,
        disable=None if enabled else True,
        leave=False,
    ) as bar:
        yield bar.update


def _stored_bytes(stores: dict[str, Storage]) -> int:
    return sum(s.size(n) for s in stores.values() for n in archive.stored_files(s))


def backup_create(
    *,
    out: Path | None = None,
    trigger: str = Trigger.MANUAL,
    recipients: Sequence[str] | None = None,
    progress: bool = False,
) -> Backup:
    """Write one timestamped archive into ``out`` (default ``BACKUP_DIR``) and record it."""
    folder = Path(out or settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    keys = list(settings.BACKUP_RECIPIENTS if recipients is None else recipients)
    now = timezone.now()
    name = f"tsunagu-backup-{now:%Y%m%dT%H%M%S%f}Z.tar"
    stores = backed_up_storages()
    with tempfile.TemporaryDirectory(dir=folder, prefix=".tsunagu-backup-") as work:
        snapshot = database_snapshot(alias=DATABASE, into=Path(work))
        manifest = Manifest(
            created_at=now.isoformat(),
            vendor=snapshot.vendor,
            database=snapshot.member,
            members={},
            tables=snapshot.tables,
            ledger=snapshot.ledger,
        )
        partial = Path(work) / name
        total = snapshot.path.stat().st_size + _stored_bytes(stores)
        with _progress(total, _("backup"), progress) as advance:
            files = archive.archive_write(
                partial,
                database_file=snapshot.path,
                database_member=snapshot.member,
                storages=stores,
                manifest=manifest,
                advance=advance,
            )
        with _progress(partial.stat().st_size, _("check"), progress) as advance:
            archive.archive_check(partial, advance)
        if keys:
            partial = archive.encrypt(partial, keys)
        final = folder / partial.name
        os.replace(partial, final)
        final.chmod(0o600)  # it holds every private file
    return Backup.objects.create(
        created_at=now,
        trigger=trigger,
        path=str(final.resolve()),
        size=final.stat().st_size,
        sha256=archive.file_sha256(final),
        encrypted=bool(keys),
        database_vendor=snapshot.vendor,
        files=files,
        verification=Verification.VERIFIED,
        verified_at=timezone.now(),
        report=_("Archive read back after writing: %(n)d members match the manifest.")
        % {"n": len(manifest.members)},
    )


def backup_verify(*, backup: Backup) -> Backup:
    """Read the archive again: its sha256 against the record and, when not encrypted, every
    member against the manifest. Records the outcome."""
    path = Path(backup.path)
    try:
        if not path.exists():
            raise ArchiveDamaged(_("The archive file is missing."))
        if archive.file_sha256(path) != backup.sha256:
            raise ArchiveDamaged(_("The archive does not match the sha256 recorded for it."))
        if backup.encrypted:
            report = _("The sha256 matches; the contents are encrypted and checked on restore.")
        else:
            manifest = archive.archive_check(path)
            report = _("%(n)d members match the manifest.") % {"n": len(manifest.members)}
    except ArchiveDamaged as exc:
        backup.verification, backup.report = Verification.FAILED, str(exc)
    else:
        backup.verification, backup.report = Verification.VERIFIED, report
    backup.verified_at = timezone.now()
    backup.save(update_fields=["verification", "report", "verified_at"])
    return backup


def backups_prune(*, keep: Keep | None = None) -> int:
    """Remove scheduled archives the retention rule no longer keeps; returns how many."""
    keep = keep or Keep(
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
        monthly=settings.BACKUP_KEEP_MONTHLY,
    )
    live = list(
        Backup.objects.filter(trigger=Trigger.SCHEDULED)
        .exclude(verification=Verification.PRUNED)
        .order_by("-created_at")
    )
    zone = timezone.get_default_timezone()
    local = {b.pk: timezone.localtime(b.created_at, zone) for b in live}
    kept = to_keep(local.values(), keep)
    pruned = 0
    for backup in live:
        if local[backup.pk] in kept:
            continue
        Path(backup.path).unlink(missing_ok=True)
        backup.verification = Verification.PRUNED
        backup.report = _("Removed by the retention rule.")
        backup.save(update_fields=["verification", "report"])
        pruned += 1
    return pruned


def backup_scheduled(*, now: datetime.datetime | None = None) -> Backup | None:
    """The periodic backup: one when the last scheduled one is older than ``BACKUP_EVERY_HOURS``,
    then pruning."""
    now = now or timezone.now()
    every = datetime.timedelta(hours=settings.BACKUP_EVERY_HOURS)
    recent = Backup.objects.filter(trigger=Trigger.SCHEDULED, created_at__gt=now - every)
    if recent.exists():
        return None
    backup = backup_create(trigger=Trigger.SCHEDULED)
    backups_prune()
    return backup


@dataclass
class Restored:
    manifest: Manifest
    files: int
    report: Report | None


def _non_empty(stores: dict[str, Storage]) -> list[str]:
    return [alias for alias, store in stores.items() if next(archive.stored_files(store), None)]


def backup_restore(
    *,
    path: Path,
    identity: Path | None = None,
    force: bool = False,
    verify: bool = False,
    progress: bool = False,
) -> Restored:
    """Restore the archive at ``path`` into this site's database and storages.

    The whole archive is checked first (ArchiveDamaged), then the target (RestoreRefused when it
    holds data and ``force`` is not given); only then is anything written.
    """
    stores = backed_up_storages()
    work_root = Path(settings.BACKUP_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    if not path.is_file():
        raise ArchiveDamaged(_("There is no archive at %(path)s.") % {"path": path})
    with tempfile.TemporaryDirectory(dir=work_root, prefix=".tsunagu-restore-") as work:
        plain = path
        if path.name.endswith(".age"):
            if identity is None:
                raise ArchiveDamaged(
                    _("The archive is encrypted: give the age key file with --identity.")
                )
            plain = archive.decrypt(path, identity, Path(work))
        with _progress(plain.stat().st_size, _("check"), progress) as advance:
            manifest = archive.archive_check(plain, advance)
        if not force:
            if not database_is_empty(alias=DATABASE):
                raise RestoreRefused(
                    _(
                        "The database already holds accounts; restore into an empty one, or give --force to replace it."
                    )
                )
            busy = _non_empty(stores)
            if busy:
                raise RestoreRefused(
                    _(
                        "The file storage %(alias)s is not empty; restore into an empty one, or give --force to replace its files."
                    )
                    % {"alias": busy[0]}
                )
        database = Path(work) / "database"
        with database.open("wb") as handle:
            archive.archive_extract(plain, manifest.database, handle)
        database_load(alias=DATABASE, vendor=manifest.vendor, snapshot=database)
        database.unlink()
        files = 0
        wanted = {member: (alias, name) for member, alias, name in manifest.files()}
        with _progress(plain.stat().st_size, _("restore"), progress) as advance:
            for member, source in archive.archive_members(plain):
                if member not in wanted:
                    continue
                alias, name = wanted[member]
                store = stores.get(alias) or storages[alias]
                if store.exists(name):
                    store.delete(name)
                saved = store.save(name, File(source, name=name))
                if saved != name:
                    raise ArchiveDamaged(
                        _("%(name)s could not be restored under its own name.") % {"name": name}
                    )
                advance(manifest.members[member]["size"])
                files += 1
    report = None
    if verify:
        with _progress(0, _("verify"), progress) as advance:
            report = restored_verify(manifest=manifest, alias=DATABASE, advance=advance)
    return Restored(manifest=manifest, files=files, report=report)
