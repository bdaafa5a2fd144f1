"""A signed track-record card verifies offline; any change, another key, expiry or revocation fails."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tsunagu.trust.card import FORMAT, sign_card, verify_card

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
KEY = Ed25519PrivateKey.generate()


def card(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "card_id": "c_7Qm2",
        "name": "佐藤 花子",
        "profile_url": "https://tsunagu.example/profiles/hana/",
        "identity": ["email", "phone", "identity_document"],
        "issued_at": "2026-11-30T09:00:00+09:00",
        "expires_at": "2027-02-28T09:00:00+09:00",
        "completed_contracts": 12,
        "trust_score": 87,
        "reviews": [{"stars": 5, "text": "納期を守ってくださいました。"}],
    }
    base.update(overrides)
    return base


def signed(**overrides: Any) -> dict[str, Any]:
    return sign_card(card(**overrides), KEY)


def fingerprint() -> str:
    return str(signed()["key_fingerprint"])


def test_a_signed_card_verifies_with_the_platforms_fingerprint() -> None:
    document = signed()

    check = verify_card(json.dumps(document), trusted_fingerprint=fingerprint(), now=NOW)

    assert check.ok, check.problems
    assert document["format"] == FORMAT
    assert check.card["trust_score"] == 87


@pytest.mark.parametrize(
    ("field", "value"),
    [("trust_score", 99), ("completed_contracts", 120), ("name", "佐藤 花子 "), ("reviews", [])],
)
def test_any_change_to_the_card_fails(field: str, value: Any) -> None:
    document = signed()
    document["card"][field] = value

    check = verify_card(json.dumps(document), trusted_fingerprint=fingerprint(), now=NOW)

    assert not check.ok
    assert check.problems == ["the signature does not match: the card was changed"]


def test_a_card_signed_by_another_key_fails_against_the_platforms_fingerprint() -> None:
    forged = sign_card(card(trust_score=100), Ed25519PrivateKey.generate())

    check = verify_card(json.dumps(forged), trusted_fingerprint=fingerprint(), now=NOW)

    assert check.problems == ["the card was signed by another key than the platform's"]


def test_expired_and_revoked_cards_fail() -> None:
    later = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    document = json.dumps(signed())

    assert verify_card(document, now=later).problems == [
        "the card expired at 2027-02-28T09:00:00+09:00"
    ]
    revoked = verify_card(document, now=NOW, is_revoked=lambda card_id: card_id == "c_7Qm2")
    assert revoked.problems == ["the card was revoked by its owner"]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        "not json",
        json.dumps([1, 2]),
        json.dumps({"format": "other/1"}),
        json.dumps({"format": FORMAT, "card": "x"}),
        json.dumps({"format": FORMAT, "card": {}, "public_key": "x", "signature": "!!"}),
    ],
)
def test_garbage_is_refused_with_a_reason_not_an_exception(data: bytes | str) -> None:
    check = verify_card(data, now=NOW)

    assert not check.ok and len(check.problems) == 1


def test_cards_without_required_fields_or_with_unknown_ones_are_not_signed() -> None:
    incomplete = card()
    del incomplete["expires_at"]
    with pytest.raises(ValueError, match="expires_at"):
        sign_card(incomplete, KEY)
    with pytest.raises(ValueError, match="email_address"):
        sign_card(card(email_address="hana@example.com"), KEY)
