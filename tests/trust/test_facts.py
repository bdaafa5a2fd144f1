"""The facts behind a trust score are read from what happened on contracts, for many at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.services import (
    delivery_submit,
    dispute_decide,
    dispute_open,
    milestone_accept,
    milestone_fund_from_wallet,
    milestones_auto_accept_due,
)
from tsunagu.proposals.models import ResponseTime
from tsunagu.trust.facts import facts_for
from tsunagu.trust.scoring import Role, trust_score

pytestmark = pytest.mark.django_db


def paid(client: User, worker: User, amount: int = 30_000, *, auto: bool = False) -> Contract:
    contract = offer(client=client, worker=worker, amounts=(amount,))
    milestone = contract.milestones.get()
    give_balance(client, amount * 2, key=f"gift:{contract.pk}")
    milestone_fund_from_wallet(milestone=milestone, by=client)
    delivery_submit(milestone=milestone, by=worker, message="納品します", files=[docx()])
    if auto:
        milestones_auto_accept_due(now=timezone.now() + datetime.timedelta(days=30))
    else:
        milestone_accept(milestone=Milestone(pk=milestone.pk), by=client)
    return contract


def test_a_person_with_no_paid_work_is_new() -> None:
    person = UserFactory()
    offer(worker=person)  # accepted terms, never funded: no money moved

    facts = facts_for(user_ids=[person.pk], role=Role.WORKER)[person.pk]

    assert facts.completed_contracts == 0
    assert trust_score(facts).is_new


def test_paid_contracts_count_with_value_on_time_and_repeat_clients() -> None:
    worker, regular, once = UserFactory(), UserFactory(), UserFactory()
    paid(regular, worker, 30_000)
    paid(regular, worker, 20_000)
    paid(once, worker, 10_000)
    ResponseTime.objects.create(
        user=worker, median_seconds=5400, samples=12, computed_at=timezone.now()
    )

    facts = facts_for(user_ids=[worker.pk], role=Role.WORKER, stars={worker.pk: [5, 4]})[worker.pk]

    assert facts.completed_contracts == 3
    assert facts.completed_value == 60_000
    assert (facts.on_time, facts.on_time_total) == (3, 3)
    assert (facts.repeat_counterparties, facts.counterparties) == (1, 2)
    assert facts.response_hours == 1.5
    assert tuple(facts.stars) == (5, 4)
    assert not trust_score(facts).is_new


def test_a_client_who_lets_deliveries_accept_themselves_is_less_reliable() -> None:
    careful, careless, worker = UserFactory(), UserFactory(), UserFactory()
    paid(careful, worker)
    paid(careless, worker, auto=True)

    facts = facts_for(user_ids=[careful.pk, careless.pk], role=Role.CLIENT)

    assert (facts[careful.pk].payment_ok, facts[careful.pk].payment_total) == (2, 2)
    assert (facts[careless.pk].payment_ok, facts[careless.pk].payment_total) == (1, 2)


def test_a_dispute_decided_against_the_worker_is_trouble_for_the_worker_only() -> None:
    client, worker = UserFactory(), UserFactory()
    staff = UserFactory(is_staff=True)
    contract = offer(client=client, worker=worker, amounts=(40_000,))
    milestone = contract.milestones.get()
    give_balance(client, 80_000, key="gift:dispute")
    milestone_fund_from_wallet(milestone=milestone, by=client)
    dispute = dispute_open(milestone=Milestone(pk=milestone.pk), by=client, reason="納品がない")
    dispute_decide(dispute=dispute, by=staff, release_amount=10_000, note="一部のみ")

    as_worker = facts_for(user_ids=[worker.pk], role=Role.WORKER)[worker.pk]
    as_client = facts_for(user_ids=[client.pk], role=Role.CLIENT)[client.pk]

    assert as_worker.troubled == 1 and as_worker.completed_contracts == 1
    assert as_client.troubled == 0


def test_many_people_are_read_in_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    clients = [UserFactory() for _ in range(2)]
    workers = [UserFactory() for _ in range(4)]
    for worker in workers:
        for client in clients:
            paid(client, worker)

    with django_assert_max_num_queries(7):
        facts = facts_for(user_ids=[w.pk for w in workers], role=Role.WORKER)

    assert all(f.completed_contracts == 2 for f in facts.values())
