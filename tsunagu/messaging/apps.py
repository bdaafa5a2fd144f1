from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tsunagu.messaging"
    label = "messaging"
    verbose_name = _("messages")

    def ready(self) -> None:
        import tsunagu.messaging.digest  # noqa: F401  (registers the digest job)
