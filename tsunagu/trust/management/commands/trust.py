"""`tsunagu trust verify CARD.json [--fingerprint HEX]`: check a track-record card offline.

The signature, the key (this installation's by default) and the expiry are checked from the file
alone; when the card is known in this database, its revocation is checked too. ``trust rank``
is a framework-free computation the ``tsunagu`` command runs before Django starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.trust.card import verify_card


class Command(BaseCommand):
    help = "Track-record cards: `trust verify CARD.json` checks a card offline."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check a card: signature, key, expiry, revocation")
        verify.add_argument("file")
        verify.add_argument(
            "--fingerprint",
            help="the platform key's SHA-256 fingerprint to require (default: this installation's)",
        )
        sub.add_parser("rank", help="use `tsunagu trust rank` (runs without Django)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rank":
            raise CommandError("run `tsunagu trust rank --edges … --seeds … --out …` instead")
        self._verify(options["file"], options.get("fingerprint"))

    def _verify(self, file: str, fingerprint: str | None) -> None:
        from tsunagu.messaging.export import platform_fingerprint
        from tsunagu.trust.card_selectors import card_is_revoked

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        if fingerprint is None:
            if not Path(settings.EVIDENCE_KEY_PATH).exists():
                raise CommandError(
                    "this installation has no platform key: pass --fingerprint with the key's "
                    "SHA-256 fingerprint as published on the card's page"
                )
            fingerprint = platform_fingerprint()
        check = verify_card(
            path.read_bytes(),
            trusted_fingerprint=fingerprint,
            is_revoked=card_is_revoked,
        )
        if not check.ok:
            raise CommandError(f"{file}: FAILED — {check.problems[0]}")
        card = check.card
        self.stdout.write(
            f"{file}: OK — card {card.get('card_id')} of {card.get('name')}, "
            f"valid until {card.get('expires_at')}, signed by key {check.key_fingerprint[:16]}…"
        )
