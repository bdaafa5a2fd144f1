from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tsunagu.core"
    label = "core"

    def ready(self) -> None:
        from tsunagu.core import checks  # noqa: F401  (registers the system checks)
