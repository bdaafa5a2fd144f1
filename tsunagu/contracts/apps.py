from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tsunagu.contracts"
    label = "contracts"
    verbose_name = _("contracts")

    def ready(self) -> None:
        # checks: the escrow's part of the ledger check; timers: auto-acceptance; services: what a
        # card payment for a milestone does when it settles.
        from tsunagu.contracts import checks, selectors, services, timers  # noqa: F401
        from tsunagu.payments.selectors import register_cause

        # The wallet's history asks what a milestone's money was for.
        register_cause("milestone", selectors.milestone_causes)
