from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "tsunagu.proposals"
    label = "proposals"
    verbose_name = _("proposals")

    def ready(self) -> None:
        from tsunagu.proposals import tasks  # noqa: F401
