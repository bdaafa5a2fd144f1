"""``tsunagu search reindex``: rebuild the job and worker search indexes from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.jobs.services import search_reindex


class Command(BaseCommand):
    help = "Search index maintenance. 'reindex' rebuilds the job and worker indexes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action != "reindex":  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"unknown action {action}")
        jobs, profiles = search_reindex()
        self.stdout.write(self.style.SUCCESS(f"Indexed {jobs} jobs and {profiles} profiles."))
