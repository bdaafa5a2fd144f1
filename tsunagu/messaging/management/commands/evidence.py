from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.messaging.evidence import verify_bundle
from tsunagu.messaging.models import Room


class Command(BaseCommand):
    help = "Evidence bundles: `evidence export --room ID` writes one, `evidence verify FILE` checks one offline."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write a room's evidence bundle (ZIP)")
        export.add_argument("--room", type=int, required=True)
        export.add_argument("--output", "-o", help="file to write (default: evidence-room-ID.zip)")
        verify = sub.add_parser("verify", help="check a bundle: signature, file hashes, hash chain")
        verify.add_argument("file")
        verify.add_argument(
            "--fingerprint",
            help="the platform key's SHA-256 fingerprint to require (default: this installation's, if it has one)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            self._export(options["room"], options.get("output"))
        else:
            self._verify(options["file"], options.get("fingerprint"))

    def _export(self, room_id: int, output: str | None) -> None:
        from tsunagu.messaging.export import evidence_export

        room = Room.objects.filter(pk=room_id).first()
        if room is None:
            raise CommandError(f"no room with id {room_id}")
        path = Path(output or f"evidence-room-{room_id}.zip")
        data = evidence_export(room=room, by=None)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written bundle under the final name
        self.stdout.write(f"wrote {path} ({len(data):,} bytes, {room.last_seq} entries)")

    def _verify(self, file: str, fingerprint: str | None) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        if fingerprint is None:
            from django.conf import settings

            if Path(settings.EVIDENCE_KEY_PATH).exists():
                from tsunagu.messaging.export import platform_fingerprint

                fingerprint = platform_fingerprint()
        result = verify_bundle(path.read_bytes(), trusted_fingerprint=fingerprint)
        if result.ok:
            self.stdout.write(
                f"{file}: OK — {result.entries} entries, chain intact, signed by key {result.key_fingerprint[:16]}…"
            )
            return
        for problem in result.problems:
            self.stderr.write(f"{file}: {problem}")
        where = (
            f"first altered message: #{result.first_altered_seq}"
            if result.first_altered_seq
            else result.problems[0]
        )
        raise CommandError(f"verification failed — {where}")
