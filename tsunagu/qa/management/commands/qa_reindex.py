"""Tokenise every question again (after a change to the jobs' tokeniser)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tsunagu.qa.search import question_documents_rebuild


class Command(BaseCommand):
    help = "Rebuild the question search index (FTS5 on SQLite, GIN on PostgreSQL)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = question_documents_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} questions indexed."))
