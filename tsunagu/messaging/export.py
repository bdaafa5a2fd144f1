"""Export a room as an evidence bundle, as one of its members (or staff) may see it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.messaging import chain, evidence
from tsunagu.messaging.errors import MessagingError
from tsunagu.messaging.models import Message, Room, RoomMember


@lru_cache(maxsize=4)
def _key(path: str) -> Ed25519PrivateKey:
    return evidence.load_or_create_key(Path(path))


def signing_key() -> Ed25519PrivateKey:
    return _key(str(settings.EVIDENCE_KEY_PATH))


def platform_fingerprint() -> str:
    return evidence.fingerprint(signing_key().public_key())


def visible_until(*, room: Room, user: User | None) -> int:
    """The last entry ``user`` may read: all for members and staff, up to removal for removed
    members. Anyone else is refused."""
    if user is None or user.is_staff:
        return room.last_seq
    member = RoomMember.objects.filter(room=room, user=user).first()
    if member is None:
        raise MessagingError.refuse("not_a_member")
    if member.removed_at is not None:
        return member.removed_after_seq or 0
    return room.last_seq


def evidence_export(*, room: Room, by: User | None) -> bytes:
    """The bundle of every entry ``by`` may read (None: the command line, everything)."""
    room = Room.objects.get(pk=room.pk)
    last = visible_until(room=room, user=by)
    rows = list(
        Message.objects.filter(room=room, seq__lte=last)
        .select_related("target", "sender__profile")
        .prefetch_related("attachments")
        .order_by("seq")
    )
    entries: list[dict[str, Any]] = []
    files: list[evidence.BundleFile] = []
    for row in rows:
        attachments = []
        for index, attachment in enumerate(row.attachments.all()):
            path = evidence.attachment_path(row.seq, index, attachment.name)
            with attachment.file.open("rb") as handle:
                files.append(evidence.BundleFile(path, handle.read()))
            attachments.append(
                {
                    "name": attachment.name,
                    "sha256": attachment.sha256,
                    "size": attachment.size,
                    "path": path,
                }
            )
        entries.append(
            {
                "seq": row.seq,
                "kind": row.kind,
                "sender_id": row.sender_id,
                "sender_name": row.sender.profile.display_name,
                "created_at": chain.timestamp(row.created_at),
                "body": row.body,
                "target_seq": row.target.seq if row.target else None,
                "attachments": attachments,
                "guard_notice": row.guard_notice,
                "prev_hash": row.prev_hash,
                "hash": row.hash,
            }
        )
    return evidence.build_bundle(
        room={"id": room.pk, "kind": room.kind, "title": room.title},
        entries=entries,
        attachments=files,
        exported_at=chain.timestamp(timezone.now()),
        exported_by=by.email if by is not None else "tsunagu evidence export",
        key=signing_key(),
    )
