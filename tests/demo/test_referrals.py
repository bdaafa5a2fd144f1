"""``tsunagu demo`` loads connections and introductions; running it again adds none."""

from __future__ import annotations

import pytest

from tsunagu.demo.referrals import demo_referrals_load
from tsunagu.referrals.models import Connection, ConnectionStatus, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def test_demo_referrals_load_and_are_idempotent() -> None:
    assert Connection.objects.filter(status=ConnectionStatus.ACCEPTED).count() == 9
    assert Connection.objects.filter(status=ConnectionStatus.PENDING).count() == 2
    referrals = Referral.objects.all()
    assert referrals.count() == 4
    accepted = referrals.get(status=ReferralStatus.ACCEPTED)
    assert accepted.room_id is not None and accepted.reward == 3000
    assert referrals.filter(kind="forward", job__isnull=False).count() == 1
    before = (Connection.objects.count(), Referral.objects.count())
    assert demo_referrals_load() == 0
    assert (Connection.objects.count(), Referral.objects.count()) == before
