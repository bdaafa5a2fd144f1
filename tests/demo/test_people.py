"""``tsunagu demo`` loads demo people once; running it again changes nothing."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from tests.demo.conftest import DemoRuns
from tsunagu.accounts.models import PhoneNumber, ReviewStatus, User, VerificationDocument
from tsunagu.profiles.models import Profile

pytestmark = pytest.mark.django_db


def test_demo_twice_gives_the_same_data(demo_runs: DemoRuns) -> None:
    assert 18 <= len(demo_runs.first["rows"]["accounts.User"]) <= 25
    assert "tsunagu-demo" in demo_runs.output and "worker@tsunagu.example" in demo_runs.output
    # no table gained or lost a row, no row was saved again, and no file was written again; the
    # income roll-up alone is rebuilt from the ledger, as for anyone, with as many months
    rebuilt = "income.IncomeMonth"
    first, second = dict(demo_runs.first["rows"]), dict(demo_runs.second["rows"])
    assert len(first.pop(rebuilt)) == len(second.pop(rebuilt))
    assert second == first
    assert demo_runs.second["saved"] == demo_runs.first["saved"]
    assert demo_runs.second["files"] == demo_runs.first["files"]
    assert demo_runs.first["files"]  # portfolio images and identity documents


def test_demo_people_can_log_in_and_cover_the_cases() -> None:
    staff = User.objects.get(email="staff@tsunagu.example")
    assert staff.is_staff and staff.is_superuser
    for email in ("staff@tsunagu.example", "client@tsunagu.example", "worker@tsunagu.example"):
        assert User.objects.get(email=email).check_password("tsunagu-demo")
    client = Profile.objects.get(user__email="client@tsunagu.example")
    assert client.is_client and not client.is_worker
    worker = Profile.objects.get(user__email="worker@tsunagu.example")
    assert worker.is_worker and worker.skills.exists() and worker.bio_html
    assert worker.portfolio_items.filter(kind="image").exists()
    zones = set(User.objects.values_list("time_zone", flat=True))
    assert {"Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Asia/Manila"} <= zones
    assert set(Profile.objects.values_list("currency", flat=True)) >= {"JPY", "USD", "EUR"}
    assert PhoneNumber.objects.count() >= 3
    statuses = set(VerificationDocument.objects.values_list("status", flat=True))
    assert statuses == {ReviewStatus.PENDING, ReviewStatus.APPROVED}
    assert worker.user.real_name_verified_at is not None
    assert not EmailAddress.objects.filter(verified=False).exists()
