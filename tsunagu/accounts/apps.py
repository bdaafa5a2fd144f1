from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from tsunagu.accounts import signals  # noqa: F401
