"""Staff see network-trust runs and cards in the admin and can start a recompute."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.trust.models import NetworkRun, NetworkRunStatus
from tsunagu.trust.network import network_trust_recompute

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["networkrun", "trackrecordcard"])
def test_staff_see_the_lists_and_others_do_not(model: str) -> None:
    url = reverse(f"admin:trust_{model}_changelist")
    other = Client()
    other.force_login(UserFactory())

    assert staff_client().get(url).status_code == 200
    assert other.get(url).status_code == 302  # to the admin's sign-in


def test_compute_again_now_starts_a_run() -> None:
    paid_contract()
    first = network_trust_recompute()

    response = staff_client().post(
        reverse("admin:trust_networkrun_changelist"),
        {"action": "recompute_now", "_selected_action": [first.pk]},
    )

    assert response.status_code == 302
    assert NetworkRun.objects.filter(status=NetworkRunStatus.DONE).count() == 2


def test_the_button_above_the_list_starts_a_run_without_choosing_one() -> None:
    paid_contract()
    staff = staff_client()
    listing = staff.get(reverse("admin:trust_networkrun_changelist"))
    assert reverse("admin:trust_networkrun_recompute") in listing.content.decode()

    response = staff.post(reverse("admin:trust_networkrun_recompute"))

    run = NetworkRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:trust_networkrun_change", args=[run.pk])
    assert run.status == NetworkRunStatus.DONE  # tasks run at once under the tests
    assert staff.get(response["Location"]).status_code == 200


def test_a_running_run_shows_its_progress_and_reloads_itself() -> None:
    run = NetworkRun.objects.create(stage="rank", stage_done=12, stage_total=200)
    page = staff_client().get(reverse("admin:trust_networkrun_change", args=[run.pk]))
    html = page.content.decode()

    assert '<progress value="12" max="200"' in html
    assert 'http-equiv="refresh"' in html


def test_others_cannot_start_a_run() -> None:
    other = Client()
    other.force_login(UserFactory())

    response = other.post(reverse("admin:trust_networkrun_recompute"))

    assert response.status_code == 302 and "login" in response["Location"]
    assert not NetworkRun.objects.exists()
