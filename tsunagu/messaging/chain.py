"""The hash chain of a room, with no Django in it.

Every entry of a room (a message, an edit, a deletion) stores the SHA-256 of a canonical JSON
array: the previous entry's hash, its own sequence number, kind, sender, time (UTC, to the
microsecond), body, the sequence number of the message it edits or deletes, and the SHA-256 of
each attachment. Changing any byte of any entry changes its hash and breaks every link after
it, so ``first_broken`` names the first entry that was altered, removed or inserted.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    sender_id: int | None
    created_at: str  # ISO 8601 in UTC with microseconds
    body: str
    target_seq: int | None
    attachment_hashes: tuple[str, ...]
    prev_hash: str
    hash: str


def timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    kind: str,
    sender_id: int | None,
    created_at: str,
    body: str,
    target_seq: int | None,
    attachment_hashes: Iterable[str],
) -> str:
    payload = [
        prev_hash,
        seq,
        kind,
        sender_id,
        created_at,
        body,
        target_seq,
        sorted(attachment_hashes),
    ]
    canonical = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def first_broken(entries: Sequence[Entry]) -> int | None:
    """The sequence number of the first entry that does not fit the chain, or None if whole."""
    previous = GENESIS
    expected_seq = 1
    for entry in entries:
        recomputed = entry_hash(
            prev_hash=previous,
            seq=entry.seq,
            kind=entry.kind,
            sender_id=entry.sender_id,
            created_at=entry.created_at,
            body=entry.body,
            target_seq=entry.target_seq,
            attachment_hashes=entry.attachment_hashes,
        )
        if entry.seq != expected_seq or entry.prev_hash != previous or entry.hash != recomputed:
            return entry.seq if entry.seq == expected_seq else expected_seq
        previous = entry.hash
        expected_seq += 1
    return None
