from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "tsunagu.analytics"
    label = "analytics"
    verbose_name = _("profile analytics")

    def ready(self) -> None:
        import tsunagu.analytics.timers  # noqa: F401  (registers the periodic roll-up)
