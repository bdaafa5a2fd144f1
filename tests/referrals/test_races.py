"""Two people asking each other at the same moment end up with one connection; a reward paid
by two at once is paid once."""

from __future__ import annotations

import pytest

from tests.referrals.factories import person
from tests.support.races import race
from tsunagu.referrals import services
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import Connection, ConnectionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_asking_each_other_at_once_makes_one_connected_row() -> None:
    a, b = person(), person()
    results = race(
        lambda: services.connection_request(by=a, to=b),
        lambda: services.connection_request(by=b, to=a),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    rows = list(Connection.objects.all())
    assert len(rows) == 1
    assert rows[0].status == ConnectionStatus.ACCEPTED


def test_same_request_twice_at_once_makes_one_row() -> None:
    a, b = person(), person()
    results = race(
        lambda: services.connection_request(by=a, to=b),
        lambda: services.connection_request(by=a, to=b),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ReferralError)
    assert errors[0].code == "already_requested"
    assert Connection.objects.count() == 1


@pytest.mark.parametrize("calls", [2, 3])
def test_reward_paid_by_several_at_once_is_paid_once(calls: int) -> None:
    from tests.contracts.docs import docx
    from tests.contracts.factories import give_balance
    from tests.referrals.factories import introduce, trio
    from tests.trust.factories import funded
    from tsunagu.contracts.selectors import wallet_available
    from tsunagu.contracts.services import delivery_submit, milestone_accept
    from tsunagu.ledger.checks import run_checks
    from tsunagu.ledger.models import Transfer
    from tsunagu.referrals import rewards
    from tsunagu.referrals.models import RewardPayout, RewardStatus

    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client)
    give_balance(client, 3_000, key="extra")
    contract = funded(client=client, worker=worker)
    milestone = contract.milestones.get()
    delivery_submit(milestone=milestone, by=worker, message="納品します", files=[docx()])
    milestone_accept(milestone=milestone, by=client)  # no reward promised yet: nothing paid
    services.referral_reward_set(referral=referral, by=client, reward=3_000)
    assert not RewardPayout.objects.exists()
    results = race(
        *[lambda: rewards.referral_reward_pay(referral=referral, contract=contract)] * calls
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Transfer.objects.filter(reason=rewards.REASON).count() == 1
    assert RewardPayout.objects.get().status == RewardStatus.PAID
    assert wallet_available(user_id=referrer.pk, currency="JPY") == 3_000
    assert run_checks() == []


def test_reward_owed_retried_by_two_at_once_is_paid_once() -> None:
    from tests.contracts.docs import docx
    from tests.contracts.factories import give_balance
    from tests.referrals.factories import introduce, trio
    from tests.trust.factories import funded
    from tsunagu.contracts.services import delivery_submit, milestone_accept
    from tsunagu.ledger.models import Transfer
    from tsunagu.referrals import rewards
    from tsunagu.referrals.models import RewardPayout, RewardStatus

    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client, reward=3_000)
    contract = funded(client=client, worker=worker)
    milestone = contract.milestones.get()
    delivery_submit(milestone=milestone, by=worker, message="納品します", files=[docx()])
    milestone_accept(milestone=milestone, by=client)
    assert RewardPayout.objects.get().status == RewardStatus.OWED
    give_balance(client, 3_000, key="later")
    race(rewards.rewards_retry_owed, rewards.rewards_retry_owed)
    assert Transfer.objects.filter(reason=rewards.REASON).count() == 1
    assert RewardPayout.objects.get().status == RewardStatus.PAID
