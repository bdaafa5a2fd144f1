"""``tsunagu demo`` loads demo people once; running it again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.db.models import Max

from tsunagu.accounts.models import PhoneNumber, ReviewStatus, User, VerificationDocument
from tsunagu.audit.models import AuditEvent
from tsunagu.profiles.models import PortfolioItem, Profile

pytestmark = pytest.mark.django_db(transaction=True)


def state() -> dict[str, Any]:
    files = sorted(
        str(p)
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for p in Path(root).rglob("*")
        if p.is_file()
    )
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "portfolio": PortfolioItem.objects.count(),
        "emails": EmailAddress.objects.count(),
        "phones": PhoneNumber.objects.count(),
        "documents": VerificationDocument.objects.count(),
        "audit": AuditEvent.objects.count(),
        "updated": Profile.objects.aggregate(m=Max("updated_at"))["m"],
        "files": files,
    }


def run() -> str:
    out = io.StringIO()
    call_command("demo", no_progress=True, stdout=out)
    return out.getvalue()


def test_demo_twice_gives_the_same_data() -> None:
    output = run()
    first = state()
    assert 18 <= first["users"] <= 25
    assert "tsunagu-demo" in output and "worker@tsunagu.example" in output
    run()
    assert state() == first


def test_demo_people_can_log_in_and_cover_the_cases() -> None:
    run()
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
