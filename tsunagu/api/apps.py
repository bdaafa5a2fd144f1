from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tsunagu.api"
    label = "api"
    verbose_name = _("api")

    def ready(self) -> None:
        import tsunagu.api.timers  # noqa: F401  (registers the periodic sweep)
