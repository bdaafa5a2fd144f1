"""The demo worker's two years of income: past contracts carried out on their days through the
real flow, so that her income page shows living pipes, one of them thinning."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.demo.conftest import DemoRuns
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.demo.income import DATA, history
from tsunagu.income.engine import Trend
from tsunagu.income.rollups import income_rollup_matches_ledger
from tsunagu.income.selectors import income_dashboard
from tsunagu.ledger.checks import run_checks

pytestmark = pytest.mark.django_db


def test_two_years_of_pipes_one_thinning_from_the_ledger_and_made_once(
    demo_runs: DemoRuns,
) -> None:
    hana = User.objects.get(email=DATA["worker"])
    dashboard = income_dashboard(worker=hana)
    pipes = {row.client_name: row.pipe for row in dashboard.pipes}

    assert max(p.length_months for p in pipes.values()) >= 24  # two years with the oldest client
    assert pipes["すずき たくや"].trend is Trend.THINNING  # quiet for months after a monthly rhythm
    assert sum(p.trend is Trend.THINNING for p in pipes.values()) == 1
    assert pipes["株式会社つなぐ商店"].trend in (Trend.GROWING, Trend.STEADY)
    assert income_rollup_matches_ledger(worker_id=hana.pk)
    assert run_checks() == []
    # the past contracts' money was released on their own days, two years back
    first = min(row.pipe.first_day for row in dashboard.pipes)
    assert (dashboard.today - first).days > 700
    assert dashboard.target is not None and dashboard.outside_recent and dashboard.recurring

    browser = Client()
    browser.force_login(hana)
    page = browser.get(reverse("income:dashboard")).content.decode()
    assert "すずき たくや" in page and "細くなっています" in page

    past = list(history(today=dashboard.today))
    assert Contract.objects.filter(worker=hana, title__in=[p.title for p in past]).count() == len(
        past
    )
    # the second run made none, and moved no money
    for label in ("contracts.Contract", "ledger.Transfer"):
        assert demo_runs.second["rows"][label] == demo_runs.first["rows"][label]
