from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tsunagu.backups.errors import ArchiveDamaged, RestoreRefused, SnapshotError
from tsunagu.backups.services import backup_restore


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL or model checks: start fast
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
            raise CommandError(
                _("Refused, the archive is damaged: %(problem)s") % {"problem": exc}
            ) from exc
        except RestoreRefused as exc:
            raise CommandError(_("Refused: %(problem)s") % {"problem": exc}) from exc
        except SnapshotError as exc:
            raise CommandError(_("The restore failed: %(problem)s") % {"problem": exc}) from exc
        manifest = restored.manifest
        self.stdout.write(
            _("Restored the %(vendor)s database of %(time)s and %(files)d files.")
            % {"vendor": manifest.vendor, "time": manifest.created_at, "files": restored.files}
        )
        if restored.report is None:
            return
        for line in restored.report.lines():
            self.stdout.write(line)
        if not restored.report.ok:
            raise CommandError(
                _("Verification failed: %(failure)s") % {"failure": restored.report.first_failure}
            )
        self.stdout.write(_("Verification: ok"))
