"""/api/v1/cards: list, publish and revoke one's cards; anyone reads a card's signed document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.trust.factories import paid_contract
from tests.trust.test_cards_services import ALL, snapshot
from tsunagu.accounts.models import User
from tsunagu.messaging.export import platform_fingerprint
from tsunagu.trust.card import verify_card

pytestmark = pytest.mark.django_db

BASE = "/api/v1/cards"


_secrets: dict[int, str] = {}


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    _secrets.clear()  # each test's database starts empty again


def api(user: User, language: str = "ja") -> tuple[Client, dict[str, Any]]:
    """A client with the user's token (one per user, made on first use)."""
    if user.pk not in _secrets:
        _secrets[user.pk] = make_token(user=user, name=f"cards {user.pk}")[1]
    return Client(), {**bearer(_secrets[user.pk]), "HTTP_ACCEPT_LANGUAGE": language}


def post(user: User, path: str, data: dict[str, Any] | None = None, language: str = "ja") -> Any:
    client, headers = api(user, language)
    return client.post(
        BASE + path, data=json.dumps(data or {}), content_type="application/json", **headers
    )


def test_publish_list_revoke_and_read_the_document() -> None:
    contract = paid_contract()
    made = post(contract.worker, "/mine", {"fields": ALL})
    assert made.status_code == 201, made.content
    public_id = made.json()["public_id"]
    client, headers = api(contract.worker)
    listed = client.get(BASE + "/mine", **headers).json()
    assert [card["public_id"] for card in listed] == [public_id]
    document = Client().get(f"{BASE}/{public_id}")
    assert document.status_code == 200
    assert verify_card(document.content, trusted_fingerprint=platform_fingerprint()).ok
    revoked = post(contract.worker, f"/mine/{public_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    gone = Client().get(f"{BASE}/{public_id}")
    assert gone.status_code == 410 and gone.json()["code"] == "revoked"


def test_unknown_fields_are_422_in_the_callers_language_and_nothing_changes() -> None:
    contract = paid_contract()
    api(contract.worker)
    before = snapshot()
    ja = post(contract.worker, "/mine", {"fields": ["iban"]})
    assert ja.status_code == 422 and ja.json()["code"] == "unknown_fields"
    assert "カードに表示できない項目です" in ja.json()["message"]
    en = post(contract.worker, "/mine", {"fields": ["iban"]}, language="en")
    assert en.json()["message"] == "A card cannot show these: iban."
    assert snapshot() == before


def test_a_second_user_cannot_revoke_and_no_card_without_paid_work() -> None:
    contract = paid_contract()
    public_id = post(contract.worker, "/mine", {"fields": ALL}).json()["public_id"]
    newcomer = UserFactory()
    api(contract.client), api(newcomer)
    before = snapshot()
    assert post(contract.client, f"/mine/{public_id}/revoke").status_code == 404
    refused = post(newcomer, "/mine", {"fields": ALL})
    assert refused.status_code == 409 and refused.json()["code"] == "no_completed_contract"
    assert snapshot() == before


def test_my_cards_needs_authentication() -> None:
    assert Client().get(BASE + "/mine").status_code == 401
