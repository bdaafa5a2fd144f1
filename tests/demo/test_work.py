"""The demo's contracts are carried out through the real flow and reviewed by both sides."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.demo.conftest import DemoRuns
from tsunagu.contracts.models import Contract
from tsunagu.contracts.states import MilestoneStatus
from tsunagu.demo.work import WORK
from tsunagu.ledger.checks import run_checks
from tsunagu.profiles.models import Profile
from tsunagu.trust.models import Review

pytestmark = pytest.mark.django_db


def test_demo_work_is_paid_reviewed_scored_and_made_once(demo_runs: DemoRuns) -> None:

    contracts = Contract.objects.filter(title__in=[w.title for w in WORK])
    assert contracts.count() == len(WORK)
    assert all(
        m.status == MilestoneStatus.RELEASED and m.released_amount > 0
        for c in contracts
        for m in c.milestones.all()
    )
    # both reviews of every contract, published together
    assert Review.objects.filter(contract__in=contracts, revealed_at__isnull=False).count() == (
        2 * len(WORK)
    )
    hana = Profile.objects.get(user__email="worker@tsunagu.example")
    assert hana.worker_trust_score is not None and hana.client_trust_score is not None
    assert run_checks() == []

    # the profile shows the client's review
    page = Client().get(reverse("profiles:detail", args=[hana.user_id]))
    assert page.status_code == 200
    assert "用語集まで作っていただき" in page.content.decode()

    # the second run made none
    assert (
        demo_runs.second["rows"]["contracts.Contract"]
        == demo_runs.first["rows"]["contracts.Contract"]
    )
    assert demo_runs.second["rows"]["trust.Review"] == demo_runs.first["rows"]["trust.Review"]
