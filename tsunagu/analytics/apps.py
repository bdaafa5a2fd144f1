from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "tsunagu.analytics"
    label = "analytics"
    verbose_name = _("profile analytics")

    def ready(self) -> None:
        import tsunagu.analytics.timers  # noqa: F401  (registers the periodic roll-up)
        from tsunagu.analytics.recording import profile_viewed_receiver
        from tsunagu.profiles.signals import profile_viewed

        profile_viewed.connect(profile_viewed_receiver, dispatch_uid="analytics.profile_viewed")
