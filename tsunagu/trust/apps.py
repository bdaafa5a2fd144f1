from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "tsunagu.trust"
    label = "trust"
    verbose_name = _("trust")

    def ready(self) -> None:
        # timers: the reveal after the blind period and the reminders, run by the periodic tick.
        # Scores change as soon as money reaches a worker.
        from tsunagu.contracts.signals import milestone_paid
        from tsunagu.trust import timers  # noqa: F401
        from tsunagu.trust.scores import on_milestone_paid

        milestone_paid.connect(on_milestone_paid, dispatch_uid="trust.scores.on_milestone_paid")
