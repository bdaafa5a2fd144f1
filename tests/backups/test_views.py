"""The staff page of backups, the scheduled backup from the periodic tick, and the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tsunagu.backups.models import Backup, Trigger, Verification
from tsunagu.core.periodic import registered_jobs, run_periodic_jobs

pytestmark = pytest.mark.django_db


def _login(client: Client, **fields: Any) -> Any:
    user = UserFactory(**fields)
    client.force_login(user)
    return user


def test_the_tick_makes_one_scheduled_backup_and_staff_see_it(client: Client) -> None:
    assert {"backups.scheduled", "backups.orphans"} <= set(registered_jobs())
    assert run_periodic_jobs()["backups.scheduled"] == "ok"
    assert run_periodic_jobs()["backups.scheduled"] == "ok"
    backup = Backup.objects.get()  # the second tick found a recent one
    assert backup.trigger == Trigger.SCHEDULED
    assert backup.verification == Verification.VERIFIED

    _login(client, is_staff=True)
    page = client.get(reverse("backups:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert backup.path in body and "検証済み" in body

    client.cookies["tsunagu_language"] = "en"
    assert "verified" in client.get(reverse("backups:list")).content.decode()


def test_the_schedule_can_be_switched_off(settings: Any) -> None:
    settings.BACKUP_SCHEDULE = False
    run_periodic_jobs()
    assert not Backup.objects.exists()


def test_others_never_see_the_backups(client: Client) -> None:
    url = reverse("backups:list")
    assert client.get(url).status_code == 302  # to the login page
    _login(client)
    assert client.get(url).status_code == 404
    assert client.get(reverse("admin:backups_backup_changelist")).status_code == 302


def test_staff_admin_lists_backups(client: Client, admin_user: Any) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("admin:backups_backup_changelist")).status_code == 200
