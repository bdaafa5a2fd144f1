from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tsunagu.backups.errors import ArchiveDamaged, SnapshotError
from tsunagu.backups.services import backup_create


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL or model checks: start fast
    help = (
        "Back up the database and every stored file into one timestamped archive with a "
        "manifest of sha256 sums (encrypted to age public keys when given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="folder for the archive (BACKUP_DIR)")
        parser.add_argument(
            "--encrypt-to",
            action="append",
            metavar="AGE_PUBLIC_KEY",
            help="encrypt to this age public key (repeatable; BACKUP_RECIPIENTS)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        recipients = options["encrypt_to"]
        if recipients is None:
            recipients = settings.BACKUP_RECIPIENTS
        try:
            backup = backup_create(
                out=options["out"], recipients=recipients, progress=not options["no_progress"]
            )
        except (SnapshotError, ArchiveDamaged, ValueError, OSError) as exc:
            raise CommandError(_("The backup failed: %(problem)s") % {"problem": exc}) from exc
        self.stdout.write(
            f"{backup.path}\n  {backup.size} bytes, {backup.files} files, sha256 {backup.sha256}"
        )
