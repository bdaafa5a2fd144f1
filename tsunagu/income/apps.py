from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncomeConfig(AppConfig):
    name = "tsunagu.income"
    label = "income"
    verbose_name = _("Income")

    def ready(self) -> None:
        from tsunagu.contracts.signals import milestone_paid
        from tsunagu.income import timers  # noqa: F401  (registers the nightly roll-up)
        from tsunagu.income.rollups import on_milestone_paid

        milestone_paid.connect(on_milestone_paid, dispatch_uid="income.rollups.on_milestone_paid")
