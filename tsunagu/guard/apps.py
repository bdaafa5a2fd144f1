from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "tsunagu.guard"
    label = "guard"
    verbose_name = _("contact guard")
