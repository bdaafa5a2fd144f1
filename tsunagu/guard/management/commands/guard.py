"""``tsunagu guard scan``: scan JSON Lines messages from standard input.

Each input line is ``{"id": ..., "text": "..."}`` with optional ``"room"`` and ``"sender"``;
lines with the same room and sender are that sender's consecutive messages, in order. Each
output line is ``{"id": ..., "verdict": "contact" | "solicit" | "clean", "findings": [...]}``,
or ``{"id": ..., "line": N, "error": "..."}`` for a line that cannot be read. Bad lines are
reported on standard error and make the exit status non-zero once every line is done.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.guard.engine import ConversationScanner


class _BadLine(ValueError):
    def __init__(self, message: str, row_id: object = None) -> None:
        super().__init__(message)
        self.row_id = row_id


def _parse(line: str) -> tuple[object, str, object, object]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise _BadLine(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(row, dict):
        raise _BadLine("not a JSON object")
    row_id = row.get("id")
    if "id" not in row or row_id is None:
        raise _BadLine('missing "id"')
    if isinstance(row_id, dict | list):
        raise _BadLine('"id" must be a string or a number', row_id=None)
    if "text" not in row:
        raise _BadLine('missing "text"', row_id)
    text = row["text"]
    if not isinstance(text, str):
        raise _BadLine(f'"text" must be a string, not {type(text).__name__}', row_id)
    room, sender = row.get("room"), row.get("sender")
    for name, value in (("room", room), ("sender", sender)):
        if isinstance(value, dict | list):
            raise _BadLine(f'"{name}" must be a string or a number', row_id)
    return row_id, text, room, sender


class Command(BaseCommand):
    help = "Contact guard tools. `guard scan` reads JSON Lines on stdin and writes verdicts."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "scan",
            help='scan {"id", "text", "room"?, "sender"?} lines from stdin',
            description=__doc__,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "scan":
            stdin: IO[str] = options.get("stdin") or sys.stdin
            bad = self.scan(stdin)
            if bad:
                raise CommandError(f"{bad} bad input line(s); see the messages above", returncode=2)

    def scan(self, stdin: IO[str]) -> int:
        scanner = ConversationScanner()
        bad = 0
        for number, line in enumerate(stdin, 1):
            if not line.strip():
                continue
            try:
                row_id, text, room, sender = _parse(line)
            except _BadLine as error:
                bad += 1
                self.stderr.write(f"line {number}: {error}")
                out: dict[str, object] = {"id": error.row_id, "line": number, "error": str(error)}
                self.stdout.write(json.dumps(out, ensure_ascii=False))
                continue
            result = scanner.scan(text, room=room, sender=sender)
            self.stdout.write(json.dumps({"id": row_id, **result.as_dict()}, ensure_ascii=False))
        return bad
