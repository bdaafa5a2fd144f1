"""The income page costs a constant number of queries, however long the worker's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import User
from tsunagu.income.models import IncomeTarget
from tsunagu.income.rollups import income_rollup_refresh
from tsunagu.income.selectors import income_dashboard

pytestmark = pytest.mark.django_db


def queries_for(worker: User) -> int:
    with CaptureQueriesContext(connection) as captured:
        income_dashboard(worker=worker)
    return len(captured)


def test_more_clients_and_contracts_cost_no_more_queries() -> None:
    worker = UserFactory()
    IncomeTarget.objects.create(user=worker, monthly_amount=10_000_000)
    paid_contract(worker=worker)
    income_rollup_refresh(worker_id=worker.pk)
    few = queries_for(worker)

    for _ in range(4):
        paid_contract(worker=worker, client=UserFactory())
    income_rollup_refresh(worker_id=worker.pk)

    assert queries_for(worker) == few
