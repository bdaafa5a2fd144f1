from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Name the site after the address it is served on (used in e-mail links)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        domain = host if port in (80, 443) else f"{host}:{port}"
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "Tsunagu"}
        )
