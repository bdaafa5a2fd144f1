"""Two cards published at the same moment by one worker, each on its own connection: one card
stays live, the other is revoked, and nothing is half-written."""

from __future__ import annotations

import pytest

from tests.support.races import race
from tests.trust.factories import paid_contract
from tsunagu.audit.models import AuditEvent
from tsunagu.trust.models import TrackRecordCard
from tsunagu.trust.services import card_publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_publishes_at_once_leave_exactly_one_live_card() -> None:
    worker = paid_contract().worker

    results = race(
        lambda: card_publish(user=worker, fields=["completed_contracts", "trust_score"]),
        lambda: card_publish(user=worker, fields=["on_time_rate", "reviews"]),
    )

    assert all(isinstance(r, TrackRecordCard) for r in results), results
    cards = TrackRecordCard.objects.filter(owner=worker)
    assert cards.count() == 2
    assert cards.filter(revoked_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(event="card.published").count() == 2
    assert AuditEvent.objects.filter(event="card.revoked").count() == 1
