from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.backups.errors import ArchiveDamaged, RestoreRefused, SnapshotError
from tsunagu.backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and file storage (--force replaces "
        "live data); --verify then checks the ledger, every room's chain and every file's sha256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--verify", action="store_true", help="check the restored site")
        parser.add_argument(
            "--force", action="store_true", help="replace a database or storage that holds data"
        )
        parser.add_argument("--identity", type=Path, help="age key file for an encrypted archive")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup_restore(
                path=options["archive"],
                identity=options["identity"],
                force=options["force"],
                verify=options["verify"],
                progress=not options["no_progress"],
            )
        except ArchiveDamaged as exc:
            raise CommandError(f"refused: the archive is damaged: {exc}") from exc
        except RestoreRefused as exc:
            raise CommandError(f"refused: {exc}") from exc
        except SnapshotError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        manifest = restored.manifest
        self.stdout.write(
            f"restored the {manifest.vendor} database of {manifest.created_at} "
            f"and {restored.files} files"
        )
        if restored.report is None:
            return
        for line in restored.report.lines():
            self.stdout.write(line)
        if not restored.report.ok:
            raise CommandError(f"verification failed: {restored.report.first_failure}")
        self.stdout.write("verification: ok")
