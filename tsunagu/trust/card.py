"""Track-record cards: a worker's record, signed by the platform, checkable offline by anyone.

A card is one JSON document::

    {"format": "tsunagu-card/1",
     "card": {...what the worker chose to show...},
     "signature": "<base64 Ed25519 signature of the card's canonical JSON>",
     "public_key": "<PEM of the platform's key>", "key_fingerprint": "<sha256 of the raw key>"}

The platform signs with the same Ed25519 key as the evidence bundles. ``verify_card`` needs
only the document (and, to be sure the key is the platform's, its fingerprint as published on
the site): it checks the format, the signature over the canonical form (sorted keys, no
spaces, UTF-8), that the card has not expired and, when told, that it was not revoked. Any
changed byte of the card's content fails. No Django here.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "tsunagu-card/1"
# Fields a worker may show; identity and the card's own facts are always there.
OPTIONAL_FIELDS = ("completed_contracts", "on_time_rate", "trust_score", "reviews")
REQUIRED_FIELDS = ("card_id", "name", "profile_url", "identity", "issued_at", "expires_at")


def canonical(card: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no insignificant spaces, UTF-8."""
    return json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def sign_card(card: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed document for ``card`` (which must have the required fields)."""
    missing = [name for name in REQUIRED_FIELDS if name not in card]
    if missing:
        raise ValueError(f"a card needs {', '.join(missing)}")
    unknown = set(card) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ValueError(f"unknown card fields: {', '.join(sorted(unknown))}")
    public = key.public_key()
    return {
        "format": FORMAT,
        "card": dict(card),
        "signature": base64.b64encode(key.sign(canonical(card))).decode(),
        "public_key": public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        "key_fingerprint": _fingerprint(public),
    }


@dataclass
class CardCheck:
    """What verification found: ``ok`` only with no problem; the first problem is named."""

    problems: list[str] = field(default_factory=list)
    card: dict[str, Any] = field(default_factory=dict)
    key_fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_card(
    data: bytes | str,
    *,
    trusted_fingerprint: str | None = None,
    now: datetime.datetime | None = None,
    is_revoked: Callable[[str], bool] | None = None,
) -> CardCheck:
    """Check a card document; never raises on bad input, says what is wrong instead."""
    check = CardCheck()
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        check.problems.append("the file is not JSON")
        return check
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        check.problems.append(f"not a {FORMAT} document")
        return check
    card = document.get("card")
    if not isinstance(card, dict):
        check.problems.append("the document has no card")
        return check
    check.card = card
    try:
        key = serialization.load_pem_public_key(str(document.get("public_key", "")).encode())
        signature = base64.b64decode(str(document.get("signature", "")), validate=True)
    except (ValueError, TypeError, binascii.Error):
        check.problems.append("the key or the signature is unreadable")
        return check
    if not isinstance(key, Ed25519PublicKey):
        check.problems.append("the key is not an Ed25519 key")
        return check
    check.key_fingerprint = _fingerprint(key)
    if trusted_fingerprint is not None and check.key_fingerprint != trusted_fingerprint.lower():
        check.problems.append("the card was signed by another key than the platform's")
        return check
    try:
        key.verify(signature, canonical(card))
    except InvalidSignature:
        check.problems.append("the signature does not match: the card was changed")
        return check
    expires = _parse_time(card.get("expires_at"))
    if expires is None:
        check.problems.append("the card has no valid expiry")
    elif expires <= (now or datetime.datetime.now(datetime.UTC)):
        check.problems.append(f"the card expired at {card['expires_at']}")
    if is_revoked is not None and is_revoked(str(card.get("card_id", ""))):
        check.problems.append("the card was revoked by its owner")
    return check


def _parse_time(value: object) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
