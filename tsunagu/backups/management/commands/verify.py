from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tsunagu.backups.verify import restored_verify


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no URL or model checks: start fast
    help = (
        "Check this site's data: the ledger, every room's hash chain and every stored file's "
        "sha256 against its row; exits 1 naming the first failure."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = restored_verify(manifest=None, alias="default")
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                _("Verification failed: %(failure)s") % {"failure": report.first_failure}
            )
        self.stdout.write(_("Verification: ok"))
