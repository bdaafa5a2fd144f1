from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "tsunagu.ledger"
    label = "ledger"
    verbose_name = _("ledger")

    def ready(self) -> None:
        from tsunagu.ledger import timers  # noqa: F401  (registers the periodic job)
