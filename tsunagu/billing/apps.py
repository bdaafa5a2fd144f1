from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "tsunagu.billing"
    label = "billing"
    verbose_name = _("tax papers and invoices")

    def ready(self) -> None:
        # Invoices are issued as soon as money reaches a worker; the periodic job in timers
        # issues any that a failed receiver missed.
        from tsunagu.billing import timers  # noqa: F401
        from tsunagu.billing.services import on_milestone_paid
        from tsunagu.contracts.signals import milestone_paid

        milestone_paid.connect(on_milestone_paid, dispatch_uid="billing.on_milestone_paid")
