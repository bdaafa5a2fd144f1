"""Publishing and revoking track-record cards: who may, what the signed snapshot says, and that a
refusal changes nothing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from tests.accounts.factories import UserFactory
from tests.trust.factories import funded, paid_contract, review
from tsunagu.audit.models import AuditEvent
from tsunagu.messaging.export import platform_fingerprint
from tsunagu.trust import card as card_format
from tsunagu.trust.card_rules import CARD_VALID_DAYS
from tsunagu.trust.errors import CardError
from tsunagu.trust.models import TrackRecordCard
from tsunagu.trust.services import card_publish, card_revoke, review_hide

pytestmark = pytest.mark.django_db

ALL = ["completed_contracts", "on_time_rate", "trust_score", "reviews"]


def snapshot() -> dict[str, Any]:
    return {
        "cards": list(TrackRecordCard.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


def refused(call: Callable[[], object], code: str) -> CardError:
    before = snapshot()
    with pytest.raises(CardError) as caught:
        call()
    assert caught.value.code == code
    assert snapshot() == before, "a refused action changed something"
    return caught.value


def verify(card: TrackRecordCard, **kwargs: Any) -> card_format.CardCheck:
    return card_format.verify_card(
        json.dumps(card.document), trusted_fingerprint=platform_fingerprint(), **kwargs
    )


def test_a_worker_with_a_paid_contract_publishes_a_signed_snapshot() -> None:
    contract = paid_contract()
    review(contract, contract.client, stars=5, text="とても丁寧でした")
    card = card_publish(user=contract.worker, fields=ALL, site_url="https://tsunagu.example/")
    content = card.document["card"]
    assert content["card_id"] == card.public_id
    assert content["completed_contracts"] == 1
    assert content["on_time_rate"]["total"] == 1
    assert set(content["trust_score"]) == {"value", "new"}
    assert content["profile_url"].startswith("https://tsunagu.example/profiles/")
    assert "email" in content["identity"]
    assert verify(card).ok
    expires = datetime.datetime.fromisoformat(content["expires_at"])
    assert (expires - timezone.now()).days in (CARD_VALID_DAYS - 1, CARD_VALID_DAYS)
    assert len(card.public_id) == 16
    assert AuditEvent.objects.filter(event="card.published", subject_id=str(card.pk)).exists()


def test_the_card_shows_only_the_chosen_fields() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=["trust_score"])
    content = card.document["card"]
    assert "trust_score" in content
    assert not {"completed_contracts", "on_time_rate", "reviews"} & set(content)
    assert card.fields == ["trust_score"]


def test_review_excerpts_are_the_best_published_texts_never_hidden_ones() -> None:
    worker = UserFactory()
    staff = UserFactory(is_staff=True)
    texts = {5: "素晴らしい仕事でした", 4: "よかったです", 3: "普通でした"}
    made = {}
    for stars, text in texts.items():
        contract = paid_contract(worker=worker)
        made[stars] = review(contract, contract.client, stars=stars, text=text)
        review(contract, worker, stars=5)  # both wrote: published
    hidden_contract = paid_contract(worker=worker)
    hidden = review(hidden_contract, hidden_contract.client, stars=5, text="ひみつの文")
    review(hidden_contract, worker, stars=5)
    review_hide(review=hidden, by=staff, reason="個人情報")
    unpublished = paid_contract(worker=worker)
    review(unpublished, unpublished.client, stars=5, text="まだ非公開")
    card = card_publish(user=worker, fields=["reviews"])
    shown = [item["text"] for item in card.document["card"]["reviews"]]
    assert shown == [texts[5], texts[4]]
    assert "ひみつの文" not in json.dumps(card.document, ensure_ascii=False)
    assert "まだ非公開" not in json.dumps(card.document, ensure_ascii=False)


def test_publishing_again_makes_a_new_card_and_revokes_the_old() -> None:
    contract = paid_contract()
    first = card_publish(user=contract.worker, fields=ALL)
    second = card_publish(user=contract.worker, fields=["completed_contracts"])
    first.refresh_from_db()
    assert first.is_revoked and not second.is_revoked
    assert first.public_id != second.public_id
    assert TrackRecordCard.objects.filter(owner=contract.worker, revoked_at=None).count() == 1
    assert AuditEvent.objects.filter(event="card.revoked", subject_id=str(first.pk)).exists()


def test_no_card_without_a_completed_paid_contract_as_worker() -> None:
    refused(lambda: card_publish(user=UserFactory(), fields=ALL), "no_completed_contract")
    unpaid = funded()
    refused(lambda: card_publish(user=unpaid.worker, fields=ALL), "no_completed_contract")
    paid = paid_contract()
    # The client of a paid contract has no record as a worker.
    refused(lambda: card_publish(user=paid.client, fields=ALL), "no_completed_contract")


def test_unknown_fields_are_refused_in_the_users_language_and_nothing_changes() -> None:
    contract = paid_contract()
    card_publish(user=contract.worker, fields=ALL)
    with override("ja"):
        error = refused(
            lambda: card_publish(user=contract.worker, fields=["trust_score", "email"]),
            "unknown_fields",
        )
        assert "email" in error.message
        assert "カード" in error.message
    with override("en"):
        assert error.message == "A card cannot show these: email."
    assert error.kind == "invalid"


def test_only_the_owner_revokes_and_a_card_is_revoked_once() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    error = refused(lambda: card_revoke(card=card, by=contract.client), "not_the_owner")
    assert error.kind == "forbidden"
    card_revoke(card=card, by=contract.worker)
    card.refresh_from_db()
    assert card.is_revoked
    event = AuditEvent.objects.get(event="card.revoked", subject_id=str(card.pk))
    assert event.actor_id == contract.worker.pk
    refused(lambda: card_revoke(card=card, by=contract.worker), "already_revoked")


def test_an_altered_or_revoked_card_fails_verification() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    altered = json.loads(json.dumps(card.document))
    altered["card"]["completed_contracts"] = 99
    check = card_format.verify_card(json.dumps(altered), trusted_fingerprint=platform_fingerprint())
    assert not check.ok and "changed" in check.problems[0]
    card_revoke(card=card, by=contract.worker)
    from tsunagu.trust.card_selectors import card_is_revoked

    check = verify(card, is_revoked=card_is_revoked)
    assert not check.ok and "revoked" in check.problems[0]
