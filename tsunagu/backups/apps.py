from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "tsunagu.backups"
    label = "backups"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from tsunagu.backups import timers  # noqa: F401  (scheduled backups and the orphan sweep)
