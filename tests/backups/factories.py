"""A small site with real work in it: contracts paid through escrow, one funded and open, a
delivered file, messages with an attachment, an edit and a deletion."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.factories import UserFactory
from tests.trust.factories import funded, paid_contract
from tsunagu.contracts.models import Contract
from tsunagu.messaging.models import Room
from tsunagu.messaging.services import (
    message_delete,
    message_edit,
    message_send,
    room_for_contract,
)


@dataclass
class Site:
    paid: Contract
    open: Contract
    room: Room


def site_with_work() -> Site:
    client, worker = UserFactory(), UserFactory()
    paid = paid_contract(client=client, worker=worker, amounts=(30_000,))
    still_open = funded(client=client, worker=UserFactory(), amounts=(12_000, 8_000))
    room = room_for_contract(contract=paid)
    first = message_send(
        room=room,
        sender=client,
        body="資料をお送りします",
        attachments=[SimpleUploadedFile("brief.txt", "構成案です".encode())],
    )
    message_edit(message=first, by=client, body="資料をお送りします(改訂)")
    second = message_send(room=room, sender=worker, body="受け取りました")
    message_delete(message=second, by=worker)
    message_send(
        room=room_for_contract(contract=still_open), sender=client, body="よろしくお願いします"
    )
    return Site(paid=paid, open=still_open, room=room)


def tsunagu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``tsunagu`` command in a fresh process with ``env`` over this one's."""
    full = {**os.environ, **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", *args],
        env=full,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def site_env(root: Path, database_url: str) -> dict[str, str]:
    """The environment of a second site under ``root``, with its own database and files."""
    return {
        "TSUNAGU_VAR_DIR": str(root),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(root / "media"),
        "PRIVATE_MEDIA_ROOT": str(root / "private"),
        "BACKUP_DIR": str(root / "backups"),
    }
