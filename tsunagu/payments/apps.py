from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tsunagu.payments"
    label = "payments"
    verbose_name = _("payments")

    def ready(self) -> None:
        import tsunagu.payments.timers  # noqa: F401  (registers the periodic job)
