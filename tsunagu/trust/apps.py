from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "tsunagu.trust"
    label = "trust"
    verbose_name = _("trust")

    def ready(self) -> None:
        # timers: the reveal after the blind period and the reminders, run by the periodic tick.
        from tsunagu.trust import timers  # noqa: F401
