"""The referral reward: a ledger transfer from the client's wallet to the referrer's when money
of the resulting contract is released; never more than that money, never twice, owed (not lost)
when the client's balance is short."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contracts.factories import give_balance, offer
from tests.referrals.factories import introduce, trio
from tests.trust.factories import funded, pay
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.contracts.selectors import wallet_available
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Transfer
from tsunagu.referrals import rewards, services
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import Referral, RewardPayout, RewardStatus

pytestmark = pytest.mark.django_db


def accepted(reward: int | None = 5_000) -> tuple[User, User, User, Referral]:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    referral = services.referral_accept(referral=referral, by=client, reward=reward)
    return referrer, client, worker, referral


def released(
    client: User, worker: User, capture: Any, amounts: tuple[int, ...] = (30_000,)
) -> Contract:
    contract = funded(client=client, worker=worker, amounts=amounts)
    milestone = contract.milestones.order_by("position").first()
    assert milestone is not None
    with capture(execute=True):
        pay(milestone)
    return contract


def reward_transfers() -> list[Transfer]:
    return list(Transfer.objects.filter(reason=rewards.REASON))


def test_reward_is_paid_from_the_clients_wallet_when_money_is_released(
    django_capture_on_commit_callbacks: Any,
) -> None:
    referrer, client, worker, referral = accepted(5_000)
    give_balance(client, 5_000, key="extra")
    contract = released(client, worker, django_capture_on_commit_callbacks)
    payout = RewardPayout.objects.get(referral=referral)
    assert payout.status == RewardStatus.PAID and payout.amount == 5_000
    assert payout.contract_id == contract.pk
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 5_000
    assert wallet_available(user_id=client.pk, currency="JPY") == 0
    [transfer] = reward_transfers()
    assert transfer.key == rewards.transfer_key(referral.pk)
    assert transfer.cause_type == "referral" and transfer.cause_id == str(referral.pk)
    assert run_checks() == []


def test_reward_is_paid_at_most_once(django_capture_on_commit_callbacks: Any) -> None:
    referrer, client, worker, referral = accepted(5_000)
    give_balance(client, 20_000, key="extra")
    contract = released(
        client, worker, django_capture_on_commit_callbacks, amounts=(30_000, 30_000)
    )
    second = contract.milestones.order_by("position").last()
    assert second is not None
    give_balance(client, second.gross, key="second")
    from tsunagu.contracts.services import milestone_fund_from_wallet

    milestone_fund_from_wallet(milestone=second, by=client)
    with django_capture_on_commit_callbacks(execute=True):
        pay(second)
    rewards.rewards_pay_for_contract(contract_id=contract.pk)
    again = rewards.referral_reward_pay(referral=referral, contract=contract)
    assert again is not None and again.status == RewardStatus.PAID
    assert len(reward_transfers()) == 1
    assert RewardPayout.objects.count() == 1
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 5_000
    with pytest.raises(ReferralError) as exc:
        services.referral_reward_set(referral=referral, by=client, reward=1_000)
    assert exc.value.code == "reward_settled"


def test_short_balance_is_owed_then_paid_by_the_retry(
    django_capture_on_commit_callbacks: Any,
) -> None:
    referrer, client, worker, referral = accepted(5_000)
    contract = released(client, worker, django_capture_on_commit_callbacks)
    payout = RewardPayout.objects.get(referral=referral)
    assert payout.status == RewardStatus.OWED and payout.attempts == 1
    assert payout.last_error == "exceeds_credits"
    assert reward_transfers() == []
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 0
    assert rewards.rewards_retry_owed() == 0  # still short: stays owed, nothing lost
    payout.refresh_from_db()
    assert payout.status == RewardStatus.OWED and payout.attempts == 2
    give_balance(client, 5_000, key="topup")
    assert rewards.rewards_retry_owed() == 1
    payout.refresh_from_db()
    assert payout.status == RewardStatus.PAID and payout.paid_at is not None
    assert rewards.rewards_retry_owed() == 0
    assert len(reward_transfers()) == 1
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 5_000
    assert contract.pk == payout.contract_id
    assert run_checks() == []


def test_reward_larger_than_the_payment_is_refused_when_promised() -> None:
    _referrer, client, worker, referral = accepted(None)
    offer(client=client, worker=worker, amounts=(30_000,))
    before = Referral.objects.get(pk=referral.pk).reward
    with pytest.raises(ReferralError) as exc:
        services.referral_reward_set(referral=referral, by=client, reward=30_001)
    assert exc.value.code == "reward_exceeds_payment"
    assert "30,000" in exc.value.message
    assert Referral.objects.get(pk=referral.pk).reward == before == 0
    services.referral_reward_set(referral=referral, by=client, reward=30_000)
    assert Referral.objects.get(pk=referral.pk).reward == 30_000


def test_reward_larger_than_the_payment_released_is_not_paid(
    django_capture_on_commit_callbacks: Any,
) -> None:
    referrer, client, worker, referral = accepted(50_000)
    give_balance(client, 100_000, key="rich")
    released(client, worker, django_capture_on_commit_callbacks, amounts=(30_000,))
    payout = RewardPayout.objects.get(referral=referral)
    assert payout.status == RewardStatus.REFUSED
    assert reward_transfers() == []
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 0


def test_only_the_client_promises_a_reward() -> None:
    referrer, client, worker = trio()
    with pytest.raises(ReferralError) as exc:
        introduce(referrer, client=client, worker=worker, reward=1_000)
    assert exc.value.code == "reward_not_client"
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client)
    for who in (worker, referrer):
        with pytest.raises(ReferralError) as exc:
            services.referral_reward_set(referral=referral, by=who, reward=1_000)
        assert exc.value.code == "reward_not_client"
    assert Referral.objects.get(pk=referral.pk).reward == 0


@pytest.mark.parametrize("bad", [-1, 1_000_001, "100", True])
def test_reward_bad_values_refused(bad: Any) -> None:
    _referrer, client, _worker, referral = accepted(None)
    with pytest.raises(ReferralError) as exc:
        services.referral_reward_set(referral=referral, by=client, reward=bad)
    assert exc.value.code == "reward_invalid"
    assert Referral.objects.get(pk=referral.pk).reward == 0
