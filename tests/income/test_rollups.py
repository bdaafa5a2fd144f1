"""The roll-up is the ledger's releases, per client and month, rebuilt at once after a payment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.contracts.models import Milestone
from tsunagu.income.models import IncomeMonth, RollupRun
from tsunagu.income.rollups import (
    income_rollup_matches_ledger,
    income_rollup_refresh,
    ledger_payments,
)
from tsunagu.income.timers import rollups

pytestmark = pytest.mark.django_db


def test_a_payment_lands_in_the_worker_roll_up_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        contract = paid_contract(worker=worker, amounts=(30_000,))

    [month] = IncomeMonth.objects.filter(worker=worker)
    milestone = Milestone.objects.get(contract=contract, position=1)
    # the gross the client paid for the work: the worker's share, the fee and any withholding
    assert month.client_id == contract.client_id and month.gross == milestone.gross
    assert month.payments == len(ledger_payments(worker.pk))
    assert income_rollup_matches_ledger(worker_id=worker.pk)


def test_rebuilding_is_idempotent_and_follows_every_client() -> None:
    worker = UserFactory()
    paid_contract(worker=worker)
    paid_contract(worker=worker)
    paid_contract(worker=worker, client=UserFactory())

    first = income_rollup_refresh(worker_id=worker.pk)
    rows = list(IncomeMonth.objects.filter(worker=worker).values_list("client_id", "gross"))
    assert income_rollup_refresh(worker_id=worker.pk) == first == 3
    assert list(IncomeMonth.objects.filter(worker=worker).values_list("client_id", "gross")) == (
        rows
    )


def test_a_drifted_roll_up_is_caught_and_repaired_nightly() -> None:
    worker = UserFactory()
    paid_contract(worker=worker)
    income_rollup_refresh(worker_id=worker.pk)
    IncomeMonth.objects.filter(worker=worker).update(gross=1)
    assert not income_rollup_matches_ledger(worker_id=worker.pk)

    assert rollups() == 1  # the tick's daily pass
    assert income_rollup_matches_ledger(worker_id=worker.pk)
    assert rollups() == 0  # once a day
    assert RollupRun.objects.count() == 1


def test_other_workers_money_is_not_counted() -> None:
    worker, other = UserFactory(), UserFactory()
    paid_contract(worker=other)
    assert ledger_payments(worker.pk) == []
    assert income_rollup_refresh(worker_id=worker.pk) == 0


def test_a_thinning_pipe_is_told_once_per_silence() -> None:
    import datetime

    from django.utils import timezone

    from tsunagu.income.models import PipeAlert
    from tsunagu.income.services import pipe_alerts_send
    from tsunagu.notifications.models import Notification

    worker = UserFactory()
    contract = paid_contract(worker=worker)
    paid_contract(worker=worker, client=contract.client)
    income_rollup_refresh(worker_id=worker.pk)
    # two paid months, then a long silence: shift the roll-up back as the ledger would show it
    today = timezone.localdate()
    IncomeMonth.objects.filter(worker=worker).update(
        month=datetime.date(today.year - 1, 1, 1),
        first_day=datetime.date(today.year - 1, 1, 5),
        last_day=datetime.date(today.year - 1, 1, 5),
    )
    IncomeMonth.objects.create(
        worker=worker,
        client=contract.client,
        month=datetime.date(today.year - 1, 2, 1),
        gross=10_000,
        payments=1,
        first_day=datetime.date(today.year - 1, 2, 5),
        last_day=datetime.date(today.year - 1, 2, 5),
    )

    assert pipe_alerts_send(today=today) == 1
    assert pipe_alerts_send(today=today) == 0  # once
    assert PipeAlert.objects.filter(worker=worker, client=contract.client).count() == 1
    note = Notification.objects.get(user=worker, kind="income.pipe_thinning")
    assert "income" in note.url
