from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.ledger.checks import run_checks


class Command(BaseCommand):
    help = "Ledger tools. `ledger check` verifies every invariant and exits 1 when one is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="verify balances, totals and limits against the transfers")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "check":
            problems = run_checks()
            if problems:
                for problem in problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"ledger check failed: {len(problems)} problem(s); first: {problems[0].subject}"
                )
            self.stdout.write("ledger check: ok")
