from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tsunagu.contracts"
    label = "contracts"
    verbose_name = _("contracts")

    def ready(self) -> None:
        from tsunagu.contracts import checks, timers  # noqa: F401  (periodic timers, ledger checks)
