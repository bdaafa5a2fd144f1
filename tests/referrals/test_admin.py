"""Staff see connections, introductions and rewards (read-only) and can retry an owed reward,
which is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.factories import give_balance
from tests.referrals.factories import introduce, trio
from tests.trust.factories import funded, pay
from tsunagu.audit.models import AuditEvent
from tsunagu.referrals import services
from tsunagu.referrals.models import RewardPayout, RewardStatus

pytestmark = pytest.mark.django_db


def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["connection", "referral", "rewardpayout"])
def test_staff_see_the_lists_and_others_do_not(model: str) -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    url = reverse(f"admin:referrals_{model}_changelist")
    other = Client()
    other.force_login(UserFactory())
    assert staff().get(url).status_code == 200
    assert other.get(url).status_code == 302
    if model == "referral":
        page = staff().get(reverse("admin:referrals_referral_change", args=[referral.pk]))
        assert page.status_code == 200


def test_staff_retry_pays_an_owed_reward(django_capture_on_commit_callbacks: Any) -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client, reward=2_000)
    contract = funded(client=client, worker=worker)
    with django_capture_on_commit_callbacks(execute=True):
        pay(contract.milestones.get())
    payout = RewardPayout.objects.get()
    assert payout.status == RewardStatus.OWED
    give_balance(client, 2_000, key="later")
    response = staff().post(
        reverse("admin:referrals_rewardpayout_changelist"),
        {"action": "retry", "_selected_action": [payout.pk]},
    )
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == RewardStatus.PAID
    assert AuditEvent.objects.filter(event="referral.reward_retried").count() == 1
