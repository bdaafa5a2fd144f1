from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "tsunagu.jobs"
    label = "jobs"
    verbose_name = _("jobs")

    def ready(self) -> None:
        from tsunagu.jobs import signals, tasks  # noqa: F401
